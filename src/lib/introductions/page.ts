/**
 * The introductions pages: one introduction (/introductions/[id]), "my introductions"
 * (/introductions), a buyer's request (/introductions/new), the buyer's dashboard (/buyer), and
 * the officer's dashboard and list (/officer, /officer/introductions). Each `load` returns what
 * the page renders; each `post` hands the form to the action and answers a redirect (PRG) or a
 * refusal shown with the form again.
 */
import {
  findOpenIntroductionFor,
  listIntroductionAttachments,
  listIntroductionEvents,
  listIntroductionMessages,
  listIntroductions,
  type IntroductionDetail,
  type IntroductionEventDetail,
  type IntroductionListRow,
  type IntroductionMessageDetail,
} from '../../../db/queries/introductions.ts';
import { findOrganization } from '../../../db/queries/organizations.ts';
import { findPackageBySlug } from '../../../db/queries/packages.ts';
import type { PackageRow } from '../../../db/schema/package.ts';
import { buyerOrganizationsOf, currentVerification, type BuyerOrganization } from '../../../db/queries/vetting.ts';
import type { MessageKey, Translator } from '../../i18n/index.ts';
import { packagesFor, type SuggestedPackage } from '../matching/index.ts';
import type { Reference } from '../reference/index.ts';
import { formObject, type FieldErrors } from '../server/forms.ts';
import { notFound, redirect, refuse, type PageContext, type PageModule } from '../server/page.ts';
import { coveredCountries } from '../vetting/territory.ts';
import { introductionAccess, introductionsFor } from './access.ts';
import { requestEligibility, type RequestEligibility } from './eligibility.ts';
import { outcomeLabel } from './labels.ts';
import { postMessage } from './messages.ts';
import { moveIntroduction } from './moves.ts';
import { isFlagged, queueByState } from './queue.ts';
import { requestIntroduction } from './request.ts';
import {
  businessDaysBetween,
  INTRODUCTION_MOVES,
  INTRODUCTION_STATES,
  isOpen,
  MAX_OPEN_REQUESTS,
  noteOf,
  OUTCOMES,
  waitingOn,
  type IntroductionActor,
  type IntroductionMove,
  type IntroductionState,
} from './state.ts';

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const actorOf = (ctx: PageContext) => {
  const viewer = ctx.viewer!;
  return { id: viewer.id, email: viewer.email, name: viewer.name, role: viewer.role, ip: ctx.clientIp };
};

// ——— The introductions table (buyer, officer, "my introductions") ———

/** A row of the introductions table, every cell ready to show. */
export interface IntroductionTableRow {
  id: string;
  packageTitle: string;
  buyerName: string;
  buyerCountryName: string | undefined;
  consortiumName: string;
  stateText: string;
  outcomeText: string | undefined;
  waitingSince: Date;
  /** Business days since it last moved; undefined once it has ended. */
  days: number | undefined;
  flagged: boolean;
  officerName: string;
}

export function tableRows(
  rows: IntroductionListRow[],
  reference: Pick<Reference, 'countryName'>,
  t: Translator,
  now = new Date(),
): IntroductionTableRow[] {
  return rows.map((row) => ({
    id: row.id,
    packageTitle: row.packageTitle,
    buyerName: row.buyerName,
    buyerCountryName: row.buyerCountry ? reference.countryName(row.buyerCountry) : undefined,
    consortiumName: row.consortiumName ?? '—',
    stateText: t(`intro.state.${row.state}` as MessageKey),
    outcomeText: row.outcome ? t(`intro.outcome.${row.outcome}` as MessageKey) : undefined,
    waitingSince: row.waitingSince,
    days: isOpen(row.state) ? businessDaysBetween(row.waitingSince, now) : undefined,
    flagged: isFlagged(row.state, row.waitingSince, now),
    officerName: row.officerName ?? '—',
  }));
}

// ——— One introduction ———

export interface MoveForm {
  move: IntroductionMove;
  /** The note the move asks for (required, optional) or none. */
  note: 'required' | 'optional' | undefined;
  /** The move closes the introduction and asks for its outcome. */
  asksOutcome: boolean;
  /** A move that ends or refuses (shown as a secondary button). */
  ending: boolean;
  noteValue: string;
  outcomeValue: string;
  noteError: string | undefined;
  outcomeError: string | undefined;
}

