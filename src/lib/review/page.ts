import { AGENCIES } from '../../../db/schema/proposal.ts';
import { getReviewRecord, listReviewQueue, type QueueRow, type ReviewRecord } from '../../../db/queries/review.ts';
import { isUuid } from '../../../db/queries/ids.ts';
import type { MessageKey, Translator } from '../../i18n/index.ts';
import { versionBody, type BodyModel } from '../catalog/body.ts';
import { availableMoves, availableUpdateMoves, PROPOSAL_STATES } from '../proposals/state.ts';
import { allCountryCodes } from '../reference/index.ts';
import { formObject } from '../server/forms.ts';
import { notFound, redirect, refuse, type PageContext, type PageModule, type Refusal } from '../server/page.ts';
import { REVISION_FIELD, type Conflict } from '../server/revisions.ts';
import type { FieldErrors } from '../server/forms.ts';
import { runReviewAction, standingOf, type Standing } from './actions.ts';
import { notifyMove } from './notify.ts';
import { ageInDays, parseQueueQuery, QUEUE_STATES, type QueueQuery } from './queue.ts';
import { loadRubric, meanScore, type Rubric } from './rubric.ts';
import { versionContent } from './view.ts';

/** What the forms of the review page show after a refused post: the messages and what was entered. */
export interface ReviewForm {
  errors: FieldErrors;
  values: Record<string, unknown>;
  conflict?: Conflict | undefined;
  /** A posted value, when it is text. */
  str(name: string): string | undefined;
}

export interface ReviewPageModel {
  id: string;
  record: ReviewRecord;
  title: string;
  rubric: Rubric;
  mine: ReviewRecord['reviews'][number] | undefined;
  standing: Standing;
  canReview: boolean;
  inReview: boolean;
  /** Every move the reviewer may make now; `decisions` are those other than taking the proposal for review. */
  moves: string[];
  decisions: string[];
  /** Days since submission. */
  age: number | undefined;
  doneMessage: string | undefined;
  summary: { href: string; message: string }[];
  form: ReviewForm;
  /** Reviewers who declared no conflict (their scores), and the recused. */
  scorers: (ReviewRecord['reviews'][number] & { mean: number | undefined })[];
  recused: ReviewRecord['reviews'][number][];
  consultations: { agency: (typeof AGENCIES)[number]; recorded: ReviewRecord['consultations'][number] | undefined }[];
  /** The version shown (?version=N, else the latest), whether the one asked for exists, and its body. */
  shown: ReviewRecord['latest'];
  versionProblem: boolean;
  summaryText: string | undefined;
  sectors: string[];
  body: BodyModel;
  stateLabel(state: string): string;
  moveLabel(move: string): string;
}

function reviewForm(refusal: Refusal | undefined): ReviewForm {
  let values = refusal?.values ?? {};
  const conflict = refusal?.conflict;
  // A stale form refused: the entries stay, and the form now carries the revision recorded meanwhile.
  if (conflict) values = { ...values, [REVISION_FIELD]: String(conflict.revision) };
  return {
    errors: refusal?.errors ?? {},
    values,
    conflict,
    str: (name) => (typeof values[name] === 'string' ? (values[name] as string) : undefined),
  };
}

function doneMessage(url: URL, t: Translator, stateLabel: (s: string) => string): string | undefined {
  const done = url.searchParams.get('done');
  const state = url.searchParams.get('state');
  if (done === 'move' && state && (PROPOSAL_STATES as readonly string[]).includes(state))
    return t('review.done.move', { state: stateLabel(state) });
  if (done === 'conflict' || done === 'scores' || done === 'consultation') return t(`review.done.${done}`);
  return undefined;
}

const rubricOf = (ctx: PageContext) => loadRubric(ctx.app.config.contentDir);

/**
 * One proposal's review (/review/<id>): the conflict-of-interest declaration first, then the
 * decision, the scores, the interagency consultation, the proposal itself and its history. The
 * forms post here (field `intent` says which): `post` makes the step and its follow-up (the
 * search index, the consortium's mail) and answers 303 back here; bad input 400 with the
 * messages, a recused reviewer 403, a stale form 409. A draft or unknown proposal is not found.
 */
