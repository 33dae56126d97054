import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import type { SiteRole } from '../../../db/schema/user.ts';
import {
  consortiumMembershipsOf,
  findProposalWithConsortium,
  hasVersions,
  type ProposalWithConsortium,
} from '../../../db/queries/proposals.ts';
import { hasOrgRole } from '../../../db/queries/organizations.ts';
import { availableMoves, availableUpdateMoves, isEditableWith, type ProposalMove, type UpdateMove } from './state.ts';

/** The signed-in person, as the proposal pages need them. */
export interface ProposalViewer {
  id: string;
  email?: string;
  role: SiteRole;
}

export interface ProposalAccess {
  proposal: ProposalWithConsortium;
  /** The viewer belongs to an organization of the consortium (an active member or the anchor). */
  isMember: boolean;
  /** Owner or administrator of the anchor organization: writes and submits the proposal. */
  isLead: boolean;
  /** Looks as a program reviewer or site administrator (read-only here). */
  asStaff: boolean;
  /** May change the draft now: a lead, and the state allows editing. */
  canEdit: boolean;
  /** The consortium's moves the viewer may make now (submit, withdraw). */
  moves: ProposalMove[];
  /** The consortium's moves on an update of a designated package. */
  updateMoves: UpdateMove[];
}

/**
 * Object-level authorization for one proposal, next to the data. Members of the
 * consortium's organizations see it; reviewers and administrators see it once it has been
 * submitted at least once; the anchor organization's owners and administrators edit it
 * while the state allows. For anyone else it does not exist (undefined: answer 404).
 */
export async function proposalAccess(
  db: Kysely<Database>,
  viewer: ProposalViewer | undefined,
  proposalId: string,
): Promise<ProposalAccess | undefined> {
  if (!viewer || !proposalId) return undefined;
  const proposal = await findProposalWithConsortium(db, proposalId);
  if (!proposal) return undefined;
  const memberships = await consortiumMembershipsOf(db, proposal.consortiumId, viewer.id);
  const isMember = memberships.length > 0;
  const isLead = memberships.some(
    (m) => m.organizationId === proposal.anchorOrganizationId && (hasOrgRole(m.role, 'owner') || hasOrgRole(m.role, 'admin')),
  );
  // Not a member: staff see a proposal once it has been submitted; for anyone else it does not exist.
  const asStaff =
    !isMember &&
    (viewer.role === 'reviewer' || viewer.role === 'admin') &&
    (proposal.state !== 'draft' || (await hasVersions(db, proposal.id)));
  if (!isMember && !asStaff) return undefined;
  const canEdit = isLead && isEditableWith(proposal.state, proposal.changeState);
  return {
    proposal,
    isMember,
    isLead,
    asStaff,
    canEdit,
    moves: isLead ? availableMoves(proposal.state, 'consortium') : [],
    updateMoves: isLead ? availableUpdateMoves(proposal.state, proposal.changeState, 'consortium') : [],
  };
}
