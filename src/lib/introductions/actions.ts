import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema/index.ts';
import { DEPLOYMENT_MODELS } from '../../../db/schema/package.ts';
import type { SiteRole } from '../../../db/schema/user.ts';
import { findMembership } from '../../../db/queries/organizations.ts';
import { findPackageBySlug } from '../../../db/queries/packages.ts';
import {
  BROKERED_STATES,
  consortiumOfPackage,
  countOpenIntroductions,
  findIntroduction,
  findOpenIntroductionFor,
  insertIntroduction,
  insertIntroductionAttachment,
  insertIntroductionMessage,
  listIntroductions,
  lockOrganization,
  managedOrganizationIds,
  updateIntroductionFrom,
  type IntroductionDetail,
  type IntroductionListRow,
  type IntroductionPatch,
} from '../../../db/queries/introductions.ts';
import {
  adminEmails,
  buyerOrganizationsOf,
  currentVerification,
  organizationManagerEmails,
  userEmails,
} from '../../../db/queries/vetting.ts';
import type { SearchClients } from '../../../search/client.ts';
import { useTranslations, type MessageKey } from '../../i18n/index.ts';
import { MAX_ATTACHMENT_BYTES } from '../files/index.ts';
import { takeAttachment, type Intake } from '../files/intake.ts';
import { sendAll, siteBase, type Mailer } from '../mail/index.ts';
import type { Reference } from '../reference/index.ts';
import type { FieldErrors } from '../server/forms.ts';
import { isVerified, type VettingState } from '../vetting/state.ts';
import { covers, coveredCountries, officersFor } from '../vetting/territory.ts';
import {
  checkIntroductionMove,
  INTRODUCTION_MOVES,
  INTRODUCTION_STATES,
  introductionMovesFor,
  MAX_OPEN_REQUESTS,
  OUTCOMES,
  type IntroductionActor,
  type IntroductionMove,
  type IntroductionState,
} from './state.ts';
import { auditIntroduction, recordIntroductionMove } from './record.ts';

const t = useTranslations();

/** What introductions need of the site (Astro.locals.app fits). */
export interface IntroductionServices {
  db: Kysely<Database>;
  reference: Pick<Reference, 'regions' | 'regionsOf' | 'countryName' | 'sectorName' | 'regionName'>;
  mailer: Pick<Mailer, 'send'>;
  config: { siteUrl: string };
  search?: { clients(): SearchClients | undefined } | undefined;
}

export interface IntroductionUser {
  id: string;
  email: string;
  name?: string | undefined;
  role: SiteRole;
  ip?: string | null | undefined;
}

export type Status = 400 | 403 | 404 | 409 | 413 | 429;
export type IntroductionResult<T = object> =
  ({ ok: true } & T) | { ok: false; status: Status; errors: FieldErrors; retryAfter?: number };
const fail = (status: Status, errors: FieldErrors) => ({ ok: false, status, errors }) as const;

/** Longest free text accepted (needs, notes, messages). */
export const MAX_TEXT = 4000;
export const MAX_SHORT = 200;

export const BUDGET_BANDS = ['under-1m', '1m-10m', '10m-50m', '50m-250m', 'over-250m', 'undecided'] as const;
export const DEPLOYMENT_CHOICES = [...DEPLOYMENT_MODELS, 'no-preference'] as const;

const text = (v: unknown) => (typeof v === 'string' ? v : '');

export const IntroductionRequestInput = z.object({
  needs: z
    .string()
    .trim()
    .min(1, t('intro.error.needs'))
    .max(MAX_TEXT, t('intro.error.tooLong', { max: MAX_TEXT })),
  timeline: z
    .string()
    .trim()
    .min(1, t('intro.error.timeline'))
    .max(MAX_SHORT, t('intro.error.tooLong', { max: MAX_SHORT })),
  budgetBand: z.enum(BUDGET_BANDS, { error: t('intro.error.budgetBand') }),
  deploymentModel: z.enum(DEPLOYMENT_CHOICES, { error: t('intro.error.deploymentModel') }),
  financingInterest: z.enum(['yes', 'no'], { error: t('intro.error.financingInterest') }).transform((v) => v === 'yes'),
  participants: z
    .string()
    .trim()
    .max(MAX_TEXT, t('intro.error.tooLong', { max: MAX_TEXT })),
});

export function asIntroductionState(state: string): IntroductionState {
  return (INTRODUCTION_STATES as readonly string[]).includes(state) ? (state as IntroductionState) : 'requested';
}

export function isIntroductionMove(move: unknown): move is IntroductionMove {
  return typeof move === 'string' && Object.hasOwn(INTRODUCTION_MOVES, move);
}

