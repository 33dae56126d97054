/**
 * The officer's "Screen a name" page (/officer/screening): any names, a country and numbers
 * screened against the current list (a GET form: screening changes nothing), the freshness of
 * each source list, and a POST that attaches a screening to a vetting request of the officer's
 * territory (run again on the server, kept in the request's evidence, audited).
 */
import { z } from 'zod';
import { recordAudit } from '../../../db/queries/audit.ts';
import { isUuid } from '../../../db/queries/ids.ts';
import { screeningSourceFreshness, type SourceFreshness } from '../../../db/queries/screening.ts';
import { OPEN_VETTING_STATES, updateVettingFrom, vettingQueue, type VettingQueueRow } from '../../../db/queries/vetting.ts';
import { useTranslations, type Translator } from '../../i18n/index.ts';
import { allCountryCodes, isCountryCode } from '../reference/countries.ts';
import { formObject, type FieldErrors } from '../server/forms.ts';
import { redirect, refuse, type PageModule } from '../server/page.ts';
import { normalizeText } from '../server/text.ts';
import { readEvidence, type AttachedScreening } from '../vetting/evidence.ts';
import { coveredCountries } from '../vetting/territory.ts';
import { minScoreOf, vettingServices, type VettingServices } from '../vetting/services.ts';
import { vettingForOfficer, type VettingActor } from '../vetting/actions.ts';
import { screenParty, type ScreeningResult } from './match.ts';

export const MAX_NAMES = 20;
export const MAX_NAME = 300;
export const MAX_IDS = 10;
export const MAX_ID = 100;
export const MAX_NOTE = 2000;

const lines = (v: string) => [
  ...new Set(
    (normalizeText(v) ?? '')
      .split(/\r?\n/)
      .map((l) => l.trim().replace(/\s+/g, ' '))
      .filter(Boolean),
  ),
];

/** The screening form's schema, its messages in the asker's language. */
export const screenInput = (t: Translator) =>
  z.object({
    names: z
      .string()
      .max(MAX_NAMES * (MAX_NAME + 2), t('screening.error.namesCount', { max: MAX_NAMES }))
      .transform(lines)
      .refine((n) => n.length > 0, t('screening.error.names'))
      .refine((n) => n.length <= MAX_NAMES, t('screening.error.namesCount', { max: MAX_NAMES }))
      .refine((n) => n.every((x) => x.length <= MAX_NAME), t('screening.error.nameLength', { max: MAX_NAME })),
    country: z
      .string()
      .transform((c) => c.trim().toUpperCase())
      .refine((c) => c === '' || isCountryCode(c), t('screening.error.country')),
    ids: z
      .string()
      .max(MAX_IDS * (MAX_ID + 2), t('screening.error.ids', { max: MAX_IDS, length: MAX_ID }))
      .transform(lines)
      .refine(
        (n) => n.length <= MAX_IDS && n.every((x) => x.length <= MAX_ID),
        t('screening.error.ids', { max: MAX_IDS, length: MAX_ID }),
      ),
    minScore: z
      .string()
      .trim()
      .refine((v) => v === '' || (/^(0(\.\d+)?|1(\.0+)?)$/.test(v) && Number(v) >= 0.5), t('screening.error.minScore')),
  });
