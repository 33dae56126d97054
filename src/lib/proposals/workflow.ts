import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import type { AuditAction } from '../../../db/schema/audit-event.ts';
import type { ConsortiumMemberRow } from '../../../db/schema/consortium.ts';
import { PackageContent, type LayerKey } from '../../../db/schema/package.ts';
import { AGENCIES, type ProposalRow } from '../../../db/schema/proposal.ts';
import { recordAudit } from '../../../db/queries/audit.ts';
import { findPackageBySlug, setPackageStatus, upsertPackage } from '../../../db/queries/packages.ts';
import { findProposalForUpdate } from '../../../db/queries/proposals.ts';
import { memberEligibility, type EligibilityProblem, type PolicyData } from '../reference/policy.ts';
import { ProposalComplete, checklist } from './content.ts';
import {
  MOVES,
  checkMove,
  checkUpdateMove,
  type ChangeState,
  type ProposalActor,
  type ProposalMove,
  type ProposalState,
  type UpdateMove,
} from './state.ts';

export interface Actor {
  id: string;
  email?: string | undefined;
  side: ProposalActor;
  ip?: string | null | undefined;
}

export type MoveRefusal =
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'not-allowed-from-state' | 'wrong-actor' | 'reason-required' }
  | { ok: false; reason: 'incomplete'; sections: string[] }
  | { ok: false; reason: 'ineligible'; members: { legalName: string; problems: EligibilityProblem[] }[] }
  | { ok: false; reason: 'no-anchor' }
  | { ok: false; reason: 'consultation-missing'; agencies: string[] }
  | { ok: false; reason: 'recused' };

export type MoveResult = { ok: true; state: ProposalState; packageId?: string | null } | MoveRefusal;

/** The consortium as it stands, as frozen into a submitted version. */
export async function consortiumSnapshot(db: Kysely<Database> | Transaction<Database>, consortiumId: string) {
  const consortium = await db.selectFrom('consortium').selectAll().where('id', '=', consortiumId).executeTakeFirstOrThrow();
  const members = await db
    .selectFrom('consortium_member')
    .selectAll()
    .where('consortiumId', '=', consortiumId)
    .where('status', '=', 'active')
    .orderBy('role')
    .orderBy('legalName')
    .execute();
  return { consortium, members };
}

export function ineligibleMembers(members: ConsortiumMemberRow[], policy: PolicyData) {
  return members
    .map((m) => ({ legalName: m.legalName, problems: memberEligibility(m, policy) }))
    .filter((m) => m.problems.length > 0);
}

function slugify(title: string): string {
  return (
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 80)
      .replace(/^-+|-+$/g, '') || 'package'
  );
}

/** A slug for the package that no other proposal's package holds. */
async function packageSlug(tx: Transaction<Database>, proposal: ProposalRow, title: string): Promise<string> {
  if (proposal.packageId) {
    const existing = await tx.selectFrom('package').select('slug').where('id', '=', proposal.packageId).executeTakeFirst();
    if (existing) return existing.slug;
  }
  const base = slugify(title);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    const taken = await findPackageBySlug(tx, candidate);
    if (!taken || taken.proposalId === proposal.id) return candidate;
  }
}

/** The catalog's package built from a submitted version. */
export function packageFromVersion(
  content: ProposalComplete & {
    consortium: {
      name: string;
      members: { legalName: string; countryOfIncorporation: string; role: string; layers: LayerKey[] }[];
    };
  },
  slug: string,
  designatedAt: Date,
): PackageContent {
  return PackageContent.parse({
    slug,
    title: content.title,
    summary: content.summary,
    description: content.description,
    sectors: content.sectors,
    targetCountries: content.targetCountries,
    targetRegions: content.targetRegions,
    consortium: {
      name: content.consortium.name,
      members: content.consortium.members.map((m) => ({
        name: m.legalName,
        country: m.countryOfIncorporation,
        anchor: m.role === 'anchor',
        layers: m.layers.length ? m.layers : ['hardware'],
        description: m.role === 'anchor' ? 'Anchor member of the consortium.' : 'Member of the consortium.',
      })),
    },
    layers: content.layers,
    businessModel: content.businessModel,
    financing: content.financing,
    compliance: {
      exportControls: content.compliance.exportControls,
      outboundInvestment: content.compliance.outboundInvestment,
      endUse: content.compliance.endUse,
    },
    contacts: content.contacts,
    status: 'designated',
    designatedAt,
  });
}

