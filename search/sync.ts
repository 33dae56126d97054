import { sql, type Kysely } from 'kysely';
import type { Meilisearch } from 'meilisearch';
import type { Database } from '../db/schema/index.ts';
import { findPackageById } from '../db/queries/packages.ts';
import { runLeased } from '../db/queries/job-lease.ts';
import { assertSucceeded } from './apply-settings.ts';
import { PACKAGES_INDEX, toDocument, type DocumentReference } from './indexes/packages.ts';

const LEASE_SECONDS = 60;

/**
 * Drains the search outbox once: claims due rows (a lease, so several processes can share
 * the work), re-reads each package, upserts or deletes its document, and deletes the rows
 * that made it. A failure leaves the rows for a later try with back-off; nothing is lost.
 * Returns how many outbox rows were settled.
 */
export async function drainOutbox(
  db: Kysely<Database>,
  admin: Meilisearch,
  ref: DocumentReference,
  limit = 500,
): Promise<number> {
  const claimed = await db
    .updateTable('search_outbox')
    .set({ availableAt: sql`now() + make_interval(secs => ${LEASE_SECONDS})`, attempts: sql`attempts + 1` })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('search_outbox')
        .select('id')
        .where('availableAt', '<=', sql<Date>`now()`)
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['id', 'indexUid', 'documentId', 'attempts'])
    .execute();
  if (claimed.length === 0) return 0;

  const ids = claimed.map((r) => r.id);
  try {
    const documentIds = [...new Set(claimed.filter((r) => r.indexUid === PACKAGES_INDEX).map((r) => r.documentId))];
    const upserts = [];
    const deletes = [];
    for (const id of documentIds) {
      const row = await findPackageById(db, id);
      if (row?.status === 'designated') upserts.push(toDocument(row, ref));
      else deletes.push(id);
    }
    const index = admin.index(PACKAGES_INDEX);
    if (upserts.length) assertSucceeded(await index.addDocuments(upserts, { primaryKey: 'id' }).waitTask({ timeout: 60_000 }));
    if (deletes.length) assertSucceeded(await index.deleteDocuments(deletes).waitTask({ timeout: 60_000 }));
    await db.deleteFrom('search_outbox').where('id', 'in', ids).execute();
    return ids.length;
  } catch (error) {
    const attempts = Math.max(...claimed.map((r) => r.attempts));
    const delay = Math.min(2 ** attempts, 300);
    await db
      .updateTable('search_outbox')
      .set({
        availableAt: sql`now() + make_interval(secs => ${delay})`,
        lastError: String((error as Error).message).slice(0, 1000),
      })
      .where('id', 'in', ids)
      .execute();
    throw error;
  }
}

/** Forgets outbox rows written before `before`: a full reindex read the rows they point at. */
export async function clearOutboxBefore(db: Kysely<Database>, before: Date): Promise<void> {
  await db.deleteFrom('search_outbox').where('createdAt', '<', before).execute();
}

export interface OutboxWorker {
  /** Drains now instead of at the next tick. */
  poke(): void;
  stop(): Promise<void>;
}

/** The worker's row in `job_lease`: one instance drains at a time. */
export const OUTBOX_JOB = 'search outbox';

/**
 * Drains the outbox every `intervalMs` (and when poked). Every instance runs a worker, but a
 * drain is taken by one at a time (the `search outbox` lease, renewed while it runs): two
 * instances draining at once could each re-read a package at a different moment and leave
 * Meilisearch with the older one last. A worker that dies mid-drain leaves its lease (and its
 * claimed rows) to run out; another instance then takes both over.
 */
export function startOutboxWorker(
  db: Kysely<Database>,
  admin: () => Meilisearch | undefined,
  ref: DocumentReference,
  options: { intervalMs?: number; leaseMs?: number; log?: (m: string) => void } = {},
): OutboxWorker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let failing = false;
  const tick = async () => {
    const client = admin();
    if (!client) return;
    try {
      const run = await runLeased(db, OUTBOX_JOB, { leaseMs: options.leaseMs ?? 20_000, nextInMs: () => 0 }, async (lost) => {
        while ((await drainOutbox(db, client, ref)) > 0) {
          if (stopped || lost.aborted) return;
        }
      });
      if (run.error !== undefined) throw run.error;
      if (!run.ran) return;
      if (failing) options.log?.('Search index caught up with the database.');
      failing = false;
    } catch (error) {
      if (!failing) options.log?.(`Search sync failed, will retry: ${(error as Error).message}`);
      failing = true;
    }
  };
  const run = () => {
    if (stopped || running) return;
    running = tick().finally(() => {
      running = undefined;
      if (!stopped) timer = setTimeout(run, options.intervalMs ?? 1000);
    });
  };
  run();
  return {
    poke() {
      if (timer) clearTimeout(timer);
      run();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