export type ScreenValues = z.input<ReturnType<typeof screenInput>>;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function readScreen(
  raw: Record<string, unknown>,
  t: Translator,
): {
  values: ScreenValues;
  errors: FieldErrors;
  data?: z.output<ReturnType<typeof screenInput>>;
} {
  const values = { names: str(raw.names), country: str(raw.country), ids: str(raw.ids), minScore: str(raw.minScore) };
  const parsed = screenInput(t).safeParse(values);
  if (parsed.success) return { values, errors: {}, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  return { values, errors };
}

export interface ScreenPageModel {
  values: ScreenValues;
  errors: FieldErrors;
  defaultMinScore: number;
  result: ScreeningResult | undefined;
  freshness: SourceFreshness[];
  /** Open vetting requests of the viewer's territory, to attach the screening to. */
  vettings: VettingQueueRow[];
}

async function attachable(app: Pick<VettingServices, 'db' | 'reference'>, viewer: { id: string; role: string }) {
  const countries = await coveredCountries(app.db, app.reference, viewer);
  return vettingQueue(app.db, { countries, states: [...OPEN_VETTING_STATES, 'verified'], limit: 200 });
}

/** The page's view: the form as given in the query string, the screening when names were given, freshness, requests. */
export async function loadScreenPage(
  app: VettingServices,
  viewer: { id: string; role: string },
  params: URLSearchParams,
  posted?: { values: ScreenValues; errors: FieldErrors },
  t: Translator = useTranslations(),
): Promise<ScreenPageModel> {
  const defaultMinScore = minScoreOf(app);
  const asked = params.has('names');
  const read: ReturnType<typeof readScreen> =
    posted ??
    (asked
      ? readScreen(Object.fromEntries(params), t)
      : { values: { names: '', country: '', ids: '', minScore: '' }, errors: {} });
  let result: ScreeningResult | undefined;
  const data = read.data;
  if (data) {
    result = await screenParty(
      { db: app.db },
      { names: data.names, country: data.country || null, ids: data.ids },
      { minScore: data.minScore ? Number(data.minScore) : defaultMinScore },
    );
  }
  return {
    values: read.values,
    errors: read.errors,
    defaultMinScore,
    result,
    freshness: await screeningSourceFreshness(app.db),
    vettings: await attachable(app, viewer),
  };
}

export type AttachResult =
  { ok: true; vettingId: string } | { ok: false; status: 400 | 404 | 409; errors: FieldErrors; values: ScreenValues };

/** Attaches a screening (run again here, on the server) to a vetting request of the officer's territory. */
export async function attachScreening(
  app: VettingServices,
  actor: VettingActor,
  raw: Record<string, unknown>,
  now = new Date(),
  t: Translator = useTranslations(),
): Promise<AttachResult> {
  const read = readScreen(raw, t);
  const vettingId = str(raw.vettingId);
  const note = (normalizeText(str(raw.note)) ?? '').trim();
  const errors: FieldErrors = { ...read.errors };
  if (note.length > MAX_NOTE) errors.note = t('screening.error.note', { max: MAX_NOTE });
  const vetting = isUuid(vettingId) ? await vettingForOfficer(app, actor, vettingId) : undefined;
  if (!vetting) errors.vettingId = t('screening.error.vetting');
  if (Object.keys(errors).length > 0 || !read.data || !vetting) return { ok: false, status: 400, errors, values: read.values };
  const data = read.data;
  const minScore = data.minScore ? Number(data.minScore) : minScoreOf(app);
  const result = await screenParty(
    { db: app.db },
    { names: data.names, country: data.country || null, ids: data.ids },
    { minScore, now },
  );
  if (!result.list) return { ok: false, status: 409, errors: { form: t('screening.error.noList') }, values: read.values };
  const evidence = readEvidence(vetting.screening);
  const attached: AttachedScreening = {
    attachedAt: now.toISOString(),
    officerId: actor.id,
    officerEmail: actor.email,
    note: note || null,
    result,
  };
  const saved = await app.db.transaction().execute(async (tx) => {
    const row = await updateVettingFrom(
      tx,
      vetting.id,
      vetting.state,
      { screening: { ...evidence, attached: [attached, ...evidence.attached].slice(0, 50) } },
      now,
    );
    if (!row) return false;
    await recordAudit(tx, {
      action: 'screening-attached',
      actorId: actor.id,
      actorEmail: actor.email,
      subjectType: 'vetting',
      subjectId: vetting.id,
      ipAddress: actor.ip ?? null,
      details: {
        names: result.names,
        country: result.country ?? null,
        minScore,
        listImportId: result.list?.importId ?? null,
        candidates: result.candidates.map((c) => ({ entryId: c.entryId, score: c.score })),
      },
    });
    return true;
  });
  if (!saved) return { ok: false, status: 409, errors: { form: t('screening.error.vetting') }, values: read.values };
  return { ok: true, vettingId: vetting.id };
}

/** What /officer/screening renders. */
export interface ScreeningPageView extends ScreenPageModel {
  /** 400 when a screening was asked with bad input (the form keeps what was entered). */
  status?: number;
  countryOptions: { value: string; label: string }[];
  summary: { href: string; message: string }[];
}

const EMPTY: ScreenValues = { names: '', country: '', ids: '', minScore: '' };

/**
 * "Screen a name": any names, a country and numbers against the current list (GET: nothing is
 * stored), the freshness of each source list, and a form that attaches the screening to a
 * vetting request of the officer's territory (POST, run again on the server, audited; PRG).
 */
export const screeningPage: PageModule<ScreeningPageView> = {
  async load(ctx, refusal) {
    const viewer = ctx.viewer!;
    const posted = refusal
      ? { values: (refusal.values as ScreenValues | undefined) ?? EMPTY, errors: refusal.errors }
      : undefined;
    const model = await loadScreenPage(vettingServices(ctx.app), viewer, ctx.url.searchParams, posted, ctx.t);
    const countryOptions = allCountryCodes()
      .map((code) => ({ value: code, label: ctx.app.reference.countryName(code) }))
      .sort((a, b) => a.label.localeCompare(b.label));
    const summary = Object.entries(model.errors).map(([field, message]) => ({
      href: `#${field === 'form' ? 'names' : field}`,
      message,
    }));
    const status = !posted && Object.keys(model.errors).length > 0 ? 400 : undefined;
    return { ...model, countryOptions, summary, ...(status ? { status } : {}) };
  },
  async post(ctx, form) {
    const viewer = ctx.viewer!;
    const actor = { id: viewer.id, email: viewer.email, role: viewer.role, ip: ctx.clientIp };
    const result = await attachScreening(vettingServices(ctx.app), actor, formObject(form), new Date(), ctx.t);
    if (result.ok) return redirect(`/officer/vetting/${encodeURIComponent(result.vettingId)}?done=attached`);
    return refuse(result.status, result.errors, { values: { ...result.values } });
  },
};
