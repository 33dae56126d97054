import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import type { ConsortiumMemberRow } from '../../../db/schema/consortium.ts';
import { LAYER_KEYS, type LayerKey } from '../../../db/schema/package.ts';
import {
  changeMember,
  findConsortiumMember,
  insertConsortium,
  insertInvitedMember,
  isActiveMember,
  listSupplierOrganizationsOf,
  type Actor,
  type MemberDetails,
} from '../../../db/queries/consortia.ts';
import { useTranslations, type MessageKey, type Translator } from '../../i18n/index.ts';
import { emailSchema } from '../account/schemas.ts';
import { sendAll, type Mailer } from '../mail/index.ts';
import { isCountryCode } from '../reference/index.ts';
import type { PolicyData } from '../reference/policy.ts';
import { formObject, validate, type FieldErrors, type FormLike } from '../server/forms.ts';
import { postedRevision, REVISION_FIELD, type Conflict } from '../server/revisions.ts';
import { lastChange } from '../../../db/queries/audit.ts';
import type { ConsortiumAccess, ConsortiumInvitation, Viewer } from './access.ts';
import { eligibilityErrors } from './eligibility.ts';

/** What a consortium action needs: the data, the policy, the mailer, who acts and from where. */
export interface ConsortiumContext {
  db: Kysely<Database>;
  /** app.reference.policy: the countries of concern. */
  policy: Pick<PolicyData, 'countriesOfConcern'>;
  countryName: (code: string) => string;
  mailer: Mailer;
  /** The site's address, for links in emails. */
  siteUrl: string;
  viewer: Viewer;
  ip?: string | null | undefined;
  /** The request's translator (English when absent: tools and tests). */
  t?: Translator | undefined;
}

const translator = (ctx: { t?: Translator | undefined }): Translator => ctx.t ?? useTranslations();

export type ActionResult =
  | { ok: true; location: string; id?: string }
  | {
      ok: false;
      status: number;
      /** Field id → message; `form` for the page as a whole. */
      errors: FieldErrors;
      /** Which form to show again with `values`. */
      form?: 'new' | 'invite' | 'layers' | 'answer';
      values?: Record<string, unknown>;
      /** A stale save refused (409): what is saved now, by whom, when. */
      conflict?: Conflict;
    };

/** The forms' schemas, with the request's messages. */
function schemas(t: Translator) {
  const text = (min: number, max: number, key: MessageKey) =>
    z
      .string({ error: t(key) })
      .trim()
      .min(min, t(key))
      .max(max, t(key));
  const country = (key: MessageKey) => z.string({ error: t(key) }).refine(isCountryCode, t(key));
  const yesNo = z.enum(['yes', 'no'], { error: t('consortia.error.concernControlled') }).transform((v) => v === 'yes');
  const layers = z
    .array(z.enum(LAYER_KEYS, { error: t('consortia.error.layers') }), { error: t('consortia.error.layers') })
    .min(1, t('consortia.error.layers'))
    .transform((list) => LAYER_KEYS.filter((k) => list.includes(k)));
  return {
    layers,
    newConsortium: z.object({
      name: text(2, 200, 'consortia.error.name'),
      organizationId: z.string({ error: t('consortia.error.organization') }).min(1, t('consortia.error.organization')),
      /** Empty: the same as the country of incorporation. */
      headquartersCountry: z.union([z.literal(''), country('consortia.error.headquartersCountry')]),
      concernControlled: yesNo,
      layers,
    }),
    invite: z.object({
      inviteEmail: emailSchema(t),
      legalName: text(2, 200, 'consortia.error.legalName'),
      countryOfIncorporation: country('consortia.error.countryOfIncorporation'),
      headquartersCountry: country('consortia.error.headquartersCountry'),
      concernControlled: yesNo,
      layers,
    }),
  };
}

function refuse(
  t: Translator,
  field: string,
  key: MessageKey,
  status: number,
  params?: Record<string, string>,
): Extract<ActionResult, { ok: false }> {
  return { ok: false, status, errors: { [field]: t(key, params) } };
}

const actorOf = (ctx: ConsortiumContext): Actor => ({ id: ctx.viewer.id, email: ctx.viewer.email, ip: ctx.ip ?? null });
const consortiumPath = (id: string, done?: string) => `/consortia/${encodeURIComponent(id)}${done ? `?done=${done}` : ''}`;

