import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import { AGENCIES, POSITIONS, type ProposalReviewRow } from '../../../db/schema/proposal.ts';
import { declareConflict, findReview, recordConsultation, saveScores } from '../../../db/queries/review.ts';
import { useTranslations, type MessageKey, type Translator } from '../../i18n/index.ts';
import type { PolicyData } from '../reference/policy.ts';
import {
  MOVES,
  UPDATE_MOVE_NAMES,
  availableMoves,
  availableUpdateMoves,
  type ProposalMove,
  type ProposalState,
  type UpdateMove,
} from '../proposals/state.ts';
import { moveProposal, moveUpdate, recordProposalAudit, type MoveRefusal } from '../proposals/workflow.ts';
import type { FieldErrors } from '../server/forms.ts';
import { postedRevision, REVISION_FIELD, type Conflict } from '../server/revisions.ts';
import { isCompleteScoring, type Rubric } from './rubric.ts';

export const MAX_TEXT = 4000;
export const REVIEW_INTENTS = ['conflict', 'scores', 'consultation', 'move'] as const;
export type ReviewIntent = (typeof REVIEW_INTENTS)[number];

/** Moves whose feedback to the consortium is required: it must be told why. */
export const FEEDBACK_REQUIRED: readonly ProposalMove[] = ['return', 'decline', 'suspend', 'revoke'];
/** Decisions that need at least one complete, non-recused set of scores. */
export const SCORES_REQUIRED: readonly ProposalMove[] = ['designate', 'decline'];

export interface ReviewContext {
  db: Kysely<Database>;
  policy: PolicyData;
  rubric: Rubric;
  actor: { id: string; email?: string | undefined; ip?: string | null | undefined };
  /** The request's translator, for the messages of a refusal (English when absent). */
  t?: Translator | undefined;
}

export type ReviewResult =
  | {
      ok: true;
      done: ReviewIntent;
      moved?: { move: ProposalMove; state: ProposalState; feedback: string | undefined };
      updated?: UpdateMove;
    }
  | { ok: false; status: number; errors: FieldErrors; conflict?: Conflict };

/** Where a reviewer stands on a proposal: not yet declared, recused (conflicted), or free to review. */
export type Standing = 'undeclared' | 'recused' | 'active';
export function standingOf(review: Pick<ProposalReviewRow, 'conflict'> | undefined): Standing {
  if (!review) return 'undeclared';
  return review.conflict ? 'recused' : 'active';
}

const stateLabel = (t: Translator, state: string) => t(`review.state.${state}` as MessageKey);
const agencyLabel = (t: Translator, agency: string) => t(`review.agency.${agency}` as MessageKey);

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const unavailable = (t: Translator, state: ProposalState | undefined): FieldErrors => ({
  move: t('review.error.move.unavailable', { state: stateLabel(t, state ?? 'draft') }),
});
const tooLong = (text: string) => text.length > MAX_TEXT;

function fail(status: number, errors: FieldErrors): ReviewResult {
  return { ok: false, status, errors };
}

/** Turns a refusal of the state machine into what the page shows. */
export function refusalErrors(
  refusal: MoveRefusal,
  state: ProposalState | undefined,
  t: Translator = useTranslations(),
): { status: number; errors: FieldErrors } {
  switch (refusal.reason) {
    case 'not-found':
      return { status: 404, errors: { form: t('review.error.form') } };
    case 'reason-required':
      return { status: 400, errors: { reason: t('review.error.reason') } };
    case 'consultation-missing':
      return {
        status: 400,
        errors: {
          move: t('review.error.consultation.missing', { agencies: refusal.agencies.map((a) => agencyLabel(t, a)).join(', ') }),
        },
      };
    case 'recused':
      return { status: 403, errors: { move: t('review.error.recused') } };
    default:
      // not-allowed-from-state, wrong-actor, and the submission's checks (a reviewer cannot meet them).
      return { status: 409, errors: unavailable(t, state) };
  }
}

/**
 * One review step, from a posted form's fields (`intent` says which). Every rule is checked
 * here, on the server: the declaration comes first; a recused reviewer cannot score, record a
 * consultation or decide; scores and consultations are given while the proposal is under review.
 */
