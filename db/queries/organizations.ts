import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema/index.ts';
import type { OrganizationRow } from '../schema/organization.ts';
import type { OrganizationProfileInput, OrganizationProfileRow } from '../schema/organization-profile.ts';
import { recordAudit } from './audit.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** better-auth stores several roles as a comma-separated list ("admin,member"). */
export function roleList(role: string | null | undefined): string[] {
  return (role ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
}

export function hasOrgRole(role: string | null | undefined, wanted: string): boolean {
  return roleList(role).includes(wanted);
}

export interface MembershipSummary {
  organizationId: string;
  name: string;
  role: string;
  kind: 'buyer' | 'supplier' | null;
  country: string | null;
  joinedAt: Date;
}

/** The organizations a user belongs to, with their role in each, by name. */
export function listMembershipsOf(db: Db, userId: string): Promise<MembershipSummary[]> {
  return db
    .selectFrom('member')
    .innerJoin('organization', 'organization.id', 'member.organizationId')
    .leftJoin('organization_profile', 'organization_profile.organizationId', 'organization.id')
    .select([
      'organization.id as organizationId',
      'organization.name as name',
      'member.role as role',
      'organization_profile.kind as kind',
      'organization_profile.country as country',
      'member.createdAt as joinedAt',
    ])
    .where('member.userId', '=', userId)
    .orderBy('organization.name')
    .orderBy('organization.id')
    .execute();
}

export interface OrganizationRecord {
  organization: OrganizationRow;
  profile: OrganizationProfileRow | undefined;
}

/** An organization and its profile, whoever asks: callers check access (src/lib/organizations). */
export async function findOrganization(db: Db, organizationId: string): Promise<OrganizationRecord | undefined> {
  const organization = await db.selectFrom('organization').selectAll().where('id', '=', organizationId).executeTakeFirst();
  if (!organization) return undefined;
  const profile = await db
    .selectFrom('organization_profile')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  return { organization, profile };
}

/** The user's membership of the organization, if any. */
export function findMembership(db: Db, organizationId: string, userId: string) {
  return db
    .selectFrom('member')
    .select(['id', 'role', 'createdAt'])
    .where('organizationId', '=', organizationId)
    .where('userId', '=', userId)
    .executeTakeFirst();
}

export interface MemberDetail {
  id: string;
  userId: string;
  name: string;
  email: string;
  role: string;
  joinedAt: Date;
}

/** The members of an organization joined to their accounts, as `MemberDetail` rows. */
function selectMemberDetails(db: Db, organizationId: string) {
  return db
    .selectFrom('member')
    .innerJoin('user', 'user.id', 'member.userId')
    .select([
      'member.id as id',
      'member.userId as userId',
      'user.name as name',
      'user.email as email',
      'member.role as role',
      'member.createdAt as joinedAt',
    ])
    .where('member.organizationId', '=', organizationId);
}

/** Members with their names and email addresses: owners first, then administrators, then by name. */
export async function listMembers(db: Db, organizationId: string): Promise<MemberDetail[]> {
  const rows = await selectMemberDetails(db, organizationId).execute();
  const rank = (role: string) => (hasOrgRole(role, 'owner') ? 0 : hasOrgRole(role, 'admin') ? 1 : 2);
  return rows.sort((a, b) => rank(a.role) - rank(b.role) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** One member of this organization (undefined if the id belongs to another organization). */
export function findMember(db: Db, organizationId: string, memberId: string): Promise<MemberDetail | undefined> {
  return selectMemberDetails(db, organizationId).where('member.id', '=', memberId).executeTakeFirst();
}

export async function countOwners(db: Db, organizationId: string): Promise<number> {
  const members = await db.selectFrom('member').select('role').where('organizationId', '=', organizationId).execute();
  return members.filter((m) => hasOrgRole(m.role, 'owner')).length;
}

export interface PendingInvitation {
  id: string;
  email: string;
  role: string | null;
  expiresAt: Date;
  createdAt: Date;
  inviterName: string;
}

/** Invitations still waiting for an answer (pending and not expired), newest first. */
export function listPendingInvitations(db: Db, organizationId: string, now = new Date()): Promise<PendingInvitation[]> {
  return db
    .selectFrom('invitation')
    .innerJoin('user', 'user.id', 'invitation.inviterId')
    .select([
      'invitation.id as id',
      'invitation.email as email',
      'invitation.role as role',
      'invitation.expiresAt as expiresAt',
      'invitation.createdAt as createdAt',
      'user.name as inviterName',
    ])
    .where('invitation.organizationId', '=', organizationId)
    .where('invitation.status', '=', 'pending')
    .where('invitation.expiresAt', '>', now)
    .orderBy('invitation.createdAt', 'desc')
    .orderBy('invitation.id')
    .execute();
}

/** A pending invitation of this organization (undefined if it belongs to another one or was answered). */
export function findPendingInvitation(db: Db, organizationId: string, invitationId: string) {
  return db
    .selectFrom('invitation')
    .select(['id', 'email', 'role', 'status', 'expiresAt'])
    .where('organizationId', '=', organizationId)
    .where('id', '=', invitationId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export interface InvitationDetail {
  id: string;
  organizationId: string;
  organizationName: string;
  email: string;
  role: string | null;
  status: string;
  expiresAt: Date;
  inviterName: string;
  inviterEmail: string;
}

/**
 * The invitation, only if it is addressed to `email` (case-insensitive): to anyone else it
 * does not exist.
 */
export function findInvitationAddressedTo(db: Db, invitationId: string, email: string): Promise<InvitationDetail | undefined> {
  return db
    .selectFrom('invitation')
    .innerJoin('organization', 'organization.id', 'invitation.organizationId')
    .innerJoin('user', 'user.id', 'invitation.inviterId')
    .select([
      'invitation.id as id',
      'invitation.organizationId as organizationId',
      'organization.name as organizationName',
      'invitation.email as email',
      'invitation.role as role',
      'invitation.status as status',
      'invitation.expiresAt as expiresAt',
      'user.name as inviterName',
      'user.email as inviterEmail',
    ])
    .where('invitation.id', '=', invitationId)
    .where(sql<string>`lower(${sql.ref('invitation.email')})`, '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

export interface InvitationSummary {
  id: string;
  organizationName: string;
  role: string | null;
  expiresAt: Date;
}

/** Pending invitations addressed to `email`, for the list of one's organizations. */
export function listInvitationsAddressedTo(db: Db, email: string, now = new Date()): Promise<InvitationSummary[]> {
  return db
    .selectFrom('invitation')
    .innerJoin('organization', 'organization.id', 'invitation.organizationId')
    .select([
      'invitation.id as id',
      'organization.name as organizationName',
      'invitation.role as role',
      'invitation.expiresAt as expiresAt',
    ])
    .where(sql<string>`lower(${sql.ref('invitation.email')})`, '=', email.trim().toLowerCase())
    .where('invitation.status', '=', 'pending')
    .where('invitation.expiresAt', '>', now)
    .orderBy('invitation.createdAt', 'desc')
    .execute();
}

export interface ProfileUpdate {
  organizationId: string;
  /** Used only when the organization has no profile row yet. */
  kind: 'buyer' | 'supplier';
  profile: OrganizationProfileInput;
  actor: { id: string; email: string };
  ipAddress?: string | null | undefined;
  /** The profile's revision the form was read at (0: no profile yet); undefined: not checked. */
  expected?: number | undefined;
}

/** A refused stale profile save: the profile as it is now. */
export interface ProfileConflict {
  conflict: { revision: number; current: OrganizationProfileRow | undefined };
}

/** The fields of an organization profile, in the order of its form. */
export const PROFILE_FIELDS = [
  'legalName',
  'country',
  'organizationType',
  'registrationNumber',
  'website',
  'address',
  'sectors',
] as const;

/** A profile as the columns of its row (absent optional fields stored as null). */
export function profileColumns(profile: OrganizationProfileInput) {
  return {
    legalName: profile.legalName,
    country: profile.country,
    organizationType: profile.organizationType,
    registrationNumber: profile.registrationNumber ?? null,
    website: profile.website ?? null,
    address: profile.address ?? null,
    sectors: profile.sectors,
  };
}

/**
 * Saves the profile, renames the organization to its legal name, and records which fields
 * changed, in one transaction. Authorization is the caller's (src/lib/organizations).
 * With `expected`, only if the profile is still at that revision (optimistic concurrency):
 * otherwise nothing is written and the profile as it is now comes back.
 */
export async function updateOrganizationProfile(
  db: Kysely<Database>,
  update: ProfileUpdate,
): Promise<{ changed: string[]; revision: number } | ProfileConflict> {
  const { organizationId, profile, actor } = update;
  const values = profileColumns(profile);
  return db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('organization_profile')
      .selectAll()
      .where('organizationId', '=', organizationId)
      .forUpdate()
      .executeTakeFirst();
    const changed = before
      ? PROFILE_FIELDS.filter((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(values[field] ?? null))
      : [...PROFILE_FIELDS];
    const current = before?.revision ?? 0;
    const expected = update.expected ?? current;
    // The same profile as is saved, from a stale form (a double submit): nothing to write or refuse.
    if (before && changed.length === 0 && expected !== current) return { changed, revision: current };
    const stale = { conflict: { revision: current, current: before } };
    if (expected !== current) return stale;
    const revision = current + 1;
    // Conditional on the revision read: a profile created meanwhile by another request is not overwritten.
    const written = await tx
      .insertInto('organization_profile')
      .values({ organizationId, kind: update.kind, ...values, revision, updatedAt: new Date() })
      .onConflict((oc) =>
        oc
          .column('organizationId')
          .doUpdateSet({ ...values, revision, updatedAt: new Date() })
          .where('organization_profile.revision', '=', expected),
      )
      .returning('revision')
      .executeTakeFirst();
    if (!written) {
      const now = await tx
        .selectFrom('organization_profile')
        .selectAll()
        .where('organizationId', '=', organizationId)
        .executeTakeFirst();
      return { conflict: { revision: now?.revision ?? current, current: now } };
    }
    await tx.updateTable('organization').set({ name: profile.legalName }).where('id', '=', organizationId).execute();
    await recordAudit(tx, {
      action: 'organization-updated',
      actorId: actor.id,
      actorEmail: actor.email,
      subjectType: 'organization',
      subjectId: organizationId,
      ipAddress: update.ipAddress ?? null,
      details: { changed, legalName: profile.legalName, revision },
    });
    return { changed, revision };
  });
}
