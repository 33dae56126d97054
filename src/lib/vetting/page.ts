/**
 * The vetting pages: the officer's queue (/officer/vetting) and one request
 * (/officer/vetting/[id]), and the buyer's verification (/buyer/verification). Each `load`
 * returns what the page renders; each `post` hands the form to the action and answers a
 * redirect (PRG) or a refusal shown with the form again.
 */
import {
  buyerOrganizationsOf,
  currentVerification,
  listVettingEvents,
  OPEN_VETTING_STATES,
  vettingQueue,
  type BuyerOrganization,
  type VettingDetail,
  type VettingEventDetail,
  type VettingQueueRow,
} from '../../../db/queries/vetting.ts';
import type { VettingRow } from '../../../db/schema/vetting.ts';
import type { MessageKey, Translator } from '../../i18n/index.ts';
import { formObject } from '../server/forms.ts';
import { notFound, redirect, refuse, type PageContext, type PageModule, type Refusal } from '../server/page.ts';
import {
  buyerAccess,
  decideVetting,
  provideInfo,
  REVIEW_MATCHES,
  requestState,
  requestVetting,
  SCREEN_AGAIN,
  vettingFacts,
  vettingForOfficer,
  type RequestState,
} from './actions.ts';
import { readEvidence, type VettingEvidence } from './evidence.ts';
import { isEmbargoed, readFlags, type CountryFlag } from './flags.ts';
import { validityMonthsOf, vettingServices } from './services.ts';
import { asVettingState, isStateMove, vettingMovesFor, type VettingMove, type VettingState } from './state.ts';
import { coveredCountries } from './territory.ts';

