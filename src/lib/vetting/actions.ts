import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import type { SiteRole } from '../../../db/schema/user.ts';
import type { VettingRow } from '../../../db/schema/vetting.ts';
import { recordAudit } from '../../../db/queries/audit.ts';
import { isUuid } from '../../../db/queries/ids.ts';
import { lockOrganization } from '../../../db/queries/introductions.ts';
import { recordVettingMove } from './record.ts';
import { findMembership, findOrganization, hasOrgRole } from '../../../db/queries/organizations.ts';
import {
  adminEmails,
  findVetting,
  insertVetting,
  latestVettingFor,
  organizationManagerEmails,
  updateVettingFrom,
  userEmails,
  type VettingDetail,
} from '../../../db/queries/vetting.ts';
import { useTranslations, type MessageKey, type Translator } from '../../i18n/index.ts';
import type { FieldErrors } from '../server/forms.ts';
import { screenParty } from '../screening/match.ts';
import { addDays, addMonths, RENEWAL_WINDOW_DAYS } from './config.ts';
import { firstEvidence, readEvidence, rescreenedEvidence } from './evidence.ts';
import { countryFlags, isEmbargoed, readFlags, type CountryFlag } from './flags.ts';
import { minScoreOf, sendAll, siteBase, validityMonthsOf, type VettingServices } from './services.ts';
import {
  asVettingState,
  checkVettingMove,
  isVettingAction,
  type VettingAction,
  type VettingFacts,
  type VettingMove,
  type VettingState,
} from './state.ts';
import { covers, coveredCountries, officersFor } from './territory.ts';

/*
 * Messages of a refusal are in the asker's language (`t`, the request's translator); the mails to
 * officers and buyers are in English (`useTranslations()` when sent): their language is not stored.
 */

/** Longest text accepted in the free-text fields. */
export const MAX_TEXT = 4000;
export const MAX_ALTERNATE_NAMES = 20;
export const MAX_NAME = 200;

export interface VettingActor {
  id: string;
  email: string;
  role: SiteRole;
  ip?: string | null | undefined;
}

export type VettingResult<T = object> = ({ ok: true } & T) | { ok: false; status: 400 | 403 | 404 | 409; errors: FieldErrors };

const fail = (status: 400 | 403 | 404 | 409, errors: FieldErrors) => ({ ok: false, status, errors }) as const;

/** Alternate names, one per line: trimmed, blank lines and repeats dropped. */
export function parseAlternateNames(text: string): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const name = line.trim().replace(/\s+/g, ' ');
    if (!name || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    names.push(name);
  }
  return names;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** The request form's schema, its messages in the asker's language. */
export const vettingRequestInput = (t: Translator) =>
  z.object({
    alternateNames: z
      .string()
      .max(MAX_ALTERNATE_NAMES * (MAX_NAME + 2), t('vetting.error.alternateNames.count', { max: MAX_ALTERNATE_NAMES }))
      .transform(parseAlternateNames)
      .refine(
        (names) => names.length <= MAX_ALTERNATE_NAMES,
        t('vetting.error.alternateNames.count', { max: MAX_ALTERNATE_NAMES }),
      )
      .refine((names) => names.every((n) => n.length <= MAX_NAME), t('vetting.error.alternateNames.length', { max: MAX_NAME })),
    endUse: z
      .string()
      .trim()
      .min(1, t('vetting.error.endUse'))
      .max(MAX_TEXT, t('vetting.error.tooLong', { max: MAX_TEXT })),
    endUsers: z
      .string()
      .trim()
      .min(1, t('vetting.error.endUsers'))
      .max(MAX_TEXT, t('vetting.error.tooLong', { max: MAX_TEXT })),
  });

function flagsText(flags: CountryFlag[], t: Translator): string {
  if (!flags.length) return t('vetting.flag.none');
  return flags
    .map((f) =>
      f.flag === 'country-group' ? t('vetting.flag.group', { group: f.group }) : t(`vetting.flag.${f.flag}` as MessageKey),
    )
    .join('; ');
}

/** The screening names of an organization: its legal name, its name on the site, its alternate names. */
export function screeningNames(vetting: {
  legalName: string | null;
  organizationName: string;
  alternateNames: string[];
}): string[] {
  return [
    ...new Set([vetting.legalName, vetting.organizationName, ...vetting.alternateNames].filter((n): n is string => !!n?.trim())),
  ];
}

export interface RequestState {
  /** The organization's latest request, if any. */
  latest: VettingDetail | undefined;
  /** Whether a new request (or a renewal) may be made now, and if not why. */
  canRequest: boolean;
  refusal: 'open' | 'verified' | undefined;
  /** The day from which a standing verification may be renewed. */
  renewFrom: Date | undefined;
}