// ——— Who may request ———

export type RequestEligibility =
  | { kind: 'anonymous' }
  | { kind: 'not-buyer' }
  | { kind: 'no-organization' }
  | { kind: 'unverified'; organizations: { organizationId: string; name: string }[] }
  | { kind: 'eligible'; organizations: { organizationId: string; name: string }[] };

/** Whether the viewer may ask for an introduction: a buyer whose organization stands verified. */
export async function requestEligibility(
  db: Kysely<Database>,
  user: { id: string; role: string } | undefined,
  now = new Date(),
): Promise<RequestEligibility> {
  if (!user) return { kind: 'anonymous' };
  if (user.role !== 'buyer') return { kind: 'not-buyer' };
  const organizations = await buyerOrganizationsOf(db, user.id);
  if (!organizations.length) return { kind: 'no-organization' };
  const verified: { organizationId: string; name: string }[] = [];
  for (const org of organizations) {
    const vetting = await currentVerification(db, org.organizationId, now);
    if (vetting && isVerified(vetting.state as VettingState, vetting.expiresAt, now))
      verified.push({ organizationId: org.organizationId, name: org.name });
  }
  if (!verified.length)
    return { kind: 'unverified', organizations: organizations.map((o) => ({ organizationId: o.organizationId, name: o.name })) };
  return { kind: 'eligible', organizations: verified };
}

// ——— Recipients ———

async function officerEmails(
  app: IntroductionServices,
  intro: Pick<IntroductionDetail, 'officerId' | 'buyerCountry'>,
): Promise<string[]> {
  if (intro.officerId) {
    const emails = await userEmails(app.db, [intro.officerId]);
    if (emails.length) return emails;
  }
  const ids = intro.buyerCountry ? await officersFor(app.db, app.reference, intro.buyerCountry) : [];
  const emails = await userEmails(app.db, ids);
  return emails.length ? emails : adminEmails(app.db);
}

async function buyerEmails(
  app: IntroductionServices,
  intro: Pick<IntroductionDetail, 'requestedBy' | 'buyerOrganizationId'>,
): Promise<string[]> {
  const requester = intro.requestedBy ? await userEmails(app.db, [intro.requestedBy]) : [];
  return [...new Set([...requester, ...(await organizationManagerEmails(app.db, intro.buyerOrganizationId))])];
}

async function consortiumEmails(
  app: IntroductionServices,
  intro: Pick<IntroductionDetail, 'anchorOrganizationId'>,
): Promise<string[]> {
  return intro.anchorOrganizationId ? organizationManagerEmails(app.db, intro.anchorOrganizationId) : [];
}

/** The addresses of a side of the introduction (the consortium only once it has been brokered). */
export async function sideEmails(
  app: IntroductionServices,
  intro: IntroductionDetail,
  side: IntroductionActor,
  state = intro.state,
): Promise<string[]> {
  if (side === 'officer') return officerEmails(app, intro);
  if (side === 'buyer') return buyerEmails(app, intro);
  return (BROKERED_STATES as readonly string[]).includes(state) ? consortiumEmails(app, intro) : [];
}

async function othersEmails(
  app: IntroductionServices,
  intro: IntroductionDetail,
  actor: IntroductionUser,
  side: IntroductionActor,
  state: string,
): Promise<string[]> {
  const sides = (['buyer', 'officer', 'consortium'] as const).filter((s) => s !== side);
  const all = new Set<string>();
  for (const s of sides) for (const email of await sideEmails(app, intro, s, state)) all.add(email);
  all.delete(actor.email);
  return [...all];
}

// ——— Access ———

export interface IntroductionAccess {
  intro: IntroductionDetail;
  /** The side the viewer acts for (an administrator acts as the officer). */
  side: IntroductionActor;
  moves: IntroductionMove[];
}

/**
 * The introduction as the viewer may see it, or undefined (404): members of the buyer
 * organization; owners and administrators of the consortium's anchor organization, once
 * brokered; officers whose territory covers the buyer's country; administrators.
 */
export async function introductionAccess(
  app: Pick<IntroductionServices, 'db' | 'reference'>,
  viewer: { id: string; role: string } | undefined,
  id: string,
): Promise<IntroductionAccess | undefined> {
  if (!viewer) return undefined;
  const intro = await findIntroduction(app.db, id);
  if (!intro) return undefined;
  const side = await sideOf(app, viewer, intro);
  if (!side) return undefined;
  return { intro, side, moves: introductionMovesFor(asIntroductionState(intro.state), side) };
}

