import { sql, type Kysely } from 'kysely';
import type { Meilisearch, MultiSearchQuery } from 'meilisearch';
import type { Database } from '../../../db/schema/index.ts';
import type { SavedSearchMailRow } from '../../../db/schema/saved-search-mail.ts';
import type { SavedQuery } from '../../../db/schema/saved-search.ts';
import type { SearchClients } from '../../../search/client.ts';
import { PACKAGES_INDEX } from '../../../search/indexes/packages.ts';
import { filterExpression } from '../../../search/query.ts';
import { DEFAULT_LANG, isLang, useTranslations, type Lang } from '../../i18n/index.ts';
import { localizePath } from '../server/locale.ts';
import type { Mailer } from '../mail/index.ts';
import { composeAlertMail } from './mail.ts';
import { savedQueryParams } from './query.ts';
import { siteSecret, unsubscribeUrl } from './token.ts';

/**
 * The saved-search alerts, run by the site's job runner every ALERTS_INTERVAL_SECONDS:
 *
 * 1. match: package changes (queued by a trigger on `package`, in the writer's transaction)
 *    whose search index update has landed are run against every saved search that mails,
 *    restricted to the changed packages; each match is recorded once per package version
 *    (`saved_search_delivery`, unique), and the changes are deleted, in one transaction;
 * 2. compose: a saved search whose mail is due (immediate: now; daily, weekly: a day or a week
 *    after its last mail) gets one mail of everything waiting, written to the mail outbox in
 *    the transaction that marks the deliveries as carried by it;
 * 3. send: due mails are claimed with a lease, sent, and marked sent. A process that dies
 *    after its claim leaves the mail to be taken up again when the lease runs out.
 *
 * So a change is never skipped (it is deleted only with its matches), a package version is
 * never given twice to one search (the unique key), and a mail is sent again only if the
 * process died between the SMTP server's acceptance and the row being marked (a window of one
 * statement; the Message-ID is the same, so mail systems see a duplicate as one).
 */

export interface AlertServices {
  db: Kysely<Database>;
  mailer: Pick<Mailer, 'send'>;
  auth: { $context: Promise<{ secret: string }> };
  config: { siteUrl: string };
  search: { clients(): SearchClients | undefined };
}

/** How long a claimed mail is kept from other runs before it is tried again. */
export const MAIL_LEASE_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
export const DIGEST_PERIOD_MS = { daily: DAY_MS, weekly: 7 * DAY_MS } as const;
const CHANGE_BATCH = 100;
const SEARCHES_PER_REQUEST = 50;

export interface AlertRun {
  /** Package changes matched (and deleted). */
  changes: number;
  /** New deliveries (a package version for a saved search). */
  matched: number;
  /** Mails written to the outbox. */
  composed: number;
  sent: number;
  failed: number;
}

