import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.ts';
import { AGENCIES } from '../../db/schema/proposal.ts';
import { findPackageById } from '../../db/queries/packages.ts';
import { connectSearch, type SearchClients } from '../../search/client.ts';
import { startEmbeddedMeilisearch, type EmbeddedMeilisearch } from '../../search/embedded.ts';
import { applySettings } from '../../search/apply-settings.ts';
import { PACKAGES_INDEX, packageSettings } from '../../search/indexes/packages.ts';
import { searchPackages } from '../../search/query.ts';
import { startOutboxWorker, type OutboxWorker } from '../../search/sync.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';
import { moveProposal } from '../../src/lib/proposals/workflow.ts';
import { runReviewAction, type ReviewContext } from '../../src/lib/review/actions.ts';
import { loadRubric, type Rubric } from '../../src/lib/review/rubric.ts';
import { addConsortium, addDraftProposal } from '../fixtures/consortia.ts';
import { testDb } from '../fixtures/db.ts';
import { buildPackage } from '../fixtures/packages.ts';
import { addMember, addOrganizationRow, addUser } from '../fixtures/people.ts';

// Issue 4, "Review and designation": the database is the source of truth and search follows it
// through the transactional outbox. A Meilisearch that is down (or killed) while a package is
// designated or suspended loses nothing: the state change succeeds, its outbox row waits with
// the error, and the index converges once Meilisearch is back — with the outbox worker the site
// runs (search/sync.ts), not a drain called by hand.
//
// The file runs its own Meilisearch (on a data directory of its own) so that stopping it does
// not disturb the other integration files' shared one.

const CONVERGE_MS = 20_000;

