import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema/index.ts';
import { hasOrgRole } from './organizations.ts';
import { isUuid } from './ids.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function findProposalWithConsortium(db: Db, proposalId: string) {
  if (!isUuid(proposalId)) return Promise.resolve(undefined);
  return db
    .selectFrom('proposal')
    .innerJoin('consortium', 'consortium.id', 'proposal.consortiumId')
    .select([
      'proposal.id',
      'proposal.consortiumId',
      'proposal.state',
      'proposal.draft',
      'proposal.sectionRevisions',
      'proposal.packageId',
      'proposal.changeState',
      'proposal.createdAt',
      'proposal.updatedAt',
      'proposal.submittedAt',
      'consortium.name as consortiumName',
      'consortium.anchorOrganizationId',
    ])
    .where('proposal.id', '=', proposalId)
    .executeTakeFirst();
}
export type ProposalWithConsortium = NonNullable<Awaited<ReturnType<typeof findProposalWithConsortium>>>;

/**
 * The user's memberships in the organizations that take part in a consortium: its active
 * member organizations and its anchor organization.
 */
export function consortiumMembershipsOf(db: Db, consortiumId: string, userId: string) {
  return db
    .selectFrom('member')
    .innerJoin('consortium', (join) => join.on('consortium.id', '=', consortiumId))
    .select(['member.organizationId', 'member.role', 'consortium.anchorOrganizationId'])
    .where('member.userId', '=', userId)
    .where((eb) =>
      eb.or([
        eb('member.organizationId', '=', eb.ref('consortium.anchorOrganizationId')),
        eb.exists(
          eb
            .selectFrom('consortium_member')
            .select('consortium_member.id')
            .where('consortium_member.consortiumId', '=', consortiumId)
            .where('consortium_member.status', '=', 'active')
            .whereRef('consortium_member.organizationId', '=', 'member.organizationId'),
        ),
      ]),
    )
    .execute();
}

export async function hasVersions(db: Db, proposalId: string): Promise<boolean> {
  const row = await db
    .selectFrom('proposal_version')
    .select('id')
    .where('proposalId', '=', proposalId)
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

/** Consortia the user can see as a member (their organization is active in it or is its anchor). */
function consortiaOfUser(db: Db, userId: string) {
  return db
    .selectFrom('consortium')
    .select(['consortium.id', 'consortium.name', 'consortium.anchorOrganizationId'])
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('member')
            .select('member.id')
            .where('member.userId', '=', userId)
            .whereRef('member.organizationId', '=', 'consortium.anchorOrganizationId'),
        ),
        eb.exists(
          eb
            .selectFrom('consortium_member')
            .innerJoin('member', 'member.organizationId', 'consortium_member.organizationId')
            .select('consortium_member.id')
            .where('member.userId', '=', userId)
            .where('consortium_member.status', '=', 'active')
            .whereRef('consortium_member.consortiumId', '=', 'consortium.id'),
        ),
      ]),
    );
}

/** The proposals of the user's consortia, newest first. */
export function listProposalsForUser(db: Db, userId: string) {
  return db
    .selectFrom('proposal')
    .innerJoin(consortiaOfUser(db, userId).as('c'), 'c.id', 'proposal.consortiumId')
    .select([
      'proposal.id',
      'proposal.state',
      'proposal.draft',
      'proposal.updatedAt',
      'proposal.submittedAt',
      'c.name as consortiumName',
      'c.id as consortiumId',
    ])
    .orderBy('proposal.updatedAt', 'desc')
    .execute();
}

/** Consortia whose anchor organization the user owns or administers: those they may start a proposal for. */
export async function consortiaLedBy(db: Db, userId: string): Promise<{ id: string; name: string }[]> {
  const rows = await db
    .selectFrom('consortium')
    .innerJoin('member', 'member.organizationId', 'consortium.anchorOrganizationId')
    .select(['consortium.id', 'consortium.name', 'member.role'])
    .where('member.userId', '=', userId)
    .orderBy('consortium.name')
    .execute();
  return rows.filter((r) => hasOrgRole(r.role, 'owner') || hasOrgRole(r.role, 'admin')).map(({ id, name }) => ({ id, name }));
}

