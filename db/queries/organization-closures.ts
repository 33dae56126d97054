import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema/index.ts';
import type { OrganizationClosureRow } from '../schema/organization-closure.ts';
import { recordAudit } from './audit.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Closes an organization that has no members left: it is kept, with its profile, vetting
 * record and introductions (evidence the program must keep; the database refuses to delete
 * them), its pending invitations are withdrawn, and the closure is audited. Closing twice is
 * a no-op.
 */
export async function closeOrganization(
  db: Db,
  organizationId: string,
  by: { actorId: string | null; actorEmail: string | null; ipAddress: string | null },
): Promise<boolean> {
  const closed = await db
    .insertInto('organization_closure')
    .values({ organizationId, closedBy: by.actorId, reason: 'last-member-left' })
    .onConflict((oc) => oc.column('organizationId').doNothing())
    .returning('organizationId')
    .executeTakeFirst();
  if (!closed) return false;
  await db
    .updateTable('invitation')
    .set({ status: 'canceled' })
    .where('organizationId', '=', organizationId)
    .where('status', '=', 'pending')
    .execute();
  await recordAudit(db, {
    action: 'organization-closed',
    ...by,
    subjectType: 'organization',
    subjectId: organizationId,
    details: { reason: 'last-member-left' },
  });
  return true;
}

export function findClosure(db: Db, organizationId: string): Promise<OrganizationClosureRow | undefined> {
  return db.selectFrom('organization_closure').selectAll().where('organizationId', '=', organizationId).executeTakeFirst();
}
