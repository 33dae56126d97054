import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema/index.ts';
import type { ConsortiumMemberRow, ConsortiumRow } from '../schema/consortium.ts';
import type { LayerKey } from '../schema/package.ts';
import { recordAudit } from './audit.ts';
import { hasOrgRole } from './organizations.ts';
import { isUuid } from './ids.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface SupplierOrganization {
  organizationId: string;
  name: string;
  role: string;
  legalName: string;
  country: string;
  /** Owner or administrator: may act for the organization in a consortium. */
  canManage: boolean;
}

/** The supplier organizations a user belongs to (through better-auth's `member`), by name. */
export async function listSupplierOrganizationsOf(db: Db, userId: string): Promise<SupplierOrganization[]> {
  const rows = await db
    .selectFrom('member')
    .innerJoin('organization', 'organization.id', 'member.organizationId')
    .innerJoin('organization_profile', 'organization_profile.organizationId', 'organization.id')
    .select([
      'organization.id as organizationId',
      'organization.name as name',
      'member.role as role',
      'organization_profile.legalName as legalName',
      'organization_profile.country as country',
    ])
    .where('member.userId', '=', userId)
    .where('organization_profile.kind', '=', 'supplier')
    .orderBy('organization.name')
    .orderBy('organization.id')
    .execute();
  return rows.map((r) => ({ ...r, canManage: hasOrgRole(r.role, 'owner') || hasOrgRole(r.role, 'admin') }));
}

export interface ConsortiumMembership {
  consortiumId: string;
  consortiumName: string;
  anchorOrganizationId: string;
  memberId: string;
  organizationId: string;
  organizationName: string;
  role: 'anchor' | 'member';
  status: ConsortiumMemberRow['status'];
  createdAt: Date;
}

/** Every consortium place held by one of the user's organizations (any status), by consortium name. */
export function listConsortiumMembershipsOf(db: Db, userId: string): Promise<ConsortiumMembership[]> {
  return db
    .selectFrom('consortium_member')
    .innerJoin('consortium', 'consortium.id', 'consortium_member.consortiumId')
    .innerJoin('organization', 'organization.id', 'consortium_member.organizationId')
    .innerJoin('member', 'member.organizationId', 'consortium_member.organizationId')
    .select([
      'consortium.id as consortiumId',
      'consortium.name as consortiumName',
      'consortium.anchorOrganizationId as anchorOrganizationId',
      'consortium_member.id as memberId',
      'organization.id as organizationId',
      'organization.name as organizationName',
      'consortium_member.role as role',
      'consortium_member.status as status',
      'consortium.createdAt as createdAt',
    ])
    .where('member.userId', '=', userId)
    .orderBy('consortium.name')
    .orderBy('consortium.id')
    .orderBy('organization.name')
    .execute();
}

export interface ConsortiumInvitationSummary {
  memberId: string;
  consortiumId: string;
  consortiumName: string;
  legalName: string;
  createdAt: Date;
}

/** Invitations still open (status invited) addressed to `email`, newest first. */
export function listConsortiumInvitationsAddressedTo(db: Db, email: string): Promise<ConsortiumInvitationSummary[]> {
  return db
    .selectFrom('consortium_member')
    .innerJoin('consortium', 'consortium.id', 'consortium_member.consortiumId')
    .select([
      'consortium_member.id as memberId',
      'consortium.id as consortiumId',
      'consortium.name as consortiumName',
      'consortium_member.legalName as legalName',
      'consortium_member.createdAt as createdAt',
    ])
    .where(sql<string>`lower(${sql.ref('consortium_member.invitedEmail')})`, '=', email.trim().toLowerCase())
    .where('consortium_member.status', '=', 'invited')
    .orderBy('consortium_member.createdAt', 'desc')
    .orderBy('consortium_member.id')
    .execute();
}

/** A consortium, whoever asks: callers check access (src/lib/consortia). */
export function findConsortium(db: Db, consortiumId: string): Promise<ConsortiumRow | undefined> {
  if (!isUuid(consortiumId)) return Promise.resolve(undefined);
  return db.selectFrom('consortium').selectAll().where('id', '=', consortiumId).executeTakeFirst();
}