export async function runReviewAction(
  ctx: ReviewContext,
  proposalId: string,
  values: Record<string, unknown>,
): Promise<ReviewResult> {
  const t = ctx.t ?? useTranslations();
  const proposal = await ctx.db
    .selectFrom('proposal')
    .select(['id', 'state', 'changeState'])
    .where('id', '=', proposalId)
    .executeTakeFirst();
  if (!proposal || proposal.state === 'draft') return fail(404, { form: t('review.error.form') });
  const intent = str(values.intent) as ReviewIntent;
  if (!REVIEW_INTENTS.includes(intent)) return fail(400, { form: t('review.error.form') });
  const review = await findReview(ctx.db, proposalId, ctx.actor.id);
  const standing = standingOf(review);
  const audit = (tx: Transaction<Database>, details: Record<string, unknown>) =>
    recordProposalAudit(tx, ctx.actor, 'proposal-reviewed', proposalId, details);

  if (intent === 'conflict') {
    const answer = str(values.conflict);
    const note = str(values.conflictNote).trim();
    const errors: FieldErrors = {};
    if (answer !== 'yes' && answer !== 'no') errors.conflict = t('review.error.conflict.choose');
    if (answer === 'yes' && !note) errors.conflictNote = t('review.error.conflict.note');
    if (tooLong(note)) errors.conflictNote = t('review.error.tooLong', { max: MAX_TEXT });
    if (Object.keys(errors).length) return fail(400, errors);
    // A declared conflict is final: the reviewer stays recused.
    if (standing === 'recused') return fail(409, { conflict: t('review.error.conflict.final') });
    await ctx.db.transaction().execute(async (tx) => {
      await declareConflict(tx, { proposalId, reviewerId: ctx.actor.id, conflict: answer === 'yes', note: note || null });
      await audit(tx, { step: 'conflict-declared', conflict: answer === 'yes' });
    });
    return { ok: true, done: 'conflict' };
  }

  if (standing === 'undeclared') return fail(403, { conflict: t('review.error.undeclared') });
  if (standing === 'recused') return fail(403, { form: t('review.error.recused') });

  if (intent === 'scores') {
    if (proposal.state !== 'under-review') return fail(409, { form: t('review.error.notInReview') });
    const { min, max } = ctx.rubric.scale;
    const scores: Record<string, number> = {};
    const errors: FieldErrors = {};
    for (const criterion of ctx.rubric.criteria) {
      const raw = str(values[`score-${criterion.id}`]).trim();
      const value = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(value) || value < min || value > max) {
        errors[`score-${criterion.id}`] = t('review.error.score', { criterion: criterion.name, min, max });
      } else scores[criterion.id] = value;
    }
    const comment = str(values.comment).trim();
    if (tooLong(comment)) errors.comment = t('review.error.tooLong', { max: MAX_TEXT });
    if (Object.keys(errors).length) return fail(400, errors);
    const saved = await ctx.db.transaction().execute(async (tx) => {
      const written = await saveScores(tx, {
        proposalId,
        reviewerId: ctx.actor.id,
        scores,
        comment: comment || null,
        expected: postedRevision(values[REVISION_FIELD]),
      });
      if (written) await audit(tx, { step: 'scored', scores });
      return written;
    });
    if (!saved) {
      // Saved meanwhile from another tab or window: nothing written; the entries stay in the form.
      const now = await findReview(ctx.db, proposalId, ctx.actor.id);
      const show = (s: Record<string, number> | undefined, c: string | null | undefined) =>
        [...ctx.rubric.criteria.map((k) => `${k.name}: ${s?.[k.id] ?? '–'}`), c ?? ''].filter(Boolean).join('; ');
      return {
        ok: false,
        status: 409,
        errors: { form: t('review.error.scores.conflict') },
        conflict: {
          revision: now?.revision ?? 0,
          at: now ? new Date(now.updatedAt) : null,
          by: null,
          fields: [
            {
              name: 'scores',
              label: t('review.scores.yours'),
              saved: show(now?.scores, now?.comment),
              yours: show(scores, comment),
            },
          ],
        },
      };
    }
    return { ok: true, done: 'scores' };
  }

  if (intent === 'consultation') {
    const agency = str(values.agency);
    if (!(AGENCIES as readonly string[]).includes(agency)) return fail(400, { form: t('review.error.agency') });
    if (proposal.state !== 'under-review') return fail(409, { [`position-${agency}`]: t('review.error.notInReview') });
    const position = str(values.position);
    const comments = str(values.comments).trim();
    const errors: FieldErrors = {};
    if (!(POSITIONS as readonly string[]).includes(position)) errors[`position-${agency}`] = t('review.error.position');
    else if (position !== 'concurs' && !comments) errors[`comments-${agency}`] = t('review.error.consultation.comments');
    if (tooLong(comments)) errors[`comments-${agency}`] = t('review.error.tooLong', { max: MAX_TEXT });
    if (Object.keys(errors).length) return fail(400, errors);
    const recorded = await ctx.db.transaction().execute(async (tx) => {
      const result = await recordConsultation(tx, {
        proposalId,
        agency: agency as (typeof AGENCIES)[number],
        position: position as (typeof POSITIONS)[number],
        comments,
        recordedBy: ctx.actor.id,
        expected: postedRevision(values[REVISION_FIELD]),
      });
      if ('revision' in result) await audit(tx, { step: 'consultation-recorded', agency, position, revision: result.revision });
      return result;
    });
    if ('stale' in recorded) {
      const now = recorded.stale;
      const label = (p: string | undefined) => (p ? t(`review.position.${p}` as MessageKey) : '');
      return {
        ok: false,
        status: 409,
        errors: { [`position-${agency}`]: t('review.error.consultation.conflict', { agency: agencyLabel(t, agency) }) },
        conflict: {
          revision: now?.revision ?? 0,
          at: now ? new Date(now.at) : null,
          by: now?.recordedByName ?? null,
          fields: [
            {
              name: `position-${agency}`,
              label: t('review.consultation.position'),
              saved: label(now?.position),
              yours: label(position),
            },
            { name: `comments-${agency}`, label: t('review.consultation.comments'), saved: now?.comments ?? '', yours: comments },
          ].filter((f) => f.saved !== f.yours),
        },
      };
    }
    return { ok: true, done: 'consultation' };
  }

  // intent === 'move': an update of a designated package, or a move of the proposal itself.
  const reason = str(values.reason).trim();
  const feedback = str(values.feedback).trim();
  const actor = { id: ctx.actor.id, email: ctx.actor.email, ip: ctx.actor.ip, side: 'reviewer' as const };
  const updateMove = str(values.move) as UpdateMove;
  if ((UPDATE_MOVE_NAMES as readonly string[]).includes(updateMove)) {
    if (!availableUpdateMoves(proposal.state, proposal.changeState, 'reviewer').includes(updateMove)) {
      return fail(409, unavailable(t, proposal.state));
    }
    if (!reason) return fail(400, { reason: t('review.error.reason') });
    if (tooLong(reason) || tooLong(feedback)) return fail(400, { reason: t('review.error.tooLong', { max: MAX_TEXT }) });
    const result = await moveUpdate(ctx.db, ctx.policy, {
      proposalId,
      move: updateMove,
      actor,
      reason,
      feedback: feedback || undefined,
    });
    if (!result.ok) return fail(409, unavailable(t, proposal.state));
    return { ok: true, done: 'move', updated: updateMove };
  }
  const move = str(values.move) as ProposalMove;
  if (!(move in MOVES)) return fail(400, { move: t('review.error.move') });
  if (!availableMoves(proposal.state, 'reviewer').includes(move)) return fail(409, unavailable(t, proposal.state));
  const errors: FieldErrors = {};
  if (MOVES[move].needsReason && !reason) errors.reason = t('review.error.reason');
  if (tooLong(reason)) errors.reason = t('review.error.tooLong', { max: MAX_TEXT });
  if (FEEDBACK_REQUIRED.includes(move) && !feedback) errors.feedback = t('review.error.feedback');
  if (tooLong(feedback)) errors.feedback = t('review.error.tooLong', { max: MAX_TEXT });
  if (Object.keys(errors).length) return fail(400, errors);
  if (SCORES_REQUIRED.includes(move)) {
    const scored = await ctx.db
      .selectFrom('proposal_review')
      .select('scores')
      .where('proposalId', '=', proposalId)
      .where('conflict', '=', false)
      .execute();
    if (!scored.some((r) => isCompleteScoring(ctx.rubric, r.scores)))
      return fail(400, { move: t('review.error.scores.missing') });
  }
  const result = await moveProposal(ctx.db, ctx.policy, {
    proposalId,
    move,
    actor,
    reason: reason || undefined,
    feedback: feedback || undefined,
  });
  if (!result.ok) {
    const current = await ctx.db.selectFrom('proposal').select('state').where('id', '=', proposalId).executeTakeFirst();
    const { status, errors: refusal } = refusalErrors(result, current?.state, t);
    return fail(status, refusal);
  }
  return { ok: true, done: 'move', moved: { move, state: result.state, feedback: feedback || undefined } };
}
