import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import { recordAudit } from '../../../db/queries/audit.ts';
import { closeOrganization } from '../../../db/queries/organization-closures.ts';

/** Everything the site holds about a person, for "download your data". */
export async function exportUserData(db: Kysely<Database>, userId: string) {
  const user = await db
    .selectFrom('user')
    .select(['id', 'name', 'email', 'emailVerified', 'role', 'twoFactorEnabled', 'banned', 'banReason', 'createdAt', 'updatedAt'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const [sessions, memberships, territories, auditEvents, savedSearches] = await Promise.all([
    db
      .selectFrom('session')
      .select(['id', 'createdAt', 'updatedAt', 'expiresAt', 'ipAddress', 'userAgent'])
      .where('userId', '=', userId)
      .execute(),
    db
      .selectFrom('member')
      .innerJoin('organization', 'organization.id', 'member.organizationId')
      .leftJoin('organization_profile', 'organization_profile.organizationId', 'organization.id')
      .select([
        'member.role',
        'member.createdAt as joinedAt',
        'organization.id as organizationId',
        'organization.name',
        'organization_profile.kind',
        'organization_profile.legalName',
        'organization_profile.country',
        'organization_profile.organizationType',
        'organization_profile.registrationNumber',
        'organization_profile.website',
        'organization_profile.address',
        'organization_profile.sectors',
      ])
      .where('member.userId', '=', userId)
      .execute(),
    db.selectFrom('officer_territory').select(['kind', 'code']).where('userId', '=', userId).execute(),
    db
      .selectFrom('audit_event')
      .select(['at', 'action', 'ipAddress', 'details'])
      .where((eb) => eb.or([eb('actorId', '=', userId), eb('subjectId', '=', userId)]))
      .orderBy('id')
      .execute(),
    db
      .selectFrom('saved_search')
      .select(['name', 'query', 'frequency', 'locale', 'lastMailedAt', 'createdAt', 'updatedAt'])
      .where('userId', '=', userId)
      .orderBy('createdAt')
      .execute(),
  ]);
  return { exportedAt: new Date().toISOString(), user, sessions, memberships, territories, auditEvents, savedSearches };
}

export type DeleteOutcome = { ok: true } | { ok: false; reason: 'sole-owner'; organization: string };

/**
 * Deletes an account: its sessions, sign-in methods, two-factor secrets and memberships go
 * with it (foreign keys cascade); organizations left without members are closed, not
 * deleted, so that their vetting record, introductions and messages stay as evidence. The
 * audit log keeps its records, which carry the email address but no link to an account.
 */
export async function deleteAccount(db: Kysely<Database>, userId: string, ip: string | null): Promise<DeleteOutcome> {
  return db.transaction().execute(async (tx) => {
    const user = await tx.selectFrom('user').select(['email']).where('id', '=', userId).executeTakeFirstOrThrow();
    const owned = await tx
      .selectFrom('member')
      .innerJoin('organization', 'organization.id', 'member.organizationId')
      .select(['member.organizationId', 'organization.name'])
      .where('member.userId', '=', userId)
      .where('member.role', '=', 'owner')
      .execute();
    for (const org of owned) {
      const others = await tx
        .selectFrom('member')
        .select(['role'])
        .where('organizationId', '=', org.organizationId)
        .where('userId', '!=', userId)
        .execute();
      if (others.length > 0 && !others.some((m) => m.role === 'owner'))
        return { ok: false, reason: 'sole-owner', organization: org.name };
    }
    const orgIds = (await tx.selectFrom('member').select('organizationId').where('userId', '=', userId).execute()).map(
      (m) => m.organizationId,
    );
    await recordAudit(tx, {
      action: 'account-deleted',
      actorId: userId,
      actorEmail: user.email,
      subjectType: 'user',
      subjectId: userId,
      ipAddress: ip,
    });
    await tx.deleteFrom('user').where('id', '=', userId).execute();
    if (orgIds.length) {
      const empty = await tx
        .selectFrom('organization')
        .select('id')
        .where('id', 'in', orgIds)
        .where((eb) =>
          eb.not(
            eb.exists(eb.selectFrom('member').select('member.id').whereRef('member.organizationId', '=', 'organization.id')),
          ),
        )
        .execute();
      // Closed, not deleted: the vetting record and introductions are evidence.
      for (const org of empty) await closeOrganization(tx, org.id, { actorId: userId, actorEmail: user.email, ipAddress: ip });
    }
    return { ok: true };
  });
}