export interface IntroductionModel {
  intro: IntroductionDetail;
  side: IntroductionActor;
  path: string;
  title: string;
  state: IntroductionState;
  outcomeText: string | undefined;
  /** Whose turn it is and for how long, while it is open. */
  waitingText: string | undefined;
  waitingDays: number;
  doneText: string | undefined;
  summary: { href: string; message: string }[];
  errors: FieldErrors;
  moves: MoveForm[];
  /** The brief is the officer's word to the consortium; the buyer does not see it. */
  showBrief: boolean;
  buyerCountryName: string | undefined;
  events: IntroductionEventDetail[];
  messages: IntroductionMessageDetail[];
  attachments: Awaited<ReturnType<typeof listIntroductionAttachments>>;
  /** The message being written, after a refused send. */
  body: string;
  /** For the officer: other packages that fit the buyer. */
  suggestions: SuggestedPackage[];
}

const ENDING: readonly IntroductionMove[] = ['decline', 'refuse', 'withdraw'];

/**
 * One introduction: what was asked, where it stands, its timeline, the moves the viewer's side
 * may make (field `intent`: `move` or `message`; 303 on success, 400/403/409 with the messages
 * otherwise), the message thread and its files. Nobody outside it learns it exists (404).
 */
export const introductionPage: PageModule<IntroductionModel> = {
  async load(ctx, refusal) {
    const { app, t } = ctx;
    // After a refusal (a 409) the introduction may have moved meanwhile: it is shown as it is now.
    const access = await introductionAccess(app, ctx.viewer, ctx.params.id ?? '');
    if (!access) return notFound();
    const { intro, side } = access;
    const state = intro.state as IntroductionState;
    const errors = refusal?.errors ?? {};
    const values = refusal?.values ?? {};
    const postedMove = str(values.move);
    const [events, messages, attachments] = await Promise.all([
      listIntroductionEvents(app.db, intro.id),
      listIntroductionMessages(app.db, intro.id),
      listIntroductionAttachments(app.db, intro.id),
    ]);
    const showBrief = side !== 'buyer';
    const waiting = isOpen(state) ? waitingOn(state) : undefined;
    const done = ctx.request.method === 'GET' ? ctx.url.searchParams.get('done') : null;
    const doneKey =
      done && (done === 'requested' || done === 'message' || done === 'attachment' || Object.hasOwn(INTRODUCTION_MOVES, done))
        ? (`intro.done.${done}` as MessageKey)
        : undefined;
    return {
      intro,
      side,
      path: `/introductions/${intro.id}`,
      title: t('intro.detail.title', { package: intro.packageTitle }),
      state,
      outcomeText: intro.outcome ? outcomeLabel(intro.outcome, t) : undefined,
      waitingText: waiting
        ? waiting === side
          ? t('intro.detail.yourTurn')
          : t('intro.detail.waitingOn', { side: t(`intro.side.${waiting}` as MessageKey) })
        : undefined,
      waitingDays: businessDaysBetween(intro.waitingSince, new Date()),
      doneText: doneKey ? t(doneKey) : undefined,
      summary: Object.entries(errors).map(([field, message]) => ({
        href:
          field === 'note'
            ? `#note-${postedMove}`
            : field === 'outcome'
              ? `#outcome-${postedMove}`
              : field === 'body'
                ? '#body'
                : '#moves',
        message,
      })),
      errors,
      moves: access.moves.map((move) => {
        const posted = postedMove === move;
        return {
          move,
          note: noteOf(move),
          asksOutcome: move === 'close',
          ending: ENDING.includes(move),
          noteValue: posted ? str(values.note) : '',
          outcomeValue: posted ? str(values.outcome) : '',
          noteError: posted ? errors.note : undefined,
          outcomeError: posted ? errors.outcome : undefined,
        };
      }),
      showBrief,
      buyerCountryName: intro.buyerCountry ? app.reference.countryName(intro.buyerCountry) : undefined,
      events: events.map((e) => (e.note && e.move === 'broker' && !showBrief ? { ...e, note: null } : e)),
      messages,
      attachments,
      body: values.intent === 'message' ? str(values.body) : '',
      suggestions:
        side === 'officer'
          ? await packagesFor(
              app,
              { country: intro.buyerCountry, sectors: intro.buyerSectors },
              { needs: intro.needs, exclude: [intro.packageId], limit: 5, t },
            )
          : [],
    };
  },
  async post(ctx, form) {
    const values = formObject(form);
    const id = ctx.params.id ?? '';
    const access = await introductionAccess(ctx.app, ctx.viewer, id);
    if (!access) return notFound();
    const path = `/introductions/${access.intro.id}`;
    if (values.intent === 'move') {
      const result = await moveIntroduction(ctx.app, actorOf(ctx), access.intro.id, values, new Date(), ctx.t);
      if (result.ok) return redirect(`${path}?done=${result.move}`);
      return refuse(result.status, result.errors, { values });
    }
    if (values.intent === 'message') {
      const result = await postMessage(ctx.app, actorOf(ctx), access.intro.id, values, new Date(), ctx.t);
      if (result.ok) return redirect(`${path}?done=message#thread`);
      return refuse(result.status, result.errors, { values });
    }
    return refuse(400, { form: ctx.t('intro.error.form') }, { values });
  },
};