/** Members of a consortium: the anchor first, then active, invited, declined and removed ones, by legal name. */
export async function listConsortiumMembers(db: Db, consortiumId: string): Promise<ConsortiumMemberRow[]> {
  if (!isUuid(consortiumId)) return [];
  const rows = await db.selectFrom('consortium_member').selectAll().where('consortiumId', '=', consortiumId).execute();
  const rank = (m: ConsortiumMemberRow) =>
    m.role === 'anchor' ? 0 : ({ active: 1, invited: 2, declined: 3, removed: 4 } as const)[m.status];
  return rows.sort((a, b) => rank(a) - rank(b) || a.legalName.localeCompare(b.legalName) || a.id.localeCompare(b.id));
}

/** Whether one of the organizations holds an active place in the consortium. */
export async function isActiveMember(db: Db, consortiumId: string, organizationIds: string[]): Promise<boolean> {
  if (!isUuid(consortiumId) || organizationIds.length === 0) return false;
  const row = await db
    .selectFrom('consortium_member')
    .select('id')
    .where('consortiumId', '=', consortiumId)
    .where('status', '=', 'active')
    .where('organizationId', 'in', organizationIds)
    .executeTakeFirst();
  return !!row;
}

/** Whether one of the user's organizations (any kind) holds an active place in the consortium. */
export async function belongsToConsortium(db: Db, consortiumId: string, userId: string): Promise<boolean> {
  if (!isUuid(consortiumId)) return false;
  const row = await db
    .selectFrom('consortium_member')
    .innerJoin('member', 'member.organizationId', 'consortium_member.organizationId')
    .select('consortium_member.id')
    .where('consortium_member.consortiumId', '=', consortiumId)
    .where('consortium_member.status', '=', 'active')
    .where('member.userId', '=', userId)
    .executeTakeFirst();
  return !!row;
}

/** One member row of this consortium (undefined if it belongs to another one). */
export function findConsortiumMember(db: Db, consortiumId: string, memberId: string): Promise<ConsortiumMemberRow | undefined> {
  if (!isUuid(consortiumId) || !isUuid(memberId)) return Promise.resolve(undefined);
  return db
    .selectFrom('consortium_member')
    .selectAll()
    .where('consortiumId', '=', consortiumId)
    .where('id', '=', memberId)
    .executeTakeFirst();
}

export type InvitationRecord = ConsortiumMemberRow & { consortiumName: string; anchorOrganizationId: string; anchorName: string };

