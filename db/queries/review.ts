import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema/index.ts';
import type { ProposalStateValue } from '../schema/proposal.ts';
import { AGENCIES, POSITIONS } from '../schema/proposal.ts';
import { hasOrgRole } from './organizations.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface QueueFilter {
  state?: ProposalStateValue | undefined;
  sector?: string | undefined;
  /** A target country: named directly, or through one of `regions` (the blocs it belongs to). */
  country?: string | undefined;
  regions?: string[] | undefined;
  limit?: number | undefined;
}

export interface QueueRow {
  id: string;
  state: ProposalStateValue;
  submittedAt: Date | null;
  updatedAt: Date;
  consortiumName: string;
  title: string;
  sectors: string[];
  targetCountries: string[];
  targetRegions: string[];
  version: number;
}

/**
 * The reviewers' queue: every proposal that has been submitted at least once (drafts and
 * proposals withdrawn before submission are the consortium's own), with its latest frozen
 * version, oldest submission first.
 */
export async function listReviewQueue(db: Db, filter: QueueFilter = {}): Promise<QueueRow[]> {
  let query = db
    .with('latest', (qb) =>
      qb
        .selectFrom('proposal_version')
        .distinctOn('proposalId')
        .select(['proposalId', 'number', 'content'])
        .orderBy('proposalId')
        .orderBy('number', 'desc'),
    )
    .selectFrom('proposal')
    .innerJoin('latest', 'latest.proposalId', 'proposal.id')
    .innerJoin('consortium', 'consortium.id', 'proposal.consortiumId')
    .select([
      'proposal.id',
      'proposal.state',
      'proposal.submittedAt',
      'proposal.updatedAt',
      'consortium.name as consortiumName',
      'latest.number as version',
      sql<string>`latest.content->>'title'`.as('title'),
      sql<string[]>`coalesce(latest.content->'sectors', '[]'::jsonb)`.as('sectors'),
      sql<string[]>`coalesce(latest.content->'targetCountries', '[]'::jsonb)`.as('targetCountries'),
      sql<string[]>`coalesce(latest.content->'targetRegions', '[]'::jsonb)`.as('targetRegions'),
    ])
    .where('proposal.state', '!=', 'draft');
  if (filter.state) query = query.where('proposal.state', '=', filter.state);
  if (filter.sector) query = query.where(sql<boolean>`latest.content->'sectors' @> ${JSON.stringify([filter.sector])}::jsonb`);
  if (filter.country) {
    const country = filter.country;
    const regions = filter.regions ?? [];
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`latest.content->'targetCountries' @> ${JSON.stringify([country])}::jsonb`,
        ...regions.map((r) => sql<boolean>`latest.content->'targetRegions' @> ${JSON.stringify([r])}::jsonb`),
      ]),
    );
  }
  const rows = await query
    .orderBy(sql`proposal."submittedAt" asc nulls last`)
    .orderBy('proposal.id')
    .limit(filter.limit ?? 500)
    .execute();
  return rows.map((r) => ({ ...r, version: Number(r.version) })) as QueueRow[];
}

export interface ReviewerRecord {
  reviewerId: string;
  name: string | null;
  email: string | null;
  conflict: boolean;
  conflictNote: string | null;
  scores: Record<string, number>;
  comment: string | null;
  updatedAt: Date;
  /** The scores' revision (optimistic concurrency of the scores form). */
  revision: number;
}