/** The outcomes a closing officer chooses from. */
export { OUTCOMES };

// ——— "My introductions" ———

export type ShowChoice = 'all' | 'open' | 'closed';

export interface IntroductionsListModel {
  /** A buyer, supplier, officer or administrator (anyone else reads how introductions work). */
  participant: boolean;
  role: string | undefined;
  show: ShowChoice;
  rows: IntroductionTableRow[];
}

const PARTICIPANTS: readonly string[] = ['buyer', 'supplier', 'officer', 'admin'];

/**
 * "My introductions": a buyer's organizations' requests, the introductions brokered to the
 * consortia a supplier leads, an officer's territory's, or all of them for an administrator.
 */
export const introductionsListPage: PageModule<IntroductionsListModel> = {
  async load(ctx) {
    const viewer = ctx.viewer;
    const participant = !!viewer && PARTICIPANTS.includes(viewer.role);
    const show = (['open', 'closed', 'all'] as const).find((s) => s === ctx.url.searchParams.get('show')) ?? 'all';
    const rows = participant ? await introductionsFor(ctx.app, viewer!) : [];
    const shown = rows.filter((r) => show === 'all' || (show === 'open') === isOpen(r.state));
    return { participant, role: viewer?.role, show, rows: tableRows(shown, ctx.app.reference, ctx.t) };
  },
};

// ——— A buyer's request ———

export interface NewIntroductionModel {
  pkg: PackageRow;
  values: Record<string, unknown>;
  errors: FieldErrors;
  summary: { href: string; message: string }[];
}

async function packageOf(ctx: PageContext): Promise<PackageRow | undefined> {
  const slug = ctx.url.searchParams.get('package') ?? '';
  return /^[a-z0-9-]{1,120}$/.test(slug) ? findPackageBySlug(ctx.app.db, slug) : undefined;
}

/**
 * A buyer's request for an introduction to one package (?package=SLUG). The form is the package
 * page's; a refused request is shown here again with the messages (400 bad input, 409 a limit or
 * the verification); an accepted one goes to the new introduction.
 */
export const newIntroductionPage: PageModule<NewIntroductionModel> = {
  async load(ctx, refusal) {
    const pkg = await packageOf(ctx);
    if (!pkg) return notFound();
    const errors = refusal?.errors ?? {};
    return {
      pkg,
      values: refusal?.values ?? {},
      errors,
      summary: Object.entries(errors).map(([field, message]) => ({
        href: field === 'form' ? '#intro-request-heading' : `#${field}`,
        message,
      })),
    };
  },
  async post(ctx, form) {
    const pkg = await packageOf(ctx);
    if (!pkg) return notFound();
    const values = formObject(form);
    const result = await requestIntroduction(ctx.app, actorOf(ctx), pkg.slug, values, new Date(), ctx.t);
    if (result.ok) return redirect(`/introductions/${result.id}?done=requested`);
    return refuse(result.status, result.errors, { values });
  },
};

/** What the introduction box of a package page shows: who may ask, and the requests already open for it. */
export async function introductionBox(
  app: PageContext['app'],
  viewer: PageContext['viewer'],
  pkg: Pick<PackageRow, 'id' | 'status'>,
): Promise<{ eligibility: RequestEligibility | undefined; existing: { organizationName: string; id: string }[] }> {
  const eligibility = pkg.status === 'designated' ? await requestEligibility(app.db, viewer) : undefined;
  const existing: { organizationName: string; id: string }[] = [];
  if (eligibility?.kind === 'eligible') {
    for (const org of eligibility.organizations) {
      const open = await findOpenIntroductionFor(app.db, org.organizationId, pkg.id);
      if (open) existing.push({ organizationName: org.name, id: open.id });
    }
  }
  return { eligibility, existing };
}

// ——— The buyer's dashboard ———