export interface Summary {
  href: string;
  message: string;
}
/** A row of a label/value table. */
export interface Row {
  label: string;
  value: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const actorOf = (ctx: PageContext) => {
  const viewer = ctx.viewer!;
  return { id: viewer.id, email: viewer.email, role: viewer.role, ip: ctx.clientIp };
};

/** A country flag's label. */
export function flagLabel(f: CountryFlag, t: Translator): string {
  return f.flag === 'country-group' ? t('vetting.flag.group', { group: f.group }) : t(`vetting.flag.${f.flag}` as MessageKey);
}
export const stateLabel = (s: string, t: Translator) => (s === 'none' ? '–' : t(`vetting.state.${s}` as MessageKey));
export const moveLabel = (m: string, t: Translator) => t(`vetting.move.${m}` as MessageKey);

// ——— The officer's queue ———

export interface VettingQueueModel {
  /** The countries the viewer covers; null for an administrator (every country). */
  countries: string[] | null;
  show: 'all' | 'open';
  rows: (VettingQueueRow & { embargoed: boolean; countryName: string })[];
}

/** The vetting queue of the officer's territory (an administrator's: every country), waiting requests first. */
export const vettingQueuePage: PageModule<VettingQueueModel> = {
  async load(ctx) {
    const { app } = ctx;
    const countries = await coveredCountries(app.db, app.reference, ctx.viewer!);
    const show = ctx.url.searchParams.get('show') === 'open' ? 'open' : 'all';
    const rows = await vettingQueue(app.db, { countries, ...(show === 'open' ? { states: [...OPEN_VETTING_STATES] } : {}) });
    return {
      countries,
      show,
      rows: rows.map((row) => ({
        ...row,
        embargoed: isEmbargoed(row.countryFlags, app.reference.policy, row.country),
        countryName: row.country ? app.reference.countryName(row.country) : '–',
      })),
    };
  },
};

// ——— One request, for the officer ———

export interface OfficerVettingModel {
  vetting: VettingDetail;
  path: string;
  org: string;
  state: VettingState;
  countryName: string;
  orgRows: Row[];
  flags: string[];
  embargoed: boolean;
  evidence: VettingEvidence;
  /** The decisions the state machine allows now (each with a required reason). */
  moves: VettingMove[];
  canScreenAgain: boolean;
  canReviewMatches: boolean;
  events: VettingEventDetail[];
  /** The notice after a decision, a step or an attached screening. */
  doneText?: string | undefined;
  summary: Summary[];
  errors: Refusal['errors'];
  reason: string;
}

const DONE_MOVES: readonly string[] = [REVIEW_MATCHES, SCREEN_AGAIN, 'verify', 'reject', 'ask-info', 'revoke'];

/**
 * One vetting request for the officer covering its country (an administrator sees all; anyone
 * else gets 404): the organization, its names and end use, the country flags, the screening
 * evidence, and the moves the state machine allows with the request's facts, each with its
 * reason. A decision answers 303 back here; a refusal 400/403/409 with the messages.
 */
export const officerVettingPage: PageModule<OfficerVettingModel> = {
  async load(ctx, refusal) {
    const { app, t } = ctx;
    const vetting = await vettingForOfficer(app, ctx.viewer!, ctx.params.id ?? '');
    if (!vetting) return notFound();
    const state = asVettingState(vetting.state);
    const actions = vettingMovesFor(state, 'officer', vettingFacts(app, vetting));
    const evidence = readEvidence(vetting.screening);
    const countryName = vetting.country ? app.reference.countryName(vetting.country) : '–';
    const dash = t('vetting.field.notGiven');
    const done = ctx.url.searchParams.get('done');
    const errors = refusal?.errors ?? {};
    return {
      vetting,
      path: `/officer/vetting/${encodeURIComponent(vetting.id)}`,
      org: vetting.legalName ?? vetting.organizationName,
      state,
      countryName,
      orgRows: [
        { label: t('org.profile.legalName'), value: vetting.legalName ?? dash },
        { label: t('vetting.queue.organization'), value: vetting.organizationName },
        { label: t('org.profile.country'), value: countryName },
        { label: t('org.profile.address'), value: vetting.address ?? dash },
        {
          label: t('org.profile.organizationType'),
          value: vetting.organizationType ? t(`orgType.${vetting.organizationType}` as MessageKey) : dash,
        },
        { label: t('org.profile.registrationNumber'), value: vetting.registrationNumber ?? dash },
        { label: t('org.profile.website'), value: vetting.website ?? dash },
        {
          label: t('vetting.detail.alternateNames'),
          value: vetting.alternateNames.length ? vetting.alternateNames.join('; ') : dash,
        },
        { label: t('vetting.detail.requestedOn'), value: t.date(vetting.createdAt) },
        ...(vetting.expiresAt ? [{ label: t('vetting.detail.expires'), value: t.date(vetting.expiresAt) }] : []),
      ],
      flags: readFlags(vetting.countryFlags).map((f) => flagLabel(f, t)),
      embargoed: vettingFacts(app, vetting).embargoed,
      evidence,
      moves: actions.filter(isStateMove),
      canScreenAgain: actions.includes(SCREEN_AGAIN),
      canReviewMatches: actions.includes(REVIEW_MATCHES),
      events: await listVettingEvents(app.db, vetting.id),
      doneText:
        done === 'attached'
          ? t('screening.attached.done')
          : done && DONE_MOVES.includes(done)
            ? t('vetting.detail.done', { move: moveLabel(done, t) })
            : undefined,
      summary: Object.entries(errors).map(([field, message]) => ({
        href: field === 'reason' ? '#reason' : '#decision-heading',
        message,
      })),
      errors,
      reason: str(refusal?.values?.reason) ?? '',
    };
  },
  async post(ctx, form) {
    const values = formObject(form);
    const id = ctx.params.id ?? '';
    const result = await decideVetting(vettingServices(ctx.app), actorOf(ctx), id, values, new Date(), ctx.t);
    if (result.ok) return redirect(`/officer/vetting/${encodeURIComponent(id)}?done=${encodeURIComponent(result.move)}`);
    // Not (or no longer) the viewer's to decide: back to the queue.
    if (result.status === 404) return redirect('/officer/vetting');
    return refuse(result.status, result.errors, { values });
  },
};

// ——— The buyer's verification ———

export interface BuyerVerificationModel {
  organizations: BuyerOrganization[];
  chosen: BuyerOrganization | undefined;
  path: string;
  validityMonths: number;
  doneText?: string | undefined;
  summary: Summary[];
  errors: Refusal['errors'];
  /** The organization, when the viewer is one of its members and it has a buyer profile. */
  buyer?:
    | {
        organizationId: string;
        manage: boolean;
        country: string;
        countryName: string;
        profileRows: Row[];
        embargoed: boolean;
        standing: RequestState;
        latest: VettingDetail | undefined;
        state: VettingState | undefined;
        current: VettingRow | undefined;
        events: VettingEventDetail[];
        formHeading: string;
        /** The request form's values: as posted, else the latest request's. */
        form: { alternateNames: string; endUse: string; endUsers: string };
        answer: string;
      }
    | undefined;
}

const ORDER = ['form', 'answer', 'alternateNames', 'endUse', 'endUsers'];

function chooseOrganization(ctx: PageContext, organizations: BuyerOrganization[]) {
  const wanted = ctx.url.searchParams.get('org');
  const chosen = wanted ? organizations.find((o) => o.organizationId === wanted) : organizations[0];
  return { wanted, chosen };
}

/**
 * A buyer organization's verification: its status, the officer's question and the answer, and
 * the request (again, or to renew). Two forms (field `intent`: `request`, `answer`); success
 * answers 303 back here, bad input 400 with the messages. `?org=` chooses among the viewer's
 * buyer organizations; another's is 404.
 */
export const buyerVerificationPage: PageModule<BuyerVerificationModel> = {
  async load(ctx, refusal) {
    const { app, t } = ctx;
    const viewer = ctx.viewer!;
    const organizations = await buyerOrganizationsOf(app.db, viewer.id);
    const { wanted, chosen } = chooseOrganization(ctx, organizations);
    if (wanted && !chosen) return notFound();
    const errors = refusal?.errors ?? {};
    const values = refusal?.values ?? {};
    const done = ['requested', 'answered'].find((d) => d === ctx.url.searchParams.get('done'));
    const model: BuyerVerificationModel = {
      organizations,
      chosen,
      path: chosen ? `/buyer/verification?org=${encodeURIComponent(chosen.organizationId)}` : '/buyer/verification',
      validityMonths: validityMonthsOf(app),
      doneText: done ? t(`vetting.buyer.done.${done}` as MessageKey) : undefined,
      errors,
      summary: Object.entries(errors)
        .sort(([a], [b]) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99))
        .map(([field, message]) => ({ href: field === 'form' ? '#verification-title' : `#${field}`, message })),
    };
    const access = chosen ? await buyerAccess(app.db, viewer, chosen.organizationId) : undefined;
    if (!access) return model;
    const now = new Date();
    const { profile } = access;
    const standing = await requestState(app.db, access.organization.id, now);
    const latest = standing.latest;
    const state = latest ? asVettingState(latest.state) : undefined;
    const dash = t('vetting.field.notGiven');
    model.buyer = {
      organizationId: access.organization.id,
      manage: access.manage,
      country: profile.country,
      countryName: app.reference.countryName(profile.country),
      profileRows: [
        { label: t('org.profile.legalName'), value: profile.legalName },
        { label: t('org.profile.country'), value: app.reference.countryName(profile.country) },
        { label: t('org.profile.address'), value: profile.address ?? dash },
        { label: t('org.profile.organizationType'), value: t(`orgType.${profile.organizationType}` as MessageKey) },
        { label: t('org.profile.registrationNumber'), value: profile.registrationNumber ?? dash },
        { label: t('org.profile.website'), value: profile.website ?? dash },
      ],
      embargoed: isEmbargoed(latest?.countryFlags ?? [], app.reference.policy, profile.country),
      standing,
      latest,
      state,
      current: await currentVerification(app.db, access.organization.id, now),
      events: latest ? await listVettingEvents(app.db, latest.id) : [],
      formHeading: !latest
        ? t('vetting.buyer.form.new')
        : state === 'verified'
          ? t('vetting.buyer.form.renew')
          : t('vetting.buyer.form.again'),
      form: {
        alternateNames: str(values.alternateNames) ?? latest?.alternateNames.join('\n') ?? '',
        endUse: str(values.endUse) ?? latest?.endUse ?? '',
        endUsers: str(values.endUsers) ?? latest?.endUsers ?? '',
      },
      answer: str(values.answer) ?? '',
    };
    return model;
  },
  async post(ctx, form) {
    const services = vettingServices(ctx.app);
    const values = formObject(form);
    const organizations = await buyerOrganizationsOf(ctx.app.db, ctx.viewer!.id);
    const { wanted, chosen } = chooseOrganization(ctx, organizations);
    if (wanted && !chosen) return notFound();
    if (!chosen) return refuse(400, { form: ctx.t('vetting.error.form') }, { values });
    const path = `/buyer/verification?org=${encodeURIComponent(chosen.organizationId)}`;
    const now = new Date();
    const result =
      values.intent === 'request'
        ? await requestVetting(services, actorOf(ctx), chosen.organizationId, values, now, ctx.t)
        : values.intent === 'answer'
          ? await provideInfo(services, actorOf(ctx), str(values.vettingId) ?? '', values, now, ctx.t)
          : undefined;
    if (!result) return refuse(400, { form: ctx.t('vetting.error.form') }, { values });
    if (result.ok) return redirect(`${path}&done=${values.intent === 'request' ? 'requested' : 'answered'}`);
    return refuse(result.status, result.errors, { values });
  },
};