/** The supplier organizations the viewer may act for (owner or administrator). */
export async function organizationsToActFor(db: Kysely<Database>, viewer: Viewer) {
  return (await listSupplierOrganizationsOf(db, viewer.id)).filter((o) => o.canManage);
}

/** Creates a consortium led by one of the viewer's supplier organizations, its anchor member active. */
export async function createConsortium(ctx: ConsortiumContext, form: FormLike | undefined): Promise<ActionResult> {
  const t = translator(ctx);
  const input = form ? formObject(form, ['layers']) : { layers: [] };
  const organizations = await organizationsToActFor(ctx.db, ctx.viewer);
  if (organizations.length === 0) return refuse(t, 'form', 'consortia.new.error.noOrganization', 403);
  if (organizations.length === 1 && !input.organizationId) input.organizationId = organizations[0]!.organizationId;
  const checked = validate(schemas(t).newConsortium, input);
  const errors: FieldErrors = checked.ok ? {} : { ...checked.errors };
  const organization = organizations.find((o) => o.organizationId === input.organizationId);
  if (!organization) errors.organizationId ??= t('consortia.error.organization');
  if (!checked.ok || !organization) return { ok: false, status: 400, errors, form: 'new', values: input };
  const anchor: MemberDetails = {
    legalName: organization.legalName,
    countryOfIncorporation: organization.country,
    headquartersCountry: checked.data.headquartersCountry || organization.country,
    concernControlled: checked.data.concernControlled,
    layers: checked.data.layers,
  };
  const ineligible = eligibilityErrors(t, anchor, ctx.policy, ctx.countryName, {
    countryOfIncorporation: 'organizationId',
    headquartersCountry: 'headquartersCountry',
    concernControlled: 'concernControlled',
    layers: 'layers',
  });
  if (Object.keys(ineligible).length) return { ok: false, status: 400, errors: ineligible, form: 'new', values: input };
  const created = await insertConsortium(ctx.db, {
    name: checked.data.name,
    anchorOrganizationId: organization.organizationId,
    anchor,
    actor: actorOf(ctx),
  });
  return { ok: true, location: consortiumPath(created.id, 'created'), id: created.id };
}

async function sendInvitation(
  ctx: ConsortiumContext,
  access: ConsortiumAccess,
  memberId: string,
  email: string,
  legalName: string,
) {
  const t = translator(ctx);
  const link = new URL(`/consortia/invitations/${encodeURIComponent(memberId)}`, ctx.siteUrl).toString();
  const { failed } = await sendAll(ctx.mailer, [
    {
      to: email,
      subject: t('consortia.mail.invite.subject', { consortium: access.consortium.name }),
      text: t('consortia.mail.invite.text', {
        inviter: ctx.viewer.email,
        anchor: access.anchorName,
        consortium: access.consortium.name,
        company: legalName,
        link,
      }),
    },
  ]);
  return failed === 0;
}

/** Invites a company by email with its details: a member row with status invited, and an email. */
export async function inviteMember(
  ctx: ConsortiumContext,
  access: ConsortiumAccess,
  input: Record<string, unknown>,
): Promise<ActionResult> {
  const t = translator(ctx);
  if (!access.canManage) return refuse(t, 'form', 'consortia.error.notAllowed', 403);
  const checked = validate(schemas(t).invite, input);
  if (!checked.ok) return { ok: false, status: 400, errors: checked.errors, form: 'invite', values: input };
  const { inviteEmail, ...details } = checked.data;
  const ineligible = eligibilityErrors(t, details, ctx.policy, ctx.countryName, {
    countryOfIncorporation: 'countryOfIncorporation',
    headquartersCountry: 'headquartersCountry',
    concernControlled: 'concernControlled',
    layers: 'layers',
  });
  if (Object.keys(ineligible).length) return { ok: false, status: 400, errors: ineligible, form: 'invite', values: input };
  const created = await insertInvitedMember(ctx.db, {
    consortiumId: access.consortium.id,
    invitedEmail: inviteEmail,
    details,
    actor: actorOf(ctx),
  });
  if ('duplicate' in created)
    return { ...refuse(t, 'inviteEmail', 'consortia.invite.error.duplicate', 409), form: 'invite', values: input };
  const mailed = await sendInvitation(ctx, access, created.id, inviteEmail, details.legalName);
  return { ok: true, location: consortiumPath(access.consortium.id, mailed ? 'invited' : 'invitedNoMail'), id: created.id };
}