/** The reviewer's decisions a declared conflict of interest bars. */
const RECUSABLE_MOVES: readonly ProposalMove[] = ['take', 'return', 'designate', 'decline'];

/** Whether the reviewer has declared a conflict of interest on the proposal. */
async function isRecused(tx: Transaction<Database>, proposalId: string, reviewerId: string): Promise<boolean> {
  const review = await tx
    .selectFrom('proposal_review')
    .select('conflict')
    .where('proposalId', '=', proposalId)
    .where('reviewerId', '=', reviewerId)
    .executeTakeFirst();
  return Boolean(review?.conflict);
}

/** The content of the proposal's latest frozen version (the one a decision is about). */
async function latestContent(tx: Transaction<Database>, proposalId: string) {
  const latest = await tx
    .selectFrom('proposal_version')
    .select('content')
    .where('proposalId', '=', proposalId)
    .orderBy('number', 'desc')
    .executeTakeFirstOrThrow();
  return latest.content as Parameters<typeof packageFromVersion>[0];
}

/**
 * Makes one move of the state machine, in one transaction with everything it implies:
 * a frozen version on submission, the catalog package and its search-outbox row on
 * designation, suspension, reinstatement and revocation, the transition record and the
 * audit event.
 */
export async function moveProposal(
  db: Kysely<Database>,
  policy: PolicyData,
  input: { proposalId: string; move: ProposalMove; actor: Actor; reason?: string | undefined; feedback?: string | undefined },
): Promise<MoveResult> {
  return db.transaction().execute(async (tx): Promise<MoveResult> => {
    const proposal = await findProposalForUpdate(tx, input.proposalId);
    if (!proposal) return { ok: false, reason: 'not-found' };
    const check = checkMove(proposal.state, input.move, input.actor.side, input.reason);
    if (!check.ok) return { ok: false, reason: check.reason };

    let packageId = proposal.packageId;
    const now = new Date();
    if (input.move === 'submit') {
      const frozen = await freezeVersion(tx, proposal, policy, input.actor.id);
      if (!frozen.ok) return frozen;
    }
    if (RECUSABLE_MOVES.includes(input.move) && (await isRecused(tx, proposal.id, input.actor.id)))
      return { ok: false, reason: 'recused' };
    if (input.move === 'designate') {
      const consulted = await tx
        .selectFrom('proposal_consultation')
        .select('agency')
        .where('proposalId', '=', proposal.id)
        .execute();
      const missingAgencies = AGENCIES.filter((a) => !consulted.some((c) => c.agency === a));
      if (missingAgencies.length) return { ok: false, reason: 'consultation-missing', agencies: missingAgencies };
      const content = await latestContent(tx, proposal.id);
      const slug = await packageSlug(tx, proposal, content.title);
      const row = await upsertPackage(tx, packageFromVersion(content, slug, now), { proposalId: proposal.id });
      packageId = row.id;
    } else if (packageId && (input.move === 'suspend' || input.move === 'revoke' || input.move === 'reinstate')) {
      // The package's status is the proposal's new state: suspended, revoked, or designated again.
      await setPackageStatus(tx, packageId, MOVES[input.move].to);
    }

    await tx
      .updateTable('proposal')
      .set({
        state: check.to,
        packageId,
        updatedAt: sql`now()`,
        ...(input.move === 'submit' ? { submittedAt: now } : {}),
      })
      .where('id', '=', proposal.id)
      .execute();
    await recordMove(
      tx,
      proposal.id,
      input,
      { fromState: proposal.state, toState: check.to },
      { from: proposal.state, to: check.to },
    );
    return { ok: true, state: check.to, packageId };
  });
}