/** Whether the organization may ask (again) now: never while a request is open, a verified one only within the renewal window. */
export async function requestState(db: Kysely<Database>, organizationId: string, now = new Date()): Promise<RequestState> {
  const latest = await latestVettingFor(db, organizationId);
  if (!latest) return { latest, canRequest: true, refusal: undefined, renewFrom: undefined };
  const state = asVettingState(latest.state);
  if (state === 'pending' || state === 'info-requested')
    return { latest, canRequest: false, refusal: 'open', renewFrom: undefined };
  if (state === 'verified' && latest.expiresAt && latest.expiresAt > now) {
    const renewFrom = addDays(latest.expiresAt, -RENEWAL_WINDOW_DAYS);
    return renewFrom <= now
      ? { latest, canRequest: true, refusal: undefined, renewFrom }
      : { latest, canRequest: false, refusal: 'verified', renewFrom };
  }
  return { latest, canRequest: true, refusal: undefined, renewFrom: undefined };
}

/** The viewer's hold on a buyer organization: undefined when not a member (404), `manage` for owners and admins. */
export async function buyerAccess(db: Kysely<Database>, actor: { id: string }, organizationId: string) {
  if (!organizationId || organizationId.length > 100) return undefined;
  const membership = await findMembership(db, organizationId, actor.id);
  if (!membership) return undefined;
  const record = await findOrganization(db, organizationId);
  if (!record?.profile || record.profile.kind !== 'buyer') return undefined;
  return {
    ...record,
    profile: record.profile,
    manage: hasOrgRole(membership.role, 'owner') || hasOrgRole(membership.role, 'admin'),
  };
}

/**
 * A buyer organization's owner or administrator asks to be verified: the country policy check,
 * restricted-party screening of every name, a `pending` request with its evidence, its event and
 * audit entry, and an email to the officers covering the country. Nobody is verified here: an
 * officer decides every request, whatever the screening found.
 */