async function sideOf(
  app: Pick<IntroductionServices, 'db' | 'reference'>,
  viewer: { id: string; role: string },
  intro: IntroductionDetail,
): Promise<IntroductionActor | undefined> {
  switch (viewer.role) {
    case 'admin':
      return 'officer';
    case 'officer':
      return covers(await coveredCountries(app.db, app.reference, viewer), intro.buyerCountry) ? 'officer' : undefined;
    case 'buyer':
      return (await findMembership(app.db, intro.buyerOrganizationId, viewer.id)) ? 'buyer' : undefined;
    case 'supplier': {
      if (!intro.anchorOrganizationId || !(BROKERED_STATES as readonly string[]).includes(intro.state)) return undefined;
      return (await managedOrganizationIds(app.db, viewer.id)).includes(intro.anchorOrganizationId) ? 'consortium' : undefined;
    }
    default:
      return undefined;
  }
}

/** "My introductions": the buyer's organizations' requests, the supplier's consortia's, the officer's territory's, or all (administrator). */
export async function introductionsFor(
  app: Pick<IntroductionServices, 'db' | 'reference'>,
  viewer: { id: string; role: string },
  options: { states?: readonly string[]; limit?: number } = {},
): Promise<IntroductionListRow[]> {
  switch (viewer.role) {
    case 'admin':
      return listIntroductions(app.db, { countries: null }, options);
    case 'officer': {
      const countries = await coveredCountries(app.db, app.reference, viewer);
      return listIntroductions(app.db, { countries: countries ?? [] }, options);
    }
    case 'buyer':
      return listIntroductions(
        app.db,
        { buyerOrganizationIds: (await buyerOrganizationsOf(app.db, viewer.id)).map((o) => o.organizationId) },
        options,
      );
    case 'supplier':
      return listIntroductions(app.db, { anchorOrganizationIds: await managedOrganizationIds(app.db, viewer.id) }, options);
    default:
      return [];
  }
}

// ——— Request ———

/**
 * A verified buyer asks for an introduction to a designated package: checked (verification,
 * at most MAX_OPEN_REQUESTS open requests per organization, none open for the same package),
 * recorded with its event and audit entry, and emailed to the officers covering the buyer's country.
 */