export async function createProposal(db: Db, consortiumId: string, draft: Record<string, unknown>): Promise<string> {
  const row = await db
    .insertInto('proposal')
    .values({ consortiumId, state: 'draft', draft: JSON.stringify(draft) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The whole proposal row, locked until the transaction ends: a move or a save reads and changes it. */
export function findProposalForUpdate(tx: Transaction<Database>, proposalId: string) {
  return tx.selectFrom('proposal').selectAll().where('id', '=', proposalId).forUpdate().executeTakeFirst();
}

/** A section's revision as stored (absent: 0). */
export function sectionRevision(row: { sectionRevisions: Record<string, number> | null }, section: string): number {
  const value = row.sectionRevisions?.[section];
  return typeof value === 'number' && Number.isInteger(value) ? value : 0;
}

/**
 * Writes the draft with one section changed, only if that section is still at the revision
 * `expected` (optimistic concurrency), and raises the section's revision. Undefined when the
 * section has moved on meanwhile: the caller refuses the save (409).
 */
export async function writeDraft(
  tx: Db,
  input: { proposalId: string; draft: Record<string, unknown>; section: string; expected: number },
): Promise<{ savedAt: Date; revision: number } | undefined> {
  const revision = input.expected + 1;
  const row = await tx
    .updateTable('proposal')
    .set({
      draft: JSON.stringify(input.draft),
      sectionRevisions: sql`jsonb_set("sectionRevisions", ${sql.val([input.section])}::text[], to_jsonb(${revision}::int))`,
      updatedAt: sql<Date>`now()`,
    })
    .where('id', '=', input.proposalId)
    .where(sql<number>`coalesce(("sectionRevisions" ->> ${input.section})::int, 0)`, '=', input.expected)
    .returning('updatedAt')
    .executeTakeFirst();
  return row ? { savedAt: new Date(row.updatedAt), revision } : undefined;
}

export function listVersions(db: Db, proposalId: string) {
  return db
    .selectFrom('proposal_version')
    .select(['number', 'createdAt', 'createdBy'])
    .where('proposalId', '=', proposalId)
    .orderBy('number', 'asc')
    .execute();
}

export function findVersion(db: Db, proposalId: string, number: number) {
  return db
    .selectFrom('proposal_version')
    .select(['number', 'content', 'createdAt'])
    .where('proposalId', '=', proposalId)
    .where('number', '=', number)
    .executeTakeFirst();
}

/** What the consortium is told at each step: the feedback, never the (possibly internal) reason. */
export function listFeedback(db: Db, proposalId: string) {
  return db
    .selectFrom('proposal_transition')
    .select(['id', 'move', 'fromState', 'toState', 'feedback', 'at'])
    .where('proposalId', '=', proposalId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export function listProposalAttachments(db: Db, proposalId: string) {
  return db
    .selectFrom('attachment')
    .select(['id', 'filename', 'size', 'sha256', 'createdAt'])
    .where('ownerType', '=', 'proposal')
    .where('ownerId', '=', proposalId)
    .orderBy('createdAt', 'asc')
    .execute();
}

export function findProposalAttachment(db: Db, proposalId: string, attachmentId: string) {
  if (!isUuid(attachmentId)) return Promise.resolve(undefined);
  return db
    .selectFrom('attachment')
    .selectAll()
    .where('ownerType', '=', 'proposal')
    .where('ownerId', '=', proposalId)
    .where('id', '=', attachmentId)
    .executeTakeFirst();
}

export async function insertAttachment(
  db: Db,
  row: { id: string; ownerId: string; filename: string; size: number; sha256: string; storageKey: string; uploadedBy: string },
): Promise<void> {
  await db
    .insertInto('attachment')
    .values({ ...row, ownerType: 'proposal', contentType: 'application/pdf' })
    .execute();
}