/** The invitation (member row), only if it was addressed to `email`: to anyone else it does not exist. */
export function findConsortiumInvitationAddressedTo(
  db: Db,
  memberId: string,
  email: string,
): Promise<InvitationRecord | undefined> {
  if (!isUuid(memberId) || !email) return Promise.resolve(undefined);
  return db
    .selectFrom('consortium_member')
    .innerJoin('consortium', 'consortium.id', 'consortium_member.consortiumId')
    .innerJoin('organization', 'organization.id', 'consortium.anchorOrganizationId')
    .selectAll('consortium_member')
    .select([
      'consortium.name as consortiumName',
      'consortium.anchorOrganizationId as anchorOrganizationId',
      'organization.name as anchorName',
    ])
    .where('consortium_member.id', '=', memberId)
    .where('consortium_member.invitedEmail', 'is not', null)
    .where(sql<string>`lower(${sql.ref('consortium_member.invitedEmail')})`, '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

export interface MemberDetails {
  legalName: string;
  countryOfIncorporation: string;
  headquartersCountry: string;
  concernControlled: boolean;
  layers: LayerKey[];
}

export interface Actor {
  id: string;
  email: string;
  ip?: string | null | undefined;
}

function audit(
  db: Db,
  actor: Actor,
  action: 'consortium-created' | 'consortium-changed',
  consortiumId: string,
  details: Record<string, unknown>,
) {
  return recordAudit(db, {
    action,
    actorId: actor.id,
    actorEmail: actor.email,
    subjectType: 'consortium',
    subjectId: consortiumId,
    ipAddress: actor.ip ?? null,
    details,
  });
}

/** Creates the consortium with its anchor member (active), in one transaction with its audit event. */
export async function insertConsortium(
  db: Kysely<Database>,
  input: { name: string; anchorOrganizationId: string; anchor: MemberDetails; actor: Actor },
): Promise<{ id: string; anchorMemberId: string }> {
  return db.transaction().execute(async (tx) => {
    const consortium = await tx
      .insertInto('consortium')
      .values({ name: input.name, anchorOrganizationId: input.anchorOrganizationId, createdBy: input.actor.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const member = await tx
      .insertInto('consortium_member')
      .values({
        consortiumId: consortium.id,
        organizationId: input.anchorOrganizationId,
        role: 'anchor',
        status: 'active',
        invitedEmail: null,
        ...input.anchor,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, input.actor, 'consortium-created', consortium.id, {
      name: input.name,
      anchorOrganizationId: input.anchorOrganizationId,
      anchorMemberId: member.id,
      anchor: input.anchor,
    });
    return { id: consortium.id, anchorMemberId: member.id };
  });
}

/** Records an invitation (a member row with status invited), with its audit event. */
export async function insertInvitedMember(
  db: Kysely<Database>,
  input: { consortiumId: string; invitedEmail: string; details: MemberDetails; actor: Actor },
): Promise<{ id: string } | { duplicate: true }> {
  return db.transaction().execute(async (tx) => {
    // One open invitation per address and consortium: the consortium row is locked while we look.
    await tx.selectFrom('consortium').select('id').where('id', '=', input.consortiumId).forUpdate().executeTakeFirst();
    const open = await tx
      .selectFrom('consortium_member')
      .select('id')
      .where('consortiumId', '=', input.consortiumId)
      .where('status', '=', 'invited')
      .where(sql<string>`lower(${sql.ref('invitedEmail')})`, '=', input.invitedEmail.toLowerCase())
      .executeTakeFirst();
    if (open) return { duplicate: true as const };
    const row = await tx
      .insertInto('consortium_member')
      .values({
        consortiumId: input.consortiumId,
        organizationId: null,
        role: 'member',
        status: 'invited',
        invitedEmail: input.invitedEmail,
        ...input.details,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, input.actor, 'consortium-changed', input.consortiumId, {
      change: 'member-invited',
      memberId: row.id,
      email: input.invitedEmail,
      ...input.details,
    });
    return { id: row.id };
  });
}

export type MemberChange =
  | { change: 'member-removed' }
  | { change: 'layers-changed'; layers: LayerKey[] }
  | { change: 'invitation-accepted'; organizationId: string }
  | { change: 'invitation-declined' };

/**
 * Changes one member row if it is still in the expected status (compare-and-set, so two
 * answers to one invitation cannot both win), with its audit event. False if it was not;
 * 'stale' if `revision` (the one the form was read at) is given and the row has moved on.
 */
export async function changeMember(
  db: Kysely<Database>,
  input: {
    consortiumId: string;
    memberId: string;
    expect: ConsortiumMemberRow['status'][];
    change: MemberChange;
    actor: Actor;
    revision?: number | undefined;
  },
): Promise<boolean | 'stale'> {
  return db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('consortium_member')
      .selectAll()
      .where('id', '=', input.memberId)
      .where('consortiumId', '=', input.consortiumId)
      .forUpdate()
      .executeTakeFirst();
    if (!before || !input.expect.includes(before.status)) return false;
    if (input.revision !== undefined && input.revision !== before.revision) return 'stale';
    const c = input.change;
    const set =
      c.change === 'member-removed'
        ? { status: 'removed' as const }
        : c.change === 'layers-changed'
          ? { layers: c.layers }
          : c.change === 'invitation-accepted'
            ? { status: 'active' as const, organizationId: c.organizationId }
            : { status: 'declined' as const };
    await tx
      .updateTable('consortium_member')
      .set({ ...set, revision: before.revision + 1 })
      .where('id', '=', before.id)
      .where('revision', '=', before.revision)
      .execute();
    await audit(tx, input.actor, 'consortium-changed', input.consortiumId, {
      ...c,
      memberId: before.id,
      legalName: before.legalName,
      ...(c.change === 'layers-changed' ? { from: before.layers } : {}),
      fromStatus: before.status,
    });
    return true;
  });
}