export async function requestIntroduction(
  app: IntroductionServices,
  actor: IntroductionUser,
  packageSlug: string,
  input: Record<string, unknown>,
  now = new Date(),
): Promise<IntroductionResult<{ id: string }>> {
  const pkg = /^[a-z0-9-]{1,120}$/.test(packageSlug) ? await findPackageBySlug(app.db, packageSlug) : undefined;
  if (!pkg) return fail(404, { form: t('intro.error.package') });
  if (pkg.status !== 'designated') return fail(409, { form: t('intro.error.packageGone') });
  const eligibility = await requestEligibility(app.db, actor, now);
  switch (eligibility.kind) {
    case 'anonymous':
    case 'not-buyer':
      return fail(403, { form: t('intro.error.notBuyer') });
    case 'no-organization':
      return fail(409, { form: t('intro.error.noOrganization') });
    case 'unverified':
      return fail(409, { form: t('intro.error.unverified') });
  }
  const wanted = text(input.organizationId);
  const organization = wanted
    ? eligibility.organizations.find((o) => o.organizationId === wanted)
    : eligibility.organizations.length === 1
      ? eligibility.organizations[0]
      : undefined;
  const errors: FieldErrors = {};
  if (!organization) errors.organizationId = wanted ? t('intro.error.unverified') : t('intro.error.organization');
  const checked = IntroductionRequestInput.safeParse({
    needs: text(input.needs),
    timeline: text(input.timeline),
    budgetBand: text(input.budgetBand) || undefined,
    deploymentModel: text(input.deploymentModel) || undefined,
    financingInterest: text(input.financingInterest) || undefined,
    participants: text(input.participants),
  });
  if (!checked.success) for (const issue of checked.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  if (!organization || !checked.success) return fail(wanted && !organization ? 409 : 400, errors);
  const consortium = await consortiumOfPackage(app.db, pkg.id);
  if (!consortium) return fail(409, { form: t('intro.error.noConsortium') });
  const data = checked.data;

  const created = await app.db.transaction().execute(async (tx) => {
    await lockOrganization(tx, organization.organizationId);
    if (await findOpenIntroductionFor(tx, organization.organizationId, pkg.id)) return { refused: 'duplicate' as const };
    if ((await countOpenIntroductions(tx, organization.organizationId)) >= MAX_OPEN_REQUESTS)
      return { refused: 'limit' as const };
    const row = await insertIntroduction(
      tx,
      {
        buyerOrganizationId: organization.organizationId,
        packageId: pkg.id,
        requestedBy: actor.id,
        needs: data.needs,
        timeline: data.timeline,
        budgetBand: data.budgetBand,
        deploymentModel: data.deploymentModel,
        financingInterest: data.financingInterest,
        participants: data.participants,
      },
      now,
    );
    await recordIntroductionMove(tx, {
      introductionId: row.id,
      move: 'request',
      from: 'none',
      to: 'requested',
      actor,
      note: null,
      at: now,
      audit: {
        action: 'introduction-requested',
        details: {
          packageId: pkg.id,
          packageSlug: pkg.slug,
          buyerOrganizationId: organization.organizationId,
          consortiumId: consortium.id,
        },
      },
    });
    return { row };
  });
  if ('refused' in created) {
    return fail(409, {
      form: created.refused === 'duplicate' ? t('intro.error.duplicate') : t('intro.error.limit', { max: MAX_OPEN_REQUESTS }),
    });
  }
  const intro = (await findIntroduction(app.db, created.row.id))!;
  const subject = t('intro.mail.requested.subject', { buyer: buyerLabel(intro), package: pkg.title });
  const body = t('intro.mail.requested.body', {
    buyer: buyerLabel(intro),
    country: intro.buyerCountry ? app.reference.countryName(intro.buyerCountry) : '—',
    package: pkg.title,
    needs: data.needs,
    url: `${siteBase(app)}/introductions/${intro.id}`,
  });
  await sendAll(
    app.mailer,
    (await officerEmails(app, intro)).map((to) => ({ to, subject, text: body })),
  );
  return { ok: true, id: intro.id };
}

function buyerLabel(intro: Pick<IntroductionDetail, 'buyerLegalName' | 'buyerName'>): string {
  return intro.buyerLegalName ?? intro.buyerName;
}

// ——— Moves ———

/**
 * A move of the introduction by the viewer's side, as the state machine allows it, made only if
 * the introduction has not moved meanwhile: the event, the audit entry, the clock of reminders
 * reset, and an email to the other sides concerned.
 */
export async function moveIntroduction(
  app: IntroductionServices,
  actor: IntroductionUser,
  id: string,
  input: Record<string, unknown>,
  now = new Date(),
): Promise<IntroductionResult<{ id: string; state: IntroductionState; move: IntroductionMove }>> {
  const access = await introductionAccess(app, actor, id);
  if (!access) return fail(404, { form: t('intro.error.notFound') });
  const { intro, side } = access;
  if (!isIntroductionMove(input.move)) return fail(400, { move: t('intro.error.move') });
  const move = input.move;
  const note = text(input.note).trim();
  const outcome = text(input.outcome);
  if (note.length > MAX_TEXT) return fail(400, { note: t('intro.error.tooLong', { max: MAX_TEXT }) });
  const from = asIntroductionState(intro.state);
  const check = checkIntroductionMove(from, move, side, { note, outcome });
  if (!check.ok) {
    switch (check.reason) {
      case 'wrong-actor':
        return fail(403, { move: t('intro.error.wrongSide') });
      case 'note-required':
        return fail(400, { note: t(`intro.error.note.${move}` as MessageKey) });
      case 'outcome-required':
        return fail(400, { outcome: t('intro.error.outcome') });
      default:
        return fail(409, { form: t('intro.error.state') });
    }
  }
  if (move === 'broker' && !intro.anchorOrganizationId) return fail(409, { form: t('intro.error.noConsortium') });
  const patch: IntroductionPatch = { state: check.to, waitingSince: now, remindedAt: null };
  if (move === 'take') patch.officerId = actor.id;
  if (move === 'broker') {
    patch.brief = note;
    if (!intro.officerId || actor.role === 'officer') patch.officerId = actor.id;
  }
  if (move === 'accept') patch.meetingProposal = note;
  if (move === 'close') {
    patch.outcome = outcome;
    patch.outcomeNote = note || null;
  }
  const moved = await app.db.transaction().execute(async (tx) => {
    const updated = await updateIntroductionFrom(tx, intro.id, from, patch, now);
    if (!updated) return undefined;
    await recordIntroductionMove(tx, {
      introductionId: intro.id,
      move,
      from,
      to: check.to,
      actor,
      note: note || null,
      at: now,
      audit: {
        action: 'introduction-moved',
        details: {
          move,
          from,
          to: check.to,
          side,
          ...(move === 'close' ? { outcome } : {}),
          ...(note ? { note: note.slice(0, 500) } : {}),
        },
      },
    });
    return updated;
  });
  if (!moved) return fail(409, { form: t('intro.error.state') });
  const after: IntroductionDetail = { ...intro, ...moved };
  const subject = t('intro.mail.moved.subject', {
    package: intro.packageTitle,
    state: t(`intro.state.${check.to}` as MessageKey),
  });
  const body = t('intro.mail.moved.body', {
    buyer: buyerLabel(intro),
    package: intro.packageTitle,
    move: t(`intro.event.${move}` as MessageKey),
    side: t(`intro.side.${side}` as MessageKey),
    state: t(`intro.state.${check.to}` as MessageKey),
    note: move === 'close' ? `${t(`intro.outcome.${outcome}` as MessageKey)}${note ? `\n\n${note}` : ''}` : note || '—',
    url: `${siteBase(app)}/introductions/${intro.id}`,
  });
  await sendAll(
    app.mailer,
    (await othersEmails(app, after, actor, side, check.to)).map((to) => ({ to, subject, text: body })),
  );
  return { ok: true, id: intro.id, state: check.to, move };
}

// ——— Messages and attachments ———

/** A message of the thread (plain text), by the viewer's side; the other sides are emailed. */
export async function postMessage(
  app: IntroductionServices,
  actor: IntroductionUser,
  id: string,
  input: Record<string, unknown>,
  now = new Date(),
): Promise<IntroductionResult<{ id: string }>> {
  const access = await introductionAccess(app, actor, id);
  if (!access) return fail(404, { form: t('intro.error.notFound') });
  const { intro, side } = access;
  const body = text(input.body).replace(/\r\n/g, '\n').trim();
  if (!body) return fail(400, { body: t('intro.error.message') });
  if (body.length > MAX_TEXT) return fail(400, { body: t('intro.error.tooLong', { max: MAX_TEXT }) });
  await app.db.transaction().execute(async (tx) => {
    const messageId = await insertIntroductionMessage(tx, {
      introductionId: intro.id,
      authorId: actor.id,
      side,
      body,
      createdAt: now,
    });
    await auditIntroduction(tx, intro.id, actor, 'introduction-message', { messageId, side, length: body.length });
  });
  const subject = t('intro.mail.message.subject', { package: intro.packageTitle });
  const mail = t('intro.mail.message.body', {
    side: t(`intro.side.${side}` as MessageKey),
    name: actor.name ?? actor.email,
    package: intro.packageTitle,
    body,
    url: `${siteBase(app)}/introductions/${intro.id}#thread`,
  });
  await sendAll(
    app.mailer,
    (await othersEmails(app, intro, actor, side, intro.state)).map((to) => ({ to, subject, text: mail })),
  );
  return { ok: true, id: intro.id };
}

/** A PDF added to the introduction by one of its sides (the rules, limits and quotas of proposal attachments). */
export async function addIntroductionAttachment(
  app: IntroductionServices,
  intake: Omit<Intake, 'db' | 't'>,
  actor: IntroductionUser,
  id: string,
  request: Request,
): Promise<IntroductionResult<{ id: string; attachmentId: string }>> {
  const access = await introductionAccess(app, actor, id);
  if (!access) return fail(404, { form: t('intro.error.notFound') });
  const { intro, side } = access;
  const messages = {
    none: t('intro.attachments.error.none'),
    notPdf: t('intro.attachments.error.notPdf'),
    tooLarge: t('intro.attachments.error.tooLarge', { max: MAX_ATTACHMENT_BYTES / 1024 / 1024 }),
  };
  const outcome = await takeAttachment(
    { ...intake, db: app.db, t },
    request,
    { type: 'introduction', id: intro.id },
    actor.id,
    messages,
    async (tx, file) => {
      await insertIntroductionAttachment(tx, {
        id: file.id,
        ownerId: intro.id,
        filename: file.filename,
        size: file.size,
        sha256: file.sha256,
        storageKey: file.storageKey,
        uploadedBy: actor.id,
      });
      await auditIntroduction(tx, intro.id, actor, 'attachment-added', {
        attachmentId: file.id,
        filename: file.filename,
        size: file.size,
        sha256: file.sha256,
        side,
      });
    },
  );
  if (!outcome.ok) {
    const failure = fail(outcome.status, { file: outcome.message });
    return outcome.retryAfter ? { ...failure, retryAfter: outcome.retryAfter } : failure;
  }
  return { ok: true, id: intro.id, attachmentId: outcome.id };
}

// ——— Labels ———

export function outcomeLabel(outcome: string | null): string {
  return outcome && (OUTCOMES as readonly string[]).includes(outcome) ? t(`intro.outcome.${outcome}` as MessageKey) : '—';
}