async function waitFor(what: string, check: () => Promise<boolean>, ms = CONVERGE_MS): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Not within ${ms} ms: ${what}`);
    await sleep(100);
  }
}

describe(`designation during a search outage (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let dir: string;
  let port: number;
  let meili: EmbeddedMeilisearch;
  let clients: SearchClients;
  let handle: Awaited<ReturnType<typeof testDb>>;
  let db: Kysely<Database>;
  let ref: Reference;
  let rubric: Rubric;
  let worker: OutboxWorker;
  const workerLog: string[] = [];
  const reviewer = { id: randomUUID(), email: `rafael.${randomUUID().slice(0, 6)}@example.com` };
  const owner = { id: randomUUID(), email: `olga.${randomUUID().slice(0, 6)}@example.com` };

  const ctx = (): ReviewContext => ({ db, policy: ref.policy, rubric, actor: { ...reviewer, ip: '127.0.0.1' } });
  const asReviewer = { id: reviewer.id, email: reviewer.email, side: 'reviewer' as const };

  /** The slugs a visitor's search for `q` finds (with the site's search-only key). */
  const found = async (q: string) =>
    (await searchPackages(clients.search, { q, filters: {}, sort: 'relevance', page: 1, perPage: 20 })).hits.map((h) => h.slug);
  const outboxRows = (documentId: string) =>
    db.selectFrom('search_outbox').selectAll().where('documentId', '=', documentId).execute();

  /** A consortium with a submitted proposal, taken for review, scored and consulted: ready for a decision. */
  async function readyForDecision(title: string): Promise<string> {
    const organizationId = await addOrganizationRow(db, `Anchor of ${title}`, 'anchor');
    await addMember(db, organizationId, owner.id, 'owner');
    const consortiumId = await addConsortium(db, {
      name: `Consortium for ${title}`,
      anchorOrganizationId: organizationId,
      createdBy: owner.id,
      members: [
        {
          organizationId,
          role: 'anchor',
          legalName: `${title} Holdings Inc.`,
          layers: ['hardware', 'data', 'models', 'security', 'applications'],
        },
      ],
    });
    const pkg = buildPackage({
      title,
      summary: `${title}: catch forecasting and vessel monitoring for fisheries agencies.`,
      sectors: ['agriculture'],
      targetCountries: ['ID'],
    });
    const id = await addDraftProposal(db, consortiumId, pkg);

    expect(
      await moveProposal(db, ref.policy, {
        proposalId: id,
        move: 'submit',
        actor: { id: owner.id, email: owner.email, side: 'consortium' },
      }),
    ).toMatchObject({ ok: true, state: 'submitted' });
    expect(await runReviewAction(ctx(), id, { intent: 'conflict', conflict: 'no' })).toEqual({ ok: true, done: 'conflict' });
    expect(await runReviewAction(ctx(), id, { intent: 'move', move: 'take' })).toMatchObject({
      ok: true,
      moved: { state: 'under-review' },
    });
    const scores = Object.fromEntries(rubric.criteria.map((c) => [`score-${c.id}`, '4']));
    expect(await runReviewAction(ctx(), id, { intent: 'scores', ...scores })).toEqual({ ok: true, done: 'scores' });
    for (const agency of AGENCIES) {
      expect(await runReviewAction(ctx(), id, { intent: 'consultation', agency, position: 'concurs', comments: '' })).toEqual({
        ok: true,
        done: 'consultation',
      });
    }
    return id;
  }

  async function designate(proposalId: string): Promise<{ packageId: string; slug: string }> {
    const result = await moveProposal(db, ref.policy, {
      proposalId,
      move: 'designate',
      actor: asReviewer,
      reason: 'Meets every criterion.',
      feedback: 'Designated.',
    });
    expect(result).toMatchObject({ ok: true, state: 'designated' });
    const packageId = (result as { packageId: string }).packageId;
    const row = await findPackageById(db, packageId);
    expect(row).toMatchObject({ status: 'designated', proposalId });
    return { packageId, slug: row!.slug };
  }

  /** Meilisearch comes back on the same port and data directory (and so the same keys). */
  async function restartSearch() {
    meili = await startEmbeddedMeilisearch({ dataDir: dir, port });
    expect(meili.url).toBe(clients.url);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aix-designation-outage-'));
    meili = await startEmbeddedMeilisearch({ dataDir: dir });
    port = Number(new URL(meili.url).port);
    clients = await connectSearch(meili.url, meili.masterKey);
    await applySettings(clients.admin, PACKAGES_INDEX, packageSettings);
    handle = await testDb();
    db = handle.db;
    ref = await loadReference();
    rubric = await loadRubric();
    await addUser(db, 'reviewer', 'Rafael Reviewer', { ...reviewer, twoFactorEnabled: true });
    await addUser(db, 'supplier', 'Olga Owner', { ...owner, twoFactorEnabled: true });
    // The site's worker, ticking faster than the site's one second.
    worker = startOutboxWorker(db, () => clients.admin, ref, { intervalMs: 200, log: (m) => workerLog.push(m) });
  });

  afterAll(async () => {
    await worker?.stop();
    await meili?.stop();
    await handle?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('designates while Meilisearch is down; the index converges once it is back', async () => {
    const id = await readyForDecision('Andromeda Sovereign Fisheries AI');
    await meili.stop();
    await expect(fetch(`${clients.url}/health`)).rejects.toThrow();

    // The designation itself succeeds: the database is the source of truth.
    const { packageId, slug } = await designate(id);
    // Its outbox row, written in the same transaction, is kept with the error of the failed try.
    await waitFor('the worker tried and failed', async () =>
      (await outboxRows(packageId)).some((r) => r.attempts >= 1 && !!r.lastError),
    );
    const [kept] = await outboxRows(packageId);
    expect(kept).toMatchObject({ indexUid: PACKAGES_INDEX, documentId: packageId });
    expect(kept!.lastError).toBeTruthy();
    expect(workerLog.some((m) => m.startsWith('Search sync failed, will retry'))).toBe(true);

    await restartSearch();
    await waitFor(
      'the outbox drained and the package found (with a typo)',
      async () => (await outboxRows(packageId)).length === 0 && (await found('Andromda Fisheries')).includes(slug),
    );
    expect(workerLog.at(-1)).toBe('Search index caught up with the database.');
    const state = await db.selectFrom('proposal').select('state').where('id', '=', id).executeTakeFirstOrThrow();
    expect(state.state).toBe('designated');
  });

  it('suspends while Meilisearch is down; after the restart the document is gone', async () => {
    const id = await readyForDecision('Borealis Grain Logistics AI');
    const { packageId, slug } = await designate(id);
    await waitFor(
      'the designated package is searchable',
      async () => (await outboxRows(packageId)).length === 0 && (await found('Borealis Grain')).includes(slug),
    );

    await meili.stop();
    const suspended = await moveProposal(db, ref.policy, {
      proposalId: id,
      move: 'suspend',
      actor: asReviewer,
      reason: 'Compliance review.',
      feedback: 'Suspended pending a compliance review.',
    });
    expect(suspended).toMatchObject({ ok: true, state: 'suspended' });
    expect((await findPackageById(db, packageId))!.status).toBe('suspended');
    await waitFor('the worker tried and failed', async () =>
      (await outboxRows(packageId)).some((r) => r.attempts >= 1 && !!r.lastError),
    );

    await restartSearch();
    await waitFor(
      'the outbox drained and the document deleted',
      async () => (await outboxRows(packageId)).length === 0 && !(await found('Borealis Grain')).includes(slug),
    );
    expect(
      await clients.admin
        .index(PACKAGES_INDEX)
        .getDocument(packageId)
        .catch(() => undefined),
    ).toBeUndefined();
  });

  it('survives Meilisearch being killed (SIGKILL) during a designation: the supervisor restarts it and the index converges', async () => {
    const id = await readyForDecision('Cassiopeia Port Operations AI');
    const before = meili.restarts;
    meili.crash();
    const { packageId, slug } = await designate(id);
    await waitFor(
      'Meilisearch restarted by its supervisor',
      async () => meili.restarts > before && (await fetch(`${clients.url}/health`)).ok,
    );
    await waitFor(
      'the outbox drained and the package found',
      async () => (await outboxRows(packageId)).length === 0 && (await found('Cassiopeia Port')).includes(slug),
    );
  });
});
