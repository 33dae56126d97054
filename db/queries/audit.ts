import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema/index.ts';
import type { AuditAction, AuditEventRow } from '../schema/audit-event.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface AuditInput {
  action: AuditAction;
  actorId?: string | null | undefined;
  actorEmail?: string | null | undefined;
  subjectType?: string | undefined;
  subjectId?: string | null | undefined;
  ipAddress?: string | null | undefined;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Db, event: AuditInput): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      action: event.action,
      actorId: event.actorId ?? null,
      actorEmail: event.actorEmail ?? null,
      subjectType: event.subjectType ?? null,
      subjectId: event.subjectId ?? null,
      ipAddress: event.ipAddress ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}

export interface AuditFilter {
  actorId?: string | undefined;
  action?: AuditAction | undefined;
  limit?: number;
  before?: string | undefined;
}

export function listAudit(db: Db, filter: AuditFilter = {}): Promise<AuditEventRow[]> {
  let query = db
    .selectFrom('audit_event')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100);
  if (filter.actorId)
    query = query.where((eb) => eb.or([eb('actorId', '=', filter.actorId!), eb('subjectId', '=', filter.actorId!)]));
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.execute();
}

/**
 * The latest audit event of one action on one subject (optionally with details whose text
 * values match `details`), with the actor's name: who last changed a record, and when.
 */
export async function lastChange(
  db: Db,
  filter: { action: AuditAction; subjectType: string; subjectId: string; details?: Record<string, string> },
): Promise<{ at: Date; actorName: string | null } | undefined> {
  let query = db
    .selectFrom('audit_event')
    .leftJoin('user', 'user.id', 'audit_event.actorId')
    .select(['audit_event.at', 'user.name as actorName', 'audit_event.actorEmail'])
    .where('audit_event.action', '=', filter.action)
    .where('audit_event.subjectType', '=', filter.subjectType)
    .where('audit_event.subjectId', '=', filter.subjectId);
  for (const [key, value] of Object.entries(filter.details ?? {}))
    query = query.where(sql<string>`audit_event.details ->> ${key}`, '=', value);
  const row = await query.orderBy('audit_event.id', 'desc').limit(1).executeTakeFirst();
  return row ? { at: new Date(row.at), actorName: row.actorName ?? row.actorEmail ?? null } : undefined;
}