/** Checks a proposal is complete and eligible, and freezes its working copy as the next version. */
async function freezeVersion(
  tx: Transaction<Database>,
  proposal: ProposalRow,
  policy: PolicyData,
  actorId: string,
): Promise<{ ok: true } | MoveRefusal> {
  const missing = checklist(proposal.draft).filter((item) => !item.complete);
  if (missing.length) return { ok: false, reason: 'incomplete', sections: missing.map((m) => m.section) };
  const { consortium, members } = await consortiumSnapshot(tx, proposal.consortiumId);
  if (!members.some((m) => m.role === 'anchor')) return { ok: false, reason: 'no-anchor' };
  const ineligible = ineligibleMembers(members, policy);
  if (ineligible.length) return { ok: false, reason: 'ineligible', members: ineligible };
  const { max } = await tx
    .selectFrom('proposal_version')
    .select((eb) => eb.fn.max<number>('number').as('max'))
    .where('proposalId', '=', proposal.id)
    .executeTakeFirstOrThrow();
  const content = {
    ...ProposalComplete.parse(proposal.draft),
    consortium: {
      name: consortium.name,
      members: members.map((m) => ({
        legalName: m.legalName,
        countryOfIncorporation: m.countryOfIncorporation,
        headquartersCountry: m.headquartersCountry,
        concernControlled: m.concernControlled,
        role: m.role,
        layers: m.layers,
      })),
    },
  };
  await tx
    .insertInto('proposal_version')
    .values({ proposalId: proposal.id, number: (max ?? 0) + 1, content: JSON.stringify(content), createdBy: actorId })
    .execute();
  return { ok: true };
}

export type UpdateResult = { ok: true; changeState: ChangeState } | MoveRefusal;

/**
 * One step of updating a designated package: start, submit (a new frozen version), withdraw;
 * a reviewer approves (the catalog and the index then show the new version, under the same
 * slug and designation date) or rejects (back to the consortium). Until approval the live
 * package stays exactly as it was.
 */
export async function moveUpdate(
  db: Kysely<Database>,
  policy: PolicyData,
  input: { proposalId: string; move: UpdateMove; actor: Actor; reason?: string | undefined; feedback?: string | undefined },
): Promise<UpdateResult> {
  return db.transaction().execute(async (tx): Promise<UpdateResult> => {
    const proposal = await findProposalForUpdate(tx, input.proposalId);
    if (!proposal) return { ok: false, reason: 'not-found' };
    const check = checkUpdateMove(proposal.state, proposal.changeState, input.move, input.actor.side, input.reason);
    if (!check.ok) return { ok: false, reason: check.reason };
    if (input.move === 'submit-update') {
      const frozen = await freezeVersion(tx, proposal, policy, input.actor.id);
      if (!frozen.ok) return frozen;
    }
    if (input.move === 'approve-update' && proposal.packageId) {
      const live = await tx
        .selectFrom('package')
        .select(['slug', 'designatedAt', 'status'])
        .where('id', '=', proposal.packageId)
        .executeTakeFirstOrThrow();
      const pkg = packageFromVersion(await latestContent(tx, proposal.id), live.slug, new Date(live.designatedAt));
      await upsertPackage(tx, { ...pkg, status: live.status }, { proposalId: proposal.id });
    }
    await tx
      .updateTable('proposal')
      .set({ changeState: check.to, updatedAt: sql`now()` })
      .where('id', '=', proposal.id)
      .execute();
    await recordMove(
      tx,
      proposal.id,
      input,
      { fromState: proposal.state, toState: proposal.state },
      { from: proposal.changeState, to: check.to },
    );
    return { ok: true, changeState: check.to };
  });
}

/** Records a move: the transition (who, when, why, the consortium's feedback) and the audit event. */
async function recordMove(
  tx: Transaction<Database>,
  proposalId: string,
  input: { move: string; actor: Actor; reason?: string | undefined; feedback?: string | undefined },
  states: { fromState: string; toState: string },
  audited: { from: string | null; to: string | null },
): Promise<void> {
  await tx
    .insertInto('proposal_transition')
    .values({
      proposalId,
      move: input.move,
      ...states,
      actorId: input.actor.id,
      reason: input.reason?.trim() || null,
      feedback: input.feedback?.trim() || null,
    })
    .execute();
  await recordProposalAudit(tx, input.actor, 'proposal-moved', proposalId, { move: input.move, ...audited });
}

/** An audit event about a proposal, by whoever acts on it (editor, workflow, review). */
export function recordProposalAudit(
  db: Kysely<Database> | Transaction<Database>,
  actor: Pick<Actor, 'id' | 'email' | 'ip'>,
  action: AuditAction,
  proposalId: string,
  details: Record<string, unknown>,
): Promise<void> {
  return recordAudit(db, {
    action,
    actorId: actor.id,
    actorEmail: actor.email,
    subjectType: 'proposal',
    subjectId: proposalId,
    ipAddress: actor.ip,
    details,
  });
}