/** Everything the review page shows about one proposal; undefined when there is none. */
export async function getReviewRecord(db: Db, proposalId: string) {
  const proposal = await db.selectFrom('proposal').selectAll().where('id', '=', proposalId).executeTakeFirst();
  if (!proposal) return undefined;
  const [consortium, versions, reviews, consultations, transitions, packageRow] = await Promise.all([
    db.selectFrom('consortium').selectAll().where('id', '=', proposal.consortiumId).executeTakeFirstOrThrow(),
    db.selectFrom('proposal_version').selectAll().where('proposalId', '=', proposalId).orderBy('number', 'desc').execute(),
    db
      .selectFrom('proposal_review')
      .leftJoin('user', 'user.id', 'proposal_review.reviewerId')
      .select([
        'proposal_review.reviewerId',
        'user.name',
        'user.email',
        'proposal_review.conflict',
        'proposal_review.conflictNote',
        'proposal_review.scores',
        'proposal_review.comment',
        'proposal_review.updatedAt',
        'proposal_review.revision',
      ])
      .where('proposal_review.proposalId', '=', proposalId)
      .orderBy('proposal_review.updatedAt')
      .execute(),
    selectConsultations(db, proposalId).execute(),
    db
      .selectFrom('proposal_transition')
      .leftJoin('user', 'user.id', 'proposal_transition.actorId')
      .select([
        'proposal_transition.id',
        'proposal_transition.move',
        'proposal_transition.fromState',
        'proposal_transition.toState',
        'proposal_transition.reason',
        'proposal_transition.feedback',
        'proposal_transition.at',
        'user.name as actorName',
      ])
      .where('proposal_transition.proposalId', '=', proposalId)
      .orderBy('proposal_transition.at')
      .orderBy('proposal_transition.id')
      .execute(),
    proposal.packageId
      ? db
          .selectFrom('package')
          .select(['id', 'slug', 'status', 'designatedAt'])
          .where('id', '=', proposal.packageId)
          .executeTakeFirst()
      : undefined,
  ]);
  consultations.sort((a, b) => AGENCIES.indexOf(a.agency) - AGENCIES.indexOf(b.agency));
  return {
    proposal,
    consortium,
    versions,
    latest: versions[0],
    reviews: reviews as ReviewerRecord[],
    consultations,
    transitions,
    package: packageRow,
  };
}
export type ReviewRecord = NonNullable<Awaited<ReturnType<typeof getReviewRecord>>>;

export function findReview(db: Db, proposalId: string, reviewerId: string) {
  return db
    .selectFrom('proposal_review')
    .selectAll()
    .where('proposalId', '=', proposalId)
    .where('reviewerId', '=', reviewerId)
    .executeTakeFirst();
}

/** A reviewer's conflict-of-interest declaration (the first step of every review). */
export async function declareConflict(
  db: Db,
  input: { proposalId: string; reviewerId: string; conflict: boolean; note: string | null },
): Promise<void> {
  await db
    .insertInto('proposal_review')
    .values({ proposalId: input.proposalId, reviewerId: input.reviewerId, conflict: input.conflict, conflictNote: input.note })
    .onConflict((oc) =>
      oc
        .columns(['proposalId', 'reviewerId'])
        .doUpdateSet({ conflict: input.conflict, conflictNote: input.note, updatedAt: sql`now()` }),
    )
    .execute();
}

/**
 * Saves a reviewer's scores; with `expected` (the revision the form was read at) only if they
 * are still at it. False when they have moved on meanwhile (the same reviewer in another tab).
 */