export async function requestVetting(
  app: VettingServices,
  actor: VettingActor,
  organizationId: string,
  input: Record<string, unknown>,
  now = new Date(),
  t: Translator = useTranslations(),
): Promise<VettingResult<{ id: string; embargoed: boolean; candidates: number }>> {
  const access = await buyerAccess(app.db, actor, organizationId);
  if (!access) return fail(404, { form: t('vetting.error.notFound') });
  if (!access.manage) return fail(403, { form: t('vetting.error.notManager') });
  const checked = vettingRequestInput(t).safeParse({
    alternateNames: text(input.alternateNames),
    endUse: text(input.endUse),
    endUsers: text(input.endUsers),
  });
  if (!checked.success) {
    const errors: FieldErrors = {};
    for (const issue of checked.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
    return fail(400, errors);
  }
  const refusal = (standing: RequestState) =>
    fail(409, {
      form:
        standing.refusal === 'open'
          ? t('vetting.error.open')
          : t('vetting.error.notYet', { date: t.date(standing.renewFrom ?? now) }),
    });
  const standing = await requestState(app.db, organizationId, now);
  if (!standing.canRequest) return refusal(standing);
  const { profile, organization } = access;
  const data = checked.data;
  const names = screeningNames({
    legalName: profile.legalName,
    organizationName: organization.name,
    alternateNames: data.alternateNames,
  });
  const screening = await screenParty(
    { db: app.db },
    { names, country: profile.country, ids: profile.registrationNumber ? [profile.registrationNumber] : [] },
    { minScore: minScoreOf(app), now },
  );
  const flags = countryFlags(app.reference.policy, profile.country);
  const embargoed = flags.some((f) => f.flag === 'embargoed');

  const row = await app.db.transaction().execute(async (tx) => {
    // Asked twice at once (a double submit, two owners): the organization's row is locked and
    // the standing read again, so that only one request is opened.
    await lockOrganization(tx, organizationId);
    const again = await requestState(tx, organizationId, now);
    if (!again.canRequest) return { refused: again };
    const created = await insertVetting(tx, {
      organizationId,
      requestedBy: actor.id,
      alternateNames: data.alternateNames,
      endUse: data.endUse,
      endUsers: data.endUsers,
      countryFlags: flags,
      screening: firstEvidence(screening),
    });
    await recordVettingMove(tx, {
      vettingId: created.id,
      move: 'request',
      from: 'none',
      to: 'pending',
      actor,
      reason: null,
      at: now,
      audit: {
        action: 'vetting-requested',
        details: {
          organizationId,
          country: profile.country,
          renewal: standing.latest?.state === 'verified',
          flags: flags.map((f) => (f.flag === 'country-group' ? `group:${f.group}` : f.flag)),
          candidates: screening.candidates.map((c) => ({ entryId: c.entryId, score: c.score })),
          listImportId: screening.list?.importId ?? null,
        },
      },
    });
    return created;
  });
  if ('refused' in row) return refusal(row.refused);

  const mail = useTranslations();
  const subject = mail('vetting.mail.requested.subject', {
    org: profile.legalName,
    country: app.reference.countryName(profile.country),
  });
  const body = mail('vetting.mail.requested.body', {
    org: profile.legalName,
    country: app.reference.countryName(profile.country),
    flags: flagsText(flags, mail),
    screening: screening.list
      ? mail('vetting.mail.screening', {
          count: screening.candidates.length,
          list: screening.list.filename,
          date: mail.date(screening.list.importedAt),
        })
      : mail('vetting.mail.screening.noList'),
    url: `${siteBase(app)}/officer/vetting/${row.id}`,
  });
  await sendAll(
    app.mailer,
    (await officerRecipients(app, profile.country)).map((to) => ({ to, subject, text: body })),
  );
  return { ok: true, id: row.id, embargoed, candidates: screening.candidates.length };
}

/** Officers covering the country; the administrators when nobody covers it (a request is never left unseen). */
export async function officerRecipients(
  app: VettingServices,
  country: string | null,
  extra: (string | null)[] = [],
): Promise<string[]> {
  const ids = country ? await officersFor(app.db, app.reference, country) : [];
  const wanted = [...new Set([...ids, ...extra.filter((x): x is string => !!x)])];
  const emails = await userEmails(app.db, wanted);
  return emails.length ? emails : adminEmails(app.db);
}

/** The buyer answers an officer's question: `provide-info`, back to `pending`. */
export async function provideInfo(
  app: VettingServices,
  actor: VettingActor,
  vettingId: string,
  input: Record<string, unknown>,
  now = new Date(),
  t: Translator = useTranslations(),
): Promise<VettingResult<{ id: string }>> {
  const vetting = isUuid(vettingId) ? await findVetting(app.db, vettingId) : undefined;
  const access = vetting ? await buyerAccess(app.db, actor, vetting.organizationId) : undefined;
  if (!vetting || !access) return fail(404, { form: t('vetting.error.notFound') });
  if (!access.manage) return fail(403, { form: t('vetting.error.notManager') });
  const answer = text(input.answer).trim();
  if (answer.length > MAX_TEXT) return fail(400, { answer: t('vetting.error.tooLong', { max: MAX_TEXT }) });
  const from = asVettingState(vetting.state);
  const check = checkVettingMove(from, 'provide-info', 'buyer', { reason: answer });
  if (!check.ok) {
    if (check.reason === 'reason-required') return fail(400, { answer: t('vetting.error.answer') });
    return fail(409, { form: t('vetting.error.state') });
  }
  const moved = await app.db.transaction().execute(async (tx) => {
    const updated = await updateVettingFrom(tx, vetting.id, from, { state: check.to }, now);
    if (!updated) return undefined;
    await recordVettingMove(tx, {
      vettingId: vetting.id,
      move: 'provide-info',
      from,
      to: check.to,
      actor,
      reason: answer,
      at: now,
      audit: { action: 'vetting-requested', details: { move: 'provide-info', from, to: check.to } },
    });
    return updated;
  });
  if (!moved) return fail(409, { form: t('vetting.error.state') });
  const org = vetting.legalName ?? vetting.organizationName;
  const mail = useTranslations();
  const subject = mail('vetting.mail.answered.subject', { org });
  const body = mail('vetting.mail.answered.body', { org, answer, url: `${siteBase(app)}/officer/vetting/${vetting.id}` });
  await sendAll(
    app.mailer,
    (await officerRecipients(app, vetting.country, [vetting.officerId])).map((to) => ({ to, subject, text: body })),
  );
  return { ok: true, id: vetting.id };
}

/** Loads a vetting for a staff viewer: undefined (404) when it does not exist or lies outside their territory. */
export async function vettingForOfficer(
  app: Pick<VettingServices, 'db' | 'reference'>,
  viewer: { id: string; role: string },
  vettingId: string,
): Promise<VettingDetail | undefined> {
  if (!isUuid(vettingId)) return undefined;
  if (viewer.role !== 'officer' && viewer.role !== 'admin') return undefined;
  const vetting = await findVetting(app.db, vettingId);
  if (!vetting) return undefined;
  return covers(await coveredCountries(app.db, app.reference, viewer), vetting.country) ? vetting : undefined;
}

/** The step with which an officer records that they looked at a standing verification's new list matches. */
export const REVIEW_MATCHES = 'review-matches' satisfies VettingAction;
/** The step with which an officer screens an open request or standing verification again, against the list as it is now. */
export const SCREEN_AGAIN = 'screen-again' satisfies VettingAction;

/** What the state machine needs to know of a vetting beyond its state. */
export function vettingFacts(app: Pick<VettingServices, 'reference'>, vetting: VettingDetail): Required<VettingFacts> {
  return {
    embargoed: isEmbargoed(vetting.countryFlags, app.reference.policy, vetting.country),
    screened: !!readEvidence(vetting.screening).list,
    newMatches: vetting.newMatches,
  };
}

type Decision = VettingResult<{ id: string; state: VettingState; move: VettingAction }>;

/**
 * An officer's decision (verify, reject, ask for information, revoke) or step (screen again,
 * review new matches), with its reason where one is required: asked of the state machine with
 * the request's facts, made only if the request has not moved meanwhile, recorded (who, when,
 * why) in the request, its events and the audit log; a decision is emailed to the buyer's owners
 * and administrators. Verifying sets the expiry and clears the new-matches flag.
 */
export async function decideVetting(
  app: VettingServices,
  actor: VettingActor,
  vettingId: string,
  input: Record<string, unknown>,
  now = new Date(),
  t: Translator = useTranslations(),
): Promise<Decision> {
  const vetting = await vettingForOfficer(app, actor, vettingId);
  if (!vetting) return fail(404, { form: t('vetting.error.notFound') });
  const reason = text(input.reason).trim();
  if (reason.length > MAX_TEXT) return fail(400, { reason: t('vetting.error.tooLong', { max: MAX_TEXT }) });
  if (!isVettingAction(input.move)) return fail(400, { move: t('vetting.error.move') });
  const move = input.move;
  const from = asVettingState(vetting.state);
  const check = checkVettingMove(from, move, 'officer', { reason, ...vettingFacts(app, vetting) });
  if (!check.ok) {
    switch (check.reason) {
      case 'reason-required':
        return fail(400, { reason: t('vetting.error.reason') });
      case 'embargoed':
        return fail(409, { move: t('vetting.error.embargoed') });
      case 'unscreened':
        return fail(409, { move: t('vetting.error.unscreened') });
      case 'wrong-actor':
        return fail(403, { move: t('vetting.error.move') });
      default:
        return fail(409, { form: t('vetting.error.state') });
    }
  }
  if (move === SCREEN_AGAIN) return screenAgain(app, actor, vetting, from, now, t);
  if (move === REVIEW_MATCHES) return reviewMatches(app, actor, vetting, from, reason, now, t);
  const patch = {
    state: check.to,
    officerId: actor.id,
    decisionReason: reason,
    decidedAt: now,
    ...(move === 'verify' ? { expiresAt: addMonths(now, validityMonthsOf(app)), newMatches: false, reminderSentAt: null } : {}),
  };
  const moved = await app.db.transaction().execute(async (tx) => {
    const updated = await updateVettingFrom(tx, vetting.id, from, patch, now);
    if (!updated) return undefined;
    await recordVettingMove(tx, {
      vettingId: vetting.id,
      move,
      from,
      to: check.to,
      actor,
      reason,
      at: now,
      audit: {
        action: 'vetting-decided',
        details: {
          move,
          from,
          to: check.to,
          reason,
          organizationId: vetting.organizationId,
          expiresAt: updated.expiresAt ? updated.expiresAt.toISOString() : null,
          candidates: readEvidence(vetting.screening).candidates.map((c) => c.entryId),
        },
      },
    });
    return updated;
  });
  if (!moved) return fail(409, { form: t('vetting.error.state') });
  await notifyBuyer(app, vetting, move, moved, reason);
  return { ok: true, id: vetting.id, state: check.to, move };
}

/** Whether the officer may screen this vetting again now. */
export function canScreenAgain(state: VettingState): boolean {
  return checkVettingMove(state, SCREEN_AGAIN, 'officer').ok;
}

async function screenAgain(
  app: VettingServices,
  actor: VettingActor,
  vetting: VettingDetail,
  from: VettingState,
  now: Date,
  t: Translator,
): Promise<Decision> {
  const outcome = await rescreenVetting(app, vetting, minScoreOf(app), now);
  if (!outcome.changed) return fail(409, { form: outcome.listMissing ? t('vetting.error.noList') : t('vetting.error.state') });
  await app.db.transaction().execute(async (tx) => {
    await recordVettingMove(tx, {
      vettingId: vetting.id,
      move: SCREEN_AGAIN,
      from,
      to: from,
      actor,
      reason: null,
      at: now,
      audit: { action: 'vetting-decided', details: { move: SCREEN_AGAIN, flagged: outcome.flagged } },
    });
  });
  return { ok: true, id: vetting.id, state: from, move: SCREEN_AGAIN };
}

async function reviewMatches(
  app: VettingServices,
  actor: VettingActor,
  vetting: VettingDetail,
  from: VettingState,
  reason: string,
  now: Date,
  t: Translator,
): Promise<Decision> {
  const done = await app.db.transaction().execute(async (tx) => {
    const updated = await updateVettingFrom(tx, vetting.id, from, { newMatches: false }, now);
    if (!updated) return false;
    await recordVettingMove(tx, {
      vettingId: vetting.id,
      move: REVIEW_MATCHES,
      from,
      to: from,
      actor,
      reason,
      at: now,
      audit: {
        action: 'vetting-decided',
        details: { move: REVIEW_MATCHES, reason, newEntryIds: readEvidence(vetting.screening).newEntryIds },
      },
    });
    return true;
  });
  if (!done) return fail(409, { form: t('vetting.error.state') });
  return { ok: true, id: vetting.id, state: from, move: REVIEW_MATCHES };
}

async function notifyBuyer(
  app: VettingServices,
  vetting: VettingDetail,
  move: VettingMove,
  row: VettingRow,
  reason: string,
): Promise<void> {
  const mail = useTranslations();
  const org = vetting.legalName ?? vetting.organizationName;
  const url = `${siteBase(app)}/buyer/verification?org=${encodeURIComponent(vetting.organizationId)}`;
  const subject = mail(`vetting.mail.decided.subject.${move}` as MessageKey, { org });
  const body = mail(`vetting.mail.decided.body.${move}` as MessageKey, {
    org,
    reason,
    date: row.expiresAt ? mail.date(row.expiresAt) : '',
    url,
  });
  await sendAll(
    app.mailer,
    (await organizationManagerEmails(app.db, vetting.organizationId)).map((to) => ({ to, subject, text: body })),
  );
}

/**
 * Screens one vetting again with the organization's current names and the list as it is now;
 * see `rescreenVerified`. Also what an officer's "screen again" does.
 */
export async function rescreenVetting(
  app: VettingServices,
  vetting: VettingDetail,
  minScore: number,
  now = new Date(),
): Promise<{ changed: boolean; flagged: boolean; listMissing: boolean; sent: number; failed: number }> {
  const outcome = { changed: false, flagged: false, listMissing: false, sent: 0, failed: 0 };
  const screening = await screenParty(
    { db: app.db },
    {
      names: screeningNames(vetting),
      country: vetting.country,
      ids: vetting.registrationNumber ? [vetting.registrationNumber] : [],
    },
    { minScore, now },
  );
  if (!screening.list) return { ...outcome, listMissing: true };
  const previous = readEvidence(vetting.screening);
  const { evidence, fresh } = rescreenedEvidence(previous, screening, vetting.newMatches);
  const flag = fresh.length > 0;
  const updated = await app.db.transaction().execute(async (tx) => {
    const row = await updateVettingFrom(
      tx,
      vetting.id,
      vetting.state,
      { screening: evidence, ...(flag ? { newMatches: true } : {}) },
      now,
    );
    if (row && flag) {
      await recordAudit(tx, {
        action: 'screening-imported',
        subjectType: 'vetting',
        subjectId: vetting.id,
        details: {
          rescreen: true,
          listImportId: screening.list?.importId ?? null,
          newEntryIds: fresh,
          organizationId: vetting.organizationId,
        },
      });
    }
    return row;
  });
  if (!updated) return outcome;
  outcome.changed = true;
  if (!flag) return outcome;
  outcome.flagged = true;
  const mail = useTranslations();
  const org = vetting.legalName ?? vetting.organizationName;
  const names = screening.candidates.filter((c) => fresh.includes(c.entryId)).map((c) => `${c.name} (${c.source}, ${c.score})`);
  const subject = mail('vetting.mail.newMatches.subject', { org });
  const text = mail('vetting.mail.newMatches.body', {
    org,
    count: fresh.length,
    candidates: names.join('\n'),
    list: screening.list.filename,
    url: `${siteBase(app)}/officer/vetting/${vetting.id}`,
  });
  const sent = await sendAll(
    app.mailer,
    (await officerRecipients(app, vetting.country, [vetting.officerId])).map((to) => ({ to, subject, text })),
  );
  outcome.sent = sent.sent;
  outcome.failed = sent.failed;
  return outcome;
}

export { flagsText, readFlags };
