import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import type { AuditAction, AuditEventRow } from '../../../db/schema/audit-event.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface AuditSearch {
  action?: AuditAction | undefined;
  /** An email address (contains @) or a user id: events by that person or about their account. */
  user?: string | undefined;
  /** Only events with a smaller id (older). */
  before?: number | undefined;
  limit: number;
}

/**
 * The audit log, newest first, one page at a time: `next` is the `before` of the following
 * (older) page, undefined on the last one. Read-only.
 */
export async function searchAudit(db: Db, search: AuditSearch): Promise<{ rows: AuditEventRow[]; next: number | undefined }> {
  let query = db
    .selectFrom('audit_event')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(search.limit + 1);
  if (search.action) query = query.where('action', '=', search.action);
  if (search.before !== undefined) query = query.where('id', '<', search.before as unknown as string);
  const who = search.user?.trim();
  if (who) {
    if (who.includes('@')) {
      const email = who.toLowerCase();
      const user = await db.selectFrom('user').select('id').where('email', '=', email).executeTakeFirst();
      query = query.where((eb) =>
        eb.or([eb('actorEmail', '=', email), ...(user ? [eb('actorId', '=', user.id), eb('subjectId', '=', user.id)] : [])]),
      );
    } else {
      query = query.where((eb) => eb.or([eb('actorId', '=', who), eb('subjectId', '=', who)]));
    }
  }
  const rows = await query.execute();
  const more = rows.length > search.limit;
  const page = more ? rows.slice(0, search.limit) : rows;
  return { rows: page, next: more ? Number(page.at(-1)!.id) : undefined };
}

/** The email addresses of these accounts, by id (one query). */
export async function userEmails(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db.selectFrom('user').select(['id', 'email']).where('id', 'in', unique).execute();
  return new Map(rows.map((u) => [u.id, u.email]));
}

/** How many accounts there are. */
export async function countUsers(db: Db): Promise<number> {
  const { count } = await db
    .selectFrom('user')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}
