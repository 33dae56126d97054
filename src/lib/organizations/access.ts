import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import type { OrganizationRow } from '../../../db/schema/organization.ts';
import type { OrganizationProfileRow } from '../../../db/schema/organization-profile.ts';
import type { SiteRole } from '../../../db/schema/user.ts';
import {
  findInvitationAddressedTo,
  findMembership,
  findOrganization,
  hasOrgRole,
  type InvitationDetail,
} from '../../../db/queries/organizations.ts';

/** The signed-in person, as the organization pages need them. */
export interface Viewer {
  id: string;
  email: string;
  role: SiteRole;
}

/** Site roles that use the organization pages (src/lib/server/access.ts says the same for the routes). */
export const ORGANIZATION_SITE_ROLES: readonly SiteRole[] = ['buyer', 'supplier', 'admin'];

export interface OrganizationAccess {
  organization: OrganizationRow;
  profile: OrganizationProfileRow | undefined;
  /** The viewer's own membership; undefined for a site administrator looking from outside. */
  membership: { id: string; role: string } | undefined;
  isOwner: boolean;
  /** Owners and administrators of the organization edit it and manage its members. */
  canManage: boolean;
  /** A site administrator who is not a member: may look, not change. */
  readOnly: boolean;
}

/**
 * Object-level authorization for one organization: its members see it, and so does a site
 * administrator (read-only). For anyone else it does not exist (undefined, shown as 404), so
 * that its existence is not revealed.
 */
export async function organizationAccess(
  db: Kysely<Database>,
  viewer: Viewer | undefined,
  organizationId: string,
): Promise<OrganizationAccess | undefined> {
  if (!viewer || !organizationId) return undefined;
  const membership = await findMembership(db, organizationId, viewer.id);
  if (!membership && viewer.role !== 'admin') return undefined;
  const record = await findOrganization(db, organizationId);
  if (!record) return undefined;
  const isOwner = hasOrgRole(membership?.role, 'owner');
  return {
    ...record,
    membership: membership ? { id: membership.id, role: membership.role } : undefined,
    isOwner,
    canManage: isOwner || hasOrgRole(membership?.role, 'admin'),
    readOnly: !membership,
  };
}

export type InvitationState = 'pending' | 'expired' | 'answered';

/**
 * An invitation as its addressee sees it; undefined (404) for anyone whose email address is
 * not the one invited.
 */
export async function invitationFor(
  db: Kysely<Database>,
  viewer: Viewer | undefined,
  invitationId: string,
  now = new Date(),
): Promise<(InvitationDetail & { state: InvitationState }) | undefined> {
  if (!viewer || !invitationId) return undefined;
  const invitation = await findInvitationAddressedTo(db, invitationId, viewer.email);
  if (!invitation) return undefined;
  const state: InvitationState =
    invitation.status !== 'pending' ? 'answered' : invitation.expiresAt <= now ? 'expired' : 'pending';
  return { ...invitation, state };
}