/** Members that can still be changed: active, or invited and not yet answered. */
const CURRENT_STATUSES: ConsortiumMemberRow['status'][] = ['active', 'invited'];

async function findCurrentMember(ctx: ConsortiumContext, access: ConsortiumAccess, memberId: string) {
  const member = await findConsortiumMember(ctx.db, access.consortium.id, memberId);
  return member && CURRENT_STATUSES.includes(member.status) ? member : undefined;
}

/** Removes a member (or withdraws an open invitation); the anchor cannot be removed. */
export async function removeMember(ctx: ConsortiumContext, access: ConsortiumAccess, memberId: string): Promise<ActionResult> {
  const t = translator(ctx);
  if (!access.canManage) return refuse(t, 'form', 'consortia.error.notAllowed', 403);
  const member = await findCurrentMember(ctx, access, memberId);
  if (!member) return refuse(t, 'form', 'consortia.error.memberGone', 409);
  if (member.role === 'anchor') return refuse(t, `remove-${member.id}`, 'consortia.members.error.anchor', 400);
  const changed = await changeMember(ctx.db, {
    consortiumId: access.consortium.id,
    memberId: member.id,
    expect: CURRENT_STATUSES,
    change: { change: 'member-removed' },
    actor: actorOf(ctx),
  });
  if (!changed) return refuse(t, 'form', 'consortia.error.memberGone', 409);
  return { ok: true, location: consortiumPath(access.consortium.id, 'removed') };
}

/** Changes the layers a member supplies, after checking its eligibility with them. */
export async function changeLayers(
  ctx: ConsortiumContext,
  access: ConsortiumAccess,
  memberId: string,
  input: Record<string, unknown>,
): Promise<ActionResult> {
  const t = translator(ctx);
  if (!access.canManage) return refuse(t, 'form', 'consortia.error.notAllowed', 403);
  const member = await findCurrentMember(ctx, access, memberId);
  if (!member) return refuse(t, 'form', 'consortia.error.memberGone', 409);
  const field = `layers-${member.id}`;
  const parsed = schemas(t).layers.safeParse(input.layers);
  if (!parsed.success)
    return { ok: false, status: 400, errors: { [field]: t('consortia.error.layers') }, form: 'layers', values: input };
  const chosen: LayerKey[] = parsed.data;
  const ineligible = eligibilityErrors(t, { ...member, layers: chosen }, ctx.policy, ctx.countryName, {
    countryOfIncorporation: field,
    headquartersCountry: field,
    concernControlled: field,
    layers: field,
  });
  if (Object.keys(ineligible).length) return { ok: false, status: 400, errors: ineligible, form: 'layers', values: input };
  if (chosen.join(',') === member.layers.join(',')) return { ok: true, location: consortiumPath(access.consortium.id, 'layers') };
  const changed = await changeMember(ctx.db, {
    consortiumId: access.consortium.id,
    memberId: member.id,
    expect: CURRENT_STATUSES,
    change: { change: 'layers-changed', layers: chosen },
    actor: actorOf(ctx),
    revision: postedRevision(input[REVISION_FIELD]),
  });
  if (changed === 'stale') {
    const now = await findCurrentMember(ctx, access, memberId);
    if (!now) return refuse(t, 'form', 'consortia.error.memberGone', 409);
    const last = await lastChange(ctx.db, {
      action: 'consortium-changed',
      subjectType: 'consortium',
      subjectId: access.consortium.id,
      details: { memberId: now.id },
    });
    const names = (list: readonly string[]) => list.map((l) => t(`layer.${l}.short` as MessageKey)).join(', ');
    return {
      ok: false,
      status: 409,
      errors: { [field]: t('consortia.error.conflict', { name: now.legalName }) },
      form: 'layers',
      values: { ...input, [REVISION_FIELD]: String(now.revision) },
      conflict: {
        revision: now.revision,
        at: last?.at ?? null,
        by: last?.actorName ?? null,
        fields: [
          {
            name: field,
            label: t('consortia.members.layersOf', { name: now.legalName }),
            saved: names(now.layers),
            yours: names(chosen),
          },
        ],
      },
    };
  }
  if (!changed) return refuse(t, 'form', 'consortia.error.memberGone', 409);
  return { ok: true, location: consortiumPath(access.consortium.id, 'layers') };
}