export async function runAlerts(app: AlertServices, now = new Date()): Promise<AlertRun> {
  const run: AlertRun = { changes: 0, matched: 0, composed: 0, sent: 0, failed: 0 };
  const clients = app.search.clients();
  // Without search, changes wait (the index could not say what matches); mail already composed still goes.
  if (clients) Object.assign(run, await matchChanges(app.db, clients.search));
  run.composed = await composeMails(app, now);
  const sent = await sendMails(app, now);
  run.sent = sent.sent;
  run.failed = sent.failed;
  return run;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Step 1: records which saved searches the changed packages match; returns what it did. */
export async function matchChanges(db: Kysely<Database>, client: Meilisearch): Promise<{ changes: number; matched: number }> {
  const total = { changes: 0, matched: 0 };
  for (;;) {
    const done = await db.transaction().execute(async (tx) => {
      // Only changes the index has caught up with: no search outbox row left for the package.
      const changes = await tx
        .selectFrom('package_change')
        .selectAll()
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('search_outbox')
                .select('search_outbox.id')
                .where('search_outbox.indexUid', '=', PACKAGES_INDEX)
                .where(sql<boolean>`search_outbox."documentId" = package_change."packageId"::text`),
            ),
          ),
        )
        .orderBy('id')
        .limit(CHANGE_BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      if (changes.length === 0) return undefined;
      const searches = await tx
        .selectFrom('saved_search')
        .select(['id', 'query', 'createdAt'])
        .where('frequency', '<>', 'off')
        .execute();
      const deliveries: { savedSearchId: string; packageId: string; packageUpdatedAt: Date }[] = [];
      for (const group of chunks(searches, SEARCHES_PER_REQUEST)) {
        // A saved search hears of what changed after it was saved.
        const asked = group
          .map((search) => ({ search, changes: changes.filter((c) => c.createdAt >= search.createdAt) }))
          .filter((a) => a.changes.length > 0);
        if (asked.length === 0) continue;
        const queries: MultiSearchQuery[] = asked.map(({ search, changes: mine }) => {
          const ids = [...new Set(mine.map((c) => c.packageId))];
          const saved = search.query as SavedQuery;
          return {
            indexUid: PACKAGES_INDEX,
            q: saved.q ?? '',
            filter: [...filterExpression(saved.filters ?? {}), `id IN [${ids.map((id) => JSON.stringify(id)).join(', ')}]`],
            limit: ids.length,
            attributesToRetrieve: ['id'],
          };
        });
        const { results } = await client.multiSearch({ queries });
        asked.forEach(({ search, changes: mine }, i) => {
          const hits = new Set((results[i]?.hits ?? []).map((h) => String((h as { id: string }).id)));
          for (const change of mine) {
            if (hits.has(change.packageId)) {
              deliveries.push({
                savedSearchId: search.id,
                packageId: change.packageId,
                packageUpdatedAt: change.packageUpdatedAt,
              });
            }
          }
        });
      }
      let matched = 0;
      for (const group of chunks(deliveries, 500)) {
        const inserted = await tx
          .insertInto('saved_search_delivery')
          .values(group)
          .onConflict((oc) => oc.columns(['savedSearchId', 'packageId', 'packageUpdatedAt']).doNothing())
          .returning('id')
          .execute();
        matched += inserted.length;
      }
      await tx
        .deleteFrom('package_change')
        .where(
          'id',
          'in',
          changes.map((c) => c.id),
        )
        .execute();
      return { changes: changes.length, matched };
    });
    if (!done) return total;
    total.changes += done.changes;
    total.matched += done.matched;
  }
}

/** Whether a saved search's mail is due at `now`. */
export function isDue(search: { frequency: string; lastMailedAt: Date | null; createdAt: Date }, now: Date): boolean {
  if (search.frequency === 'immediate') return true;
  if (search.frequency !== 'daily' && search.frequency !== 'weekly') return false;
  const since = search.lastMailedAt ?? search.createdAt;
  return now.getTime() - since.getTime() >= DIGEST_PERIOD_MS[search.frequency];
}

function langOf(locale: string): Lang {
  return isLang(locale) ? locale : DEFAULT_LANG;
}