export const reviewPage: PageModule<ReviewPageModel> = {
  async load(ctx, refusal) {
    const { app, t, url } = ctx;
    const id = ctx.params.id ?? '';
    if (!isUuid(id)) return notFound();
    const [record, rubric] = await Promise.all([getReviewRecord(app.db, id), rubricOf(ctx)]);
    if (!record || record.proposal.state === 'draft') return notFound();
    const { proposal, versions, reviews, consultations } = record;
    const mine = reviews.find((r) => r.reviewerId === ctx.viewer!.id);
    const standing = standingOf(mine);
    const moves: string[] = [
      ...availableMoves(proposal.state, 'reviewer'),
      ...availableUpdateMoves(proposal.state, proposal.changeState, 'reviewer'),
    ];
    const wanted = url.searchParams.get('version');
    const found =
      wanted === null ? record.latest : /^\d{1,6}$/.test(wanted) ? versions.find((v) => v.number === Number(wanted)) : undefined;
    const shown = found ?? record.latest;
    const content = versionContent(shown?.content);
    const stateLabel = (s: string) => t(`review.state.${s}` as MessageKey);
    const form = reviewForm(refusal);
    return {
      id,
      record,
      title: content.title ?? record.consortium.name,
      rubric,
      mine,
      standing,
      canReview: standing === 'active',
      inReview: proposal.state === 'under-review',
      moves,
      decisions: moves.filter((m) => m !== 'take'),
      age: ageInDays(proposal.submittedAt),
      doneMessage: doneMessage(url, t, stateLabel),
      summary: Object.entries(form.errors).map(([field, message]) => ({
        href: `#${field === 'conflict' ? 'conflict-yes' : field}`,
        message,
      })),
      form,
      scorers: reviews.filter((r) => !r.conflict).map((r) => ({ ...r, mean: meanScore(rubric, r.scores) })),
      recused: reviews.filter((r) => r.conflict),
      consultations: AGENCIES.map((agency) => ({ agency, recorded: consultations.find((c) => c.agency === agency) })),
      shown,
      versionProblem: wanted !== null && !found,
      summaryText: content.summary,
      sectors: (content.sectors ?? []).map((s) => app.reference.sectorName(s)),
      body: versionBody(content, app.reference.policy),
      stateLabel,
      moveLabel: (m) => t(`review.move.${m}` as MessageKey),
    };
  },

  async post(ctx, form) {
    const { app, t } = ctx;
    const id = ctx.params.id ?? '';
    if (!isUuid(id)) return notFound();
    const values = formObject(form);
    const viewer = ctx.viewer!;
    const result = await runReviewAction(
      {
        db: app.db,
        policy: app.reference.policy,
        rubric: await rubricOf(ctx),
        actor: { id: viewer.id, email: viewer.email, ip: ctx.clientIp },
        t,
      },
      id,
      values,
    );
    const path = `/review/${encodeURIComponent(id)}`;
    if (!result.ok) {
      if (result.status === 404) return notFound();
      return refuse(result.status, result.errors, { values, conflict: result.conflict });
    }
    if (result.updated) {
      app.search.worker.poke();
      return redirect(`${path}?done=move`);
    }
    if (result.moved) {
      app.search.worker.poke();
      await notifyMove(app, id, result.moved.move, result.moved.feedback, t);
      return redirect(`${path}?done=move&state=${encodeURIComponent(result.moved.state)}`);
    }
    return redirect(`${path}?done=${result.done}`);
  },
};

export interface ReviewQueueModel {
  query: QueueQuery;
  problems: { field: string; message: string }[];
  errors: Record<string, string>;
  rows: (QueueRow & { age: number | undefined; sectorNames: string; markets: string })[];
  sectors: { slug: string; name: string }[];
  countries: { code: string; name: string }[];
  states: readonly string[];
  filtered: boolean;
  stateLabel(state: string): string;
}

/**
 * The reviewers' queue (/review): every proposal submitted at least once, oldest submission
 * first, filtered by state, sector and target country (GET parameters, checked: 400 when unknown).
 */
export const reviewQueuePage: PageModule<ReviewQueueModel> = {
  async load({ app, t, url }) {
    const ref = app.reference;
    const { query, problems } = parseQueueQuery(url.searchParams, ref.sectors, t);
    const rows = problems.length
      ? []
      : await listReviewQueue(app.db, {
          state: query.state,
          sector: query.sector,
          country: query.country,
          regions: query.country ? ref.regionsOf(query.country) : [],
        });
    const now = new Date();
    return {
      query,
      problems,
      errors: Object.fromEntries(problems.map((p) => [p.field, p.message])),
      rows: rows.map((row) => ({
        ...row,
        age: ageInDays(row.submittedAt, now),
        sectorNames: row.sectors.map((s) => ref.sectorName(s)).join(', '),
        markets: [...row.targetCountries.map((c) => ref.countryName(c)), ...row.targetRegions.map((r) => ref.regionName(r))].join(
          ', ',
        ),
      })),
      sectors: [...ref.sectors.values()].sort((a, b) => a.name.localeCompare(b.name)),
      countries: allCountryCodes()
        .map((code) => ({ code, name: ref.countryName(code) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      states: QUEUE_STATES,
      filtered: Boolean(query.state || query.sector || query.country),
      stateLabel: (s) => t(`review.state.${s}` as MessageKey),
    };
  },
};