/** One POST of the consortium page, told apart by its `intent` field. */
export async function handleConsortiumForm(
  ctx: ConsortiumContext,
  access: ConsortiumAccess,
  form: FormLike | undefined,
): Promise<ActionResult> {
  const t = translator(ctx);
  const input = form ? formObject(form, ['layers']) : { layers: [] };
  const intent = typeof input.intent === 'string' ? input.intent : '';
  const memberId = typeof input.memberId === 'string' ? input.memberId : '';
  switch (intent) {
    case 'invite':
      return inviteMember(ctx, access, input);
    case 'remove':
      return removeMember(ctx, access, memberId);
    case 'layers':
      return changeLayers(ctx, access, memberId, input);
    default:
      return refuse(t, 'form', 'consortia.error.badRequest', 400);
  }
}

/**
 * Accepts an invitation on behalf of one of the viewer's supplier organizations (owner or
 * administrator), after checking eligibility again, or declines it. The page has checked that
 * the invitation is addressed to the viewer.
 */
export async function answerConsortiumInvitation(
  ctx: ConsortiumContext,
  invitation: ConsortiumInvitation,
  form: FormLike | undefined,
): Promise<ActionResult> {
  const t = translator(ctx);
  const input = form ? formObject(form) : {};
  const answer = typeof input.answer === 'string' ? input.answer : '';
  if (invitation.state !== 'pending') return refuse(t, 'form', 'consortia.invitation.answered', 409);
  if (answer === 'decline') {
    const changed = await changeMember(ctx.db, {
      consortiumId: invitation.consortiumId,
      memberId: invitation.id,
      expect: ['invited'],
      change: { change: 'invitation-declined' },
      actor: actorOf(ctx),
    });
    if (!changed) return refuse(t, 'form', 'consortia.invitation.answered', 409);
    return { ok: true, location: '/consortia?done=declined' };
  }
  if (answer !== 'accept') return refuse(t, 'form', 'consortia.error.badRequest', 400);

  const organizations = await organizationsToActFor(ctx.db, ctx.viewer);
  if (organizations.length === 0)
    return { ...refuse(t, 'organizationId', 'consortia.invitation.error.noOrganization', 403), form: 'answer', values: input };
  const chosenId = organizations.length === 1 && !input.organizationId ? organizations[0]!.organizationId : input.organizationId;
  const organization = organizations.find((o) => o.organizationId === chosenId);
  if (!organization)
    return { ...refuse(t, 'organizationId', 'consortia.error.organization', 400), form: 'answer', values: input };
  if (await isActiveMember(ctx.db, invitation.consortiumId, [organization.organizationId]))
    return {
      ...refuse(t, 'organizationId', 'consortia.invitation.error.alreadyMember', 409, { org: organization.name }),
      form: 'answer',
      values: input,
    };
  // Eligibility again: with the details the anchor entered, and with the country the organization itself records.
  const fields = {
    countryOfIncorporation: 'organizationId',
    headquartersCountry: 'organizationId',
    concernControlled: 'organizationId',
    layers: 'organizationId',
  };
  const ineligible = {
    ...eligibilityErrors(t, { ...invitation, countryOfIncorporation: organization.country }, ctx.policy, ctx.countryName, fields),
    ...eligibilityErrors(t, invitation, ctx.policy, ctx.countryName, fields),
  };
  if (Object.keys(ineligible).length) return { ok: false, status: 400, errors: ineligible, form: 'answer', values: input };
  const changed = await changeMember(ctx.db, {
    consortiumId: invitation.consortiumId,
    memberId: invitation.id,
    expect: ['invited'],
    change: { change: 'invitation-accepted', organizationId: organization.organizationId },
    actor: actorOf(ctx),
  });
  if (!changed) return refuse(t, 'form', 'consortia.invitation.answered', 409);
  return { ok: true, location: consortiumPath(invitation.consortiumId, 'joined') };
}