export interface BuyerDashboardModel {
  organizations: BuyerOrganization[];
  chosen: BuyerOrganization | undefined;
  needs: string;
  /** The verification that stands, or the open request. */
  verification: { expiresAt: Date | null } | undefined;
  requests: IntroductionTableRow[];
  openCount: number;
  maxOpen: number;
  /** The lede of "packages for you": the country and sectors they are ranked for. */
  forYouText: string;
  suggestions: SuggestedPackage[];
}

/**
 * The buyer's dashboard: the organization's verification, its introduction requests, and
 * "packages for you" — ranked for its country, blocs, sectors and (optionally) needs, with
 * reasons. `?org=` chooses among the viewer's buyer organizations; `?needs=` refines the suggestions.
 */
export const buyerDashboardPage: PageModule<BuyerDashboardModel> = {
  async load(ctx) {
    const { app, t } = ctx;
    const organizations = await buyerOrganizationsOf(app.db, ctx.viewer!.id);
    const wanted = ctx.url.searchParams.get('org');
    const chosen = wanted ? organizations.find((o) => o.organizationId === wanted) : organizations[0];
    if (wanted && !chosen) return notFound();
    const needs = (ctx.url.searchParams.get('needs') ?? '').slice(0, 500);
    const profile = chosen ? (await findOrganization(app.db, chosen.organizationId))?.profile : undefined;
    const requests = chosen ? await listIntroductions(app.db, { buyerOrganizationIds: [chosen.organizationId] }) : [];
    return {
      organizations,
      chosen,
      needs,
      verification: chosen ? await currentVerification(app.db, chosen.organizationId) : undefined,
      requests: tableRows(requests, app.reference, t),
      openCount: requests.filter((r) => isOpen(r.state)).length,
      maxOpen: MAX_OPEN_REQUESTS,
      forYouText: profile
        ? t('intro.buyer.forYou.lede', {
            country: app.reference.countryName(profile.country),
            sectors: profile.sectors.length
              ? profile.sectors.map((s) => app.reference.sectorName(s)).join(', ')
              : t('intro.buyer.forYou.noSectors'),
          })
        : t('intro.buyer.forYou.noProfile'),
      suggestions: profile
        ? await packagesFor(
            app,
            { country: profile.country, sectors: profile.sectors },
            // Packages already asked for are on the list above, not suggested again.
            { needs, limit: 8, excludeSlugs: requests.map((r) => r.packageSlug), t },
          )
        : [],
    };
  },
};

// ——— The officer's dashboard and list ———

export interface OfficerDashboardModel {
  countries: string[] | null;
  groups: { state: IntroductionState; rows: IntroductionTableRow[] }[];
  openCount: number;
  flagged: number;
  outcomes: { outcome: (typeof OUTCOMES)[number]; count: number }[];
}

/**
 * The officer's dashboard: the open introductions of their territory by state and by age in
 * business days (those not moved for FLAG_AFTER_BUSINESS_DAYS flagged, first), the outcomes of
 * those closed, and the way to the vetting queue.
 */
export const officerDashboardPage: PageModule<OfficerDashboardModel> = {
  async load(ctx) {
    const { app, t } = ctx;
    const now = new Date();
    const rows = await introductionsFor(app, ctx.viewer!, { limit: 1000 });
    const groups = queueByState(rows, now).map((g) => ({ state: g.state, rows: tableRows(g.rows, app.reference, t, now) }));
    return {
      countries: await coveredCountries(app.db, app.reference, ctx.viewer!),
      groups,
      flagged: groups.reduce((n, g) => n + g.rows.filter((r) => r.flagged).length, 0),
      openCount: groups.reduce((n, g) => n + g.rows.length, 0),
      outcomes: OUTCOMES.map((o) => ({
        outcome: o,
        count: rows.filter((r) => r.state === 'closed' && r.outcome === o).length,
      })),
    };
  },
};

export interface OfficerIntroductionsModel {
  state: string;
  states: readonly IntroductionState[];
  rows: IntroductionTableRow[];
}

/** Every introduction of the officer's territory (an administrator's: all), of one state or all. */
export const officerIntroductionsPage: PageModule<OfficerIntroductionsModel> = {
  async load(ctx) {
    const wanted = ctx.url.searchParams.get('state') ?? '';
    const state = (INTRODUCTION_STATES as readonly string[]).includes(wanted) ? wanted : '';
    const rows = await introductionsFor(ctx.app, ctx.viewer!, { ...(state ? { states: [state] } : {}), limit: 1000 });
    return { state, states: INTRODUCTION_STATES, rows: tableRows(rows, ctx.app.reference, ctx.t) };
  },
};