export async function saveScores(
  db: Db,
  input: {
    proposalId: string;
    reviewerId: string;
    scores: Record<string, number>;
    comment: string | null;
    expected?: number | undefined;
  },
): Promise<boolean> {
  let query = db
    .updateTable('proposal_review')
    .set((eb) => ({
      scores: JSON.stringify(input.scores),
      comment: input.comment,
      updatedAt: sql`now()`,
      revision: eb('revision', '+', 1),
    }))
    .where('proposalId', '=', input.proposalId)
    .where('reviewerId', '=', input.reviewerId);
  if (input.expected !== undefined) query = query.where('revision', '=', input.expected);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function recordConsultation(
  db: Db,
  input: {
    proposalId: string;
    agency: (typeof AGENCIES)[number];
    position: (typeof POSITIONS)[number];
    comments: string;
    recordedBy: string;
    /** The revision the form was read at (0: none recorded yet); undefined: not checked. */
    expected?: number | undefined;
  },
): Promise<{ revision: number } | { stale: ConsultationNow | undefined }> {
  const { expected, ...values } = input;
  const now = await findConsultation(db, input.proposalId, input.agency);
  const current = now?.revision ?? 0;
  if (expected !== undefined && expected !== current) return { stale: now };
  const revision = current + 1;
  // Conditional on the revision read: two reviewers recording one agency at once cannot both win.
  const written = await db
    .insertInto('proposal_consultation')
    .values({ ...values, revision })
    .onConflict((oc) =>
      oc
        .columns(['proposalId', 'agency'])
        .doUpdateSet({
          position: input.position,
          comments: input.comments,
          recordedBy: input.recordedBy,
          at: sql`now()`,
          revision,
        })
        .where('proposal_consultation.revision', '=', current),
    )
    .returning('revision')
    .executeTakeFirst();
  if (!written) return { stale: await findConsultation(db, input.proposalId, input.agency) };
  return { revision };
}

/** A proposal's consultations, with who recorded each. */
function selectConsultations(db: Db, proposalId: string) {
  return db
    .selectFrom('proposal_consultation')
    .leftJoin('user', 'user.id', 'proposal_consultation.recordedBy')
    .select([
      'proposal_consultation.agency',
      'proposal_consultation.position',
      'proposal_consultation.comments',
      'proposal_consultation.at',
      'proposal_consultation.revision',
      'user.name as recordedByName',
    ])
    .where('proposal_consultation.proposalId', '=', proposalId);
}

/** One agency's consultation as recorded now, with who recorded it. */
export function findConsultation(db: Db, proposalId: string, agency: string) {
  return selectConsultations(db, proposalId)
    .where('proposal_consultation.agency', '=', agency as (typeof AGENCIES)[number])
    .executeTakeFirst();
}
export type ConsultationNow = NonNullable<Awaited<ReturnType<typeof findConsultation>>>;

/** Email addresses of the owners and admins of the consortium's anchor organization. */
export async function consortiumRecipients(db: Db, proposalId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('proposal')
    .innerJoin('consortium', 'consortium.id', 'proposal.consortiumId')
    .innerJoin('member', 'member.organizationId', 'consortium.anchorOrganizationId')
    .innerJoin('user', 'user.id', 'member.userId')
    .select(['user.email', 'member.role'])
    .where('proposal.id', '=', proposalId)
    .where((eb) => eb.or([eb('user.banned', 'is', null), eb('user.banned', '=', false)]))
    .execute();
  const wanted = rows.filter((r) => hasOrgRole(r.role, 'owner') || hasOrgRole(r.role, 'admin'));
  return [...new Set(wanted.map((r) => r.email))];
}

/** Email addresses of the program reviewers (not banned). */
export async function reviewerRecipients(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('user')
    .select('email')
    .where('role', '=', 'reviewer')
    .where((eb) => eb.or([eb('banned', 'is', null), eb('banned', '=', false)]))
    .execute();
  return rows.map((r) => r.email);
}

/**
 * What a notice about a move names, in one read: the proposal's state and consortium, its title
 * (the latest frozen version's, else the draft's) and its latest version number.
 */
export async function proposalNotice(db: Db, proposalId: string) {
  const row = await db
    .selectFrom('proposal')
    .innerJoin('consortium', 'consortium.id', 'proposal.consortiumId')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('proposal_version')
          .select(['number', sql<string | null>`content->>'title'`.as('title')])
          .whereRef('proposal_version.proposalId', '=', 'proposal.id')
          .orderBy('number', 'desc')
          .limit(1)
          .as('latest'),
      (join) => join.onTrue(),
    )
    .select([
      'proposal.id',
      'proposal.state',
      'consortium.name as consortiumName',
      'latest.number as version',
      'latest.title as versionTitle',
      sql<string | null>`proposal.draft->>'title'`.as('draftTitle'),
    ])
    .where('proposal.id', '=', proposalId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { versionTitle, draftTitle, version, ...rest } = row;
  return { ...rest, title: versionTitle || (draftTitle ?? undefined), version: version === null ? undefined : Number(version) };
}