/** Step 2: one mail for each saved search that has matches waiting and is due; returns how many. */
export async function composeMails(app: AlertServices, now: Date): Promise<number> {
  const db = app.db;
  const waiting = await db
    .selectFrom('saved_search as s')
    .select(['s.id', 's.frequency', 's.lastMailedAt', 's.createdAt'])
    .where('s.frequency', '<>', 'off')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('saved_search_delivery as d')
          .select('d.id')
          .whereRef('d.savedSearchId', '=', 's.id')
          .where('d.mailId', 'is', null),
      ),
    )
    .execute();
  const due = waiting.filter((s) => isDue(s, now));
  if (due.length === 0) return 0;
  const site = app.config.siteUrl.replace(/\/$/, '');
  const secret = await siteSecret(app);
  let composed = 0;
  for (const candidate of due) {
    const made = await db.transaction().execute(async (tx) => {
      const search = await tx
        .selectFrom('saved_search as s')
        .innerJoin('user as u', 'u.id', 's.userId')
        .select(['s.id', 's.name', 's.query', 's.frequency', 's.locale', 's.lastMailedAt', 's.createdAt', 'u.email'])
        .where('s.id', '=', candidate.id)
        .forUpdate('s')
        .skipLocked()
        .executeTakeFirst();
      if (!search || !isDue(search, now)) return false;
      const rows = await tx
        .selectFrom('saved_search_delivery as d')
        .innerJoin('package as p', 'p.id', 'd.packageId')
        .select(['d.id', 'd.packageId', 'p.slug', 'p.title', 'p.summary', 'p.status'])
        .where('d.savedSearchId', '=', search.id)
        .where('d.mailId', 'is', null)
        .orderBy('d.id')
        .execute();
      if (rows.length === 0) return false;
      // One entry per package (two versions waiting are one package), and only what is still offered.
      const packages = [...new Map(rows.filter((r) => r.status === 'designated').map((r) => [r.packageId, r])).values()];
      if (packages.length === 0) {
        await tx
          .deleteFrom('saved_search_delivery')
          .where(
            'id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
        return false;
      }
      const unsubscribe = unsubscribeUrl(site, secret, search.id);
      // The mail, and the pages it links to, in the language the buyer saved the search in.
      const lang = langOf(search.locale);
      const page = (path: string) => `${site}${localizePath(path, lang)}`;
      const message = composeAlertMail(useTranslations(lang), {
        name: search.name,
        frequency: search.frequency,
        packages: packages.map((p) => ({ title: p.title, summary: p.summary, url: page(`/packages/${p.slug}`) })),
        searchUrl: page(`/packages?${savedQueryParams(search.query as SavedQuery)}`),
        manageUrl: page('/buyer/searches'),
        unsubscribeUrl: unsubscribe,
      });
      const mail = await tx
        .insertInto('saved_search_mail')
        .values({ savedSearchId: search.id, to: search.email, ...message, unsubscribeUrl: unsubscribe, availableAt: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('saved_search_delivery')
        .set({ mailId: mail.id })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      await tx.updateTable('saved_search').set({ lastMailedAt: now }).where('id', '=', search.id).execute();
      return true;
    });
    if (made) composed++;
  }
  return composed;
}

/** Claims due mails for sending: each is kept from other runs until `now` + the lease. */
export function claimMails(db: Kysely<Database>, now: Date, limit = 20): Promise<SavedSearchMailRow[]> {
  return db
    .updateTable('saved_search_mail')
    .set({ availableAt: new Date(now.getTime() + MAIL_LEASE_MS), attempts: sql`attempts + 1` })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('saved_search_mail')
        .select('id')
        .where('sentAt', 'is', null)
        .where('availableAt', '<=', now)
        .orderBy('createdAt')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
}

/** Step 3: sends the due mails of the outbox; a failure is retried later, with back-off. */
export async function sendMails(app: AlertServices, now: Date): Promise<{ sent: number; failed: number }> {
  const result = { sent: 0, failed: 0 };
  const host = new URL(app.config.siteUrl).hostname;
  for (;;) {
    const claimed = await claimMails(app.db, now);
    if (claimed.length === 0) return result;
    for (const mail of claimed) {
      try {
        await app.mailer.send({
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          messageId: `<alert-${mail.id}@${host}>`,
          headers: {
            'List-Unsubscribe': `<${mail.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        });
        await app.db.updateTable('saved_search_mail').set({ sentAt: now }).where('id', '=', mail.id).execute();
        result.sent++;
      } catch (error) {
        result.failed++;
        const delay = Math.min(2 ** mail.attempts * 60_000, 6 * 60 * 60_000);
        await app.db
          .updateTable('saved_search_mail')
          .set({ availableAt: new Date(now.getTime() + delay), lastError: String((error as Error).message).slice(0, 1000) })
          .where('id', '=', mail.id)
          .execute();
      }
    }
  }
}
