import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import type { ConsortiumMemberRow, ConsortiumRow } from '../../../db/schema/consortium.ts';
import type { SiteRole } from '../../../db/schema/user.ts';
import {
  belongsToConsortium,
  findConsortium,
  findConsortiumInvitationAddressedTo,
  listConsortiumMembers,
  type InvitationRecord,
} from '../../../db/queries/consortia.ts';
import { findMembership, findOrganization, hasOrgRole } from '../../../db/queries/organizations.ts';

/** The signed-in person, as the consortium pages need them. */
export interface Viewer {
  id: string;
  email: string;
  role: SiteRole;
}

export interface ConsortiumAccess {
  consortium: ConsortiumRow;
  anchorName: string;
  members: ConsortiumMemberRow[];
  /** Owners and administrators of the anchor organization: invite, remove, change layers. */
  canManage: boolean;
  /** A site administrator who does not belong to a member: may look, not change. */
  readOnly: boolean;
}

/**
 * Object-level authorization for one consortium: people who belong (better-auth `member`) to
 * an organization holding an active place in it see it, and so do site administrators
 * (read-only unless they also belong). For anyone else it does not exist (undefined, shown as
 * 404), so that its existence is not revealed.
 */
export async function consortiumAccess(
  db: Kysely<Database>,
  viewer: Viewer | undefined,
  consortiumId: string,
): Promise<ConsortiumAccess | undefined> {
  if (!viewer || !consortiumId) return undefined;
  const consortium = await findConsortium(db, consortiumId);
  if (!consortium) return undefined;
  const belongs = await belongsToConsortium(db, consortium.id, viewer.id);
  if (!belongs && viewer.role !== 'admin') return undefined;
  const [members, anchorMembership, anchor] = await Promise.all([
    listConsortiumMembers(db, consortium.id),
    findMembership(db, consortium.anchorOrganizationId, viewer.id),
    findOrganization(db, consortium.anchorOrganizationId),
  ]);
  const anchorActive = members.some(
    (m) => m.role === 'anchor' && m.status === 'active' && m.organizationId === consortium.anchorOrganizationId,
  );
  const canManage = anchorActive && (hasOrgRole(anchorMembership?.role, 'owner') || hasOrgRole(anchorMembership?.role, 'admin'));
  return {
    consortium,
    anchorName: anchor?.organization.name ?? '',
    members,
    canManage,
    readOnly: !belongs,
  };
}

export type ConsortiumInvitation = InvitationRecord & { state: 'pending' | 'answered' };

/** An invitation as its addressee sees it; undefined (404) for anyone whose email address is not the one invited. */
export async function consortiumInvitationFor(
  db: Kysely<Database>,
  viewer: Viewer | undefined,
  memberId: string,
): Promise<ConsortiumInvitation | undefined> {
  if (!viewer || !memberId) return undefined;
  const invitation = await findConsortiumInvitationAddressedTo(db, memberId, viewer.email);
  if (!invitation) return undefined;
  return { ...invitation, state: invitation.status === 'invited' ? 'pending' : 'answered' };
}
