import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import { ORG_ROLES, type OrgRole } from '../../../db/schema/organization.ts';
import { OrganizationProfileInput } from '../../../db/schema/organization-profile.ts';
import type { AuditAction } from '../../../db/schema/audit-event.ts';
import { recordAudit } from '../../../db/queries/audit.ts';
import {
  countOwners,
  findMember,
  findMembership,
  findPendingInvitation,
  hasOrgRole,
  PROFILE_FIELDS,
  roleList,
  updateOrganizationProfile,
} from '../../../db/queries/organizations.ts';
import { useTranslations, type MessageKey, type Translator } from '../../i18n/index.ts';
import type { Auth } from '../auth/index.ts';
import { emailSchema } from '../account/schemas.ts';
import { isCountryCode } from '../reference/index.ts';
import { authCall, formObject, validate, type AuthFailure, type FieldErrors, type FormLike } from '../server/forms.ts';
import { differingFields, postedRevision, REVISION_FIELD, type Conflict } from '../server/revisions.ts';
import { lastChange } from '../../../db/queries/audit.ts';
import { ORGANIZATION_SITE_ROLES, type OrganizationAccess, type Viewer } from './access.ts';

/** What an organization action needs: the data, better-auth, the sectors known, who acts and from where. */
export interface ActionContext {
  db: Kysely<Database>;
  auth: Auth;
  /** Known sector slugs (app.reference.sectors). */
  sectors: { has(slug: string): boolean };
  viewer: Viewer;
  /** The request's headers: better-auth reads the session from them. */
  headers: Headers;
  ip?: string | null | undefined;
  /** The request's translator (English when absent: tools and tests). */
  t?: Translator | undefined;
}

const translator = (ctx: { t?: Translator | undefined }): Translator => ctx.t ?? useTranslations();

export type ActionResult =
  | { ok: true; location: string }
  | {
      ok: false;
      status: number;
      /** Field id → message; `form` for the page as a whole. */
      errors: FieldErrors;
      /** Which form to show again with `values`. */
      form?: 'profile' | 'invite';
      values?: Record<string, unknown>;
      /** A stale save refused (409): what is saved now, by whom, when. */
      conflict?: Conflict;
    };

export const ORGANIZATION_INTENTS = ['profile', 'invite', 'role', 'remove', 'cancel-invitation', 'leave'] as const;
export type OrganizationIntent = (typeof ORGANIZATION_INTENTS)[number];

/** The profile schema with the site's own checks: a real country, known sectors. */
export function profileSchema(sectors: ActionContext['sectors'], t: Translator) {
  return OrganizationProfileInput.extend({
    country: z.string().refine(isCountryCode, t('org.profile.error.country')),
    sectors: z
      .array(z.string().refine((slug) => sectors.has(slug), t('org.profile.error.sectors')))
      .max(10, t('org.profile.error.sectors'))
      .default([]),
  });
}

export function inviteInput(t: Translator) {
  return z.object({
    inviteEmail: emailSchema(t),
    inviteRole: z.enum(ORG_ROLES, { error: t('org.invite.error.role') }),
  });
}

/** The messages of the validation schemas are replaced by the page's own. */
function profileErrors(t: Translator, errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, message] of Object.entries(errors)) {
    out[field] = (PROFILE_FIELDS as readonly string[]).includes(field) ? t(`org.profile.error.${field}` as MessageKey) : message;
  }
  return out;
}

const AUTH_MESSAGES: Record<string, { key: MessageKey; status: number }> = {
  YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER: { key: 'org.error.lastOwner', status: 409 },
  YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER: { key: 'org.error.lastOwner', status: 409 },
  USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION: { key: 'org.invite.error.member', status: 409 },
  USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION: { key: 'org.invite.error.invited', status: 409 },
  YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE: { key: 'org.invite.error.ownerOnly', status: 403 },
  INVITATION_LIMIT_REACHED: { key: 'org.invite.error.limit', status: 409 },
  ORGANIZATION_MEMBERSHIP_LIMIT_REACHED: { key: 'org.error.full', status: 409 },
  INVITATION_NOT_FOUND: { key: 'org.invitation.gone', status: 409 },
  MEMBER_NOT_FOUND: { key: 'org.error.memberGone', status: 409 },
  YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER: { key: 'org.error.notAllowed', status: 403 },
  YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_MEMBER: { key: 'org.error.notAllowed', status: 403 },
  YOU_ARE_NOT_ALLOWED_TO_CANCEL_THIS_INVITATION: { key: 'org.error.notAllowed', status: 403 },
  YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION: { key: 'org.error.notAllowed', status: 403 },
  YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION: { key: 'org.error.notAllowed', status: 403 },
  EMAIL_VERIFICATION_REQUIRED_BEFORE_ACCEPTING_OR_REJECTING_INVITATION: { key: 'org.invitation.unverified', status: 403 },
};

/** A better-auth refusal as a message on `field`; unknown server errors stay errors. */
export function fromAuthFailure(t: Translator, failure: AuthFailure, field: string): Extract<ActionResult, { ok: false }> {
  const known = AUTH_MESSAGES[failure.code];
  if (known) return { ok: false, status: known.status, errors: { [field]: t(known.key) } };
  if (failure.status >= 500) throw new Error(`better-auth: ${failure.code} ${failure.message}`);
  return { ok: false, status: failure.status === 429 ? 429 : 400, errors: { [field]: t('org.error.generic') } };
}

function refuse(t: Translator, field: string, key: MessageKey, status: number): Extract<ActionResult, { ok: false }> {
  return { ok: false, status, errors: { [field]: t(key) } };
}

/** Audits a change to one member's membership: what changed, whom it concerns, and the details. */
function auditMembership(
  ctx: ActionContext,
  organizationId: string,
  change: string,
  member: { id: string; userId: string; email: string },
  details: Record<string, unknown>,
) {
  return audit(ctx, 'membership-changed', organizationId, {
    change,
    memberId: member.id,
    userId: member.userId,
    email: member.email,
    ...details,
  });
}

function audit(ctx: ActionContext, action: AuditAction, organizationId: string, details: Record<string, unknown>) {
  return recordAudit(ctx.db, {
    action,
    actorId: ctx.viewer.id,
    actorEmail: ctx.viewer.email,
    subjectType: 'organization',
    subjectId: organizationId,
    ipAddress: ctx.ip ?? null,
    details,
  });
}

const orgPath = (access: OrganizationAccess, done?: string) =>
  `/organizations/${encodeURIComponent(access.organization.id)}${done ? `?done=${done}` : ''}`;

/** Owners and administrators of the organization; a read-only site administrator is not one. */
function mayManage(access: OrganizationAccess): boolean {
  return access.canManage && !!access.membership;
}

export async function updateProfile(
  ctx: ActionContext,
  access: OrganizationAccess,
  input: Record<string, unknown>,
): Promise<ActionResult> {
  const t = translator(ctx);
  if (!mayManage(access)) return refuse(t, 'form', 'org.error.notAllowed', 403);
  const checked = validate(profileSchema(ctx.sectors, t), input);
  if (!checked.ok) return { ok: false, status: 400, errors: profileErrors(t, checked.errors), form: 'profile', values: input };
  const kind = access.profile?.kind ?? (ctx.viewer.role === 'supplier' ? 'supplier' : 'buyer');
  const saved = await updateOrganizationProfile(ctx.db, {
    organizationId: access.organization.id,
    kind,
    profile: checked.data,
    actor: ctx.viewer,
    ipAddress: ctx.ip,
    expected: postedRevision(input[REVISION_FIELD]),
  });
  if ('conflict' in saved) {
    const { revision, current } = saved.conflict;
    const asForm = (p: Record<string, unknown> | undefined): Record<string, string[]> =>
      Object.fromEntries(
        PROFILE_FIELDS.map((f) => {
          const v = p?.[f];
          return [f, Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]];
        }),
      );
    const last = await lastChange(ctx.db, {
      action: 'organization-updated',
      subjectType: 'organization',
      subjectId: access.organization.id,
    });
    return {
      ok: false,
      status: 409,
      errors: { form: t('org.profile.error.conflict') },
      form: 'profile',
      // The person's entries stay in the form, which now carries the revision saved meanwhile.
      values: { ...input, [REVISION_FIELD]: String(revision) },
      conflict: {
        revision,
        at: last?.at ?? null,
        by: last?.actorName ?? null,
        fields: differingFields(asForm(current), asForm(checked.data), (f) => t(`org.profile.${f}` as MessageKey)),
      },
    };
  }
  return { ok: true, location: orgPath(access, 'profile') };
}

export async function inviteMember(
  ctx: ActionContext,
  access: OrganizationAccess,
  input: Record<string, unknown>,
): Promise<ActionResult> {
  const t = translator(ctx);
  if (!mayManage(access)) return refuse(t, 'form', 'org.error.notAllowed', 403);
  const checked = validate(inviteInput(t), input);
  if (!checked.ok) return { ok: false, status: 400, errors: checked.errors, form: 'invite', values: input };
  const { inviteEmail: email, inviteRole: role } = checked.data;
  if (role === 'owner' && !access.isOwner)
    return { ...refuse(t, 'inviteRole', 'org.invite.error.ownerOnly', 403), form: 'invite', values: input };
  const created = await authCall(() =>
    ctx.auth.api.createInvitation({ body: { email, role, organizationId: access.organization.id }, headers: ctx.headers }),
  );
  if (!created.ok) {
    const failed = fromAuthFailure(
      t,
      created,
      created.code === 'YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE' ? 'inviteRole' : 'inviteEmail',
    );
    return { ...failed, form: 'invite', values: input };
  }
  await audit(ctx, 'invitation-sent', access.organization.id, { invitationId: created.value.id, email, role });
  return { ok: true, location: orgPath(access, 'invited') };
}

export async function changeMemberRole(
  ctx: ActionContext,
  access: OrganizationAccess,
  memberId: string,
  role: string,
  /** The role the form showed; a change from an out-of-date page is refused (409). */
  previousRole?: string,
): Promise<ActionResult> {
  const t = translator(ctx);
  if (!mayManage(access)) return refuse(t, 'form', 'org.error.notAllowed', 403);
  const member = await findMember(ctx.db, access.organization.id, memberId);
  if (!member) return refuse(t, 'form', 'org.error.memberGone', 409);
  const field = `role-${member.id}`;
  if (!(ORG_ROLES as readonly string[]).includes(role)) return refuse(t, field, 'org.members.error.role', 400);
  const from = member.role;
  if (roleList(from).join(',') === role) return { ok: true, location: orgPath(access, 'role') };
  if (previousRole !== undefined && roleList(from).join(',') !== previousRole) {
    const last = await lastChange(ctx.db, {
      action: 'membership-changed',
      subjectType: 'organization',
      subjectId: access.organization.id,
      details: { memberId: member.id },
    });
    const label = (r: string) =>
      roleList(r)
        .map((x) => t(`org.role.${x}` as MessageKey))
        .join(', ');
    return {
      ok: false,
      status: 409,
      errors: { [field]: t('org.members.error.conflict', { name: member.name }) },
      conflict: {
        revision: 0,
        at: last?.at ?? null,
        by: last?.actorName ?? null,
        fields: [{ name: field, label: t('org.members.roleOf', { name: member.name }), saved: label(from), yours: label(role) }],
      },
    };
  }
  if ((hasOrgRole(from, 'owner') || role === 'owner') && !access.isOwner)
    return refuse(t, field, 'org.members.error.ownerOnly', 403);
  if (hasOrgRole(from, 'owner') && (await countOwners(ctx.db, access.organization.id)) <= 1)
    return refuse(t, field, 'org.error.lastOwner', 409);
  const updated = await authCall(() =>
    ctx.auth.api.updateMemberRole({
      body: { memberId: member.id, role: role as OrgRole, organizationId: access.organization.id },
      headers: ctx.headers,
    }),
  );
  if (!updated.ok) return fromAuthFailure(t, updated, field);
  await auditMembership(ctx, access.organization.id, 'role', member, { from, to: role });
  return { ok: true, location: orgPath(access, 'role') };
}

export async function removeMember(ctx: ActionContext, access: OrganizationAccess, memberId: string): Promise<ActionResult> {
  const t = translator(ctx);
  if (!mayManage(access)) return refuse(t, 'form', 'org.error.notAllowed', 403);
  const member = await findMember(ctx.db, access.organization.id, memberId);
  if (!member) return refuse(t, 'form', 'org.error.memberGone', 409);
  const field = `remove-${member.id}`;
  if (member.userId === ctx.viewer.id) return refuse(t, field, 'org.members.error.self', 400);
  if (hasOrgRole(member.role, 'owner') && !access.isOwner) return refuse(t, field, 'org.members.error.ownerOnly', 403);
  const removed = await authCall(() =>
    ctx.auth.api.removeMember({
      body: { memberIdOrEmail: member.id, organizationId: access.organization.id },
      headers: ctx.headers,
    }),
  );
  if (!removed.ok) return fromAuthFailure(t, removed, field);
  await auditMembership(ctx, access.organization.id, 'removed', member, { role: member.role });
  return { ok: true, location: orgPath(access, 'removed') };
}

export async function cancelInvitation(
  ctx: ActionContext,
  access: OrganizationAccess,
  invitationId: string,
): Promise<ActionResult> {
  const t = translator(ctx);
  if (!mayManage(access)) return refuse(t, 'form', 'org.error.notAllowed', 403);
  const invitation = await findPendingInvitation(ctx.db, access.organization.id, invitationId);
  if (!invitation) return refuse(t, 'form', 'org.invitation.gone', 409);
  const canceled = await authCall(() =>
    ctx.auth.api.cancelInvitation({ body: { invitationId: invitation.id }, headers: ctx.headers }),
  );
  if (!canceled.ok) return fromAuthFailure(t, canceled, `cancel-${invitation.id}`);
  await audit(ctx, 'membership-changed', access.organization.id, {
    change: 'invitation-canceled',
    invitationId: invitation.id,
    email: invitation.email,
    role: invitation.role,
  });
  return { ok: true, location: orgPath(access, 'canceled') };
}

export async function leaveOrganization(ctx: ActionContext, access: OrganizationAccess): Promise<ActionResult> {
  const t = translator(ctx);
  if (!access.membership) return refuse(t, 'form', 'org.error.notAllowed', 403);
  if (access.isOwner && (await countOwners(ctx.db, access.organization.id)) <= 1)
    return refuse(t, 'leave', 'org.error.lastOwner', 409);
  const left = await authCall(() =>
    ctx.auth.api.leaveOrganization({ body: { organizationId: access.organization.id }, headers: ctx.headers }),
  );
  if (!left.ok) return fromAuthFailure(t, left, 'leave');
  await auditMembership(
    ctx,
    access.organization.id,
    'left',
    { id: access.membership.id, userId: ctx.viewer.id, email: ctx.viewer.email },
    { role: access.membership.role },
  );
  return { ok: true, location: '/organizations?done=left' };
}

/** One POST of the organization page, told apart by its `intent` field. */
export async function handleOrganizationForm(
  ctx: ActionContext,
  access: OrganizationAccess,
  form: FormLike | undefined,
): Promise<ActionResult> {
  const t = translator(ctx);
  const input = form ? formObject(form, ['sectors']) : {};
  const intent = typeof input.intent === 'string' ? input.intent : '';
  const str = (key: string) => (typeof input[key] === 'string' ? (input[key] as string) : '');
  switch (intent as OrganizationIntent) {
    case 'profile':
      return updateProfile(ctx, access, input);
    case 'invite':
      return inviteMember(ctx, access, input);
    case 'role':
      return changeMemberRole(
        ctx,
        access,
        str('memberId'),
        str('role'),
        typeof input.previousRole === 'string' ? input.previousRole : undefined,
      );
    case 'remove':
      return removeMember(ctx, access, str('memberId'));
    case 'cancel-invitation':
      return cancelInvitation(ctx, access, str('invitationId'));
    case 'leave':
      return leaveOrganization(ctx, access);
    default:
      return refuse(t, 'form', 'org.error.badRequest', 400);
  }
}

/** Accept or decline an invitation addressed to the viewer (the page has checked that it is). */
export async function answerInvitation(
  ctx: ActionContext,
  invitation: { id: string; organizationId: string; role: string | null },
  answer: string,
): Promise<ActionResult> {
  const t = translator(ctx);
  if (answer === 'accept') {
    if (await findMembership(ctx.db, invitation.organizationId, ctx.viewer.id))
      return refuse(t, 'accept', 'org.invitation.alreadyMember', 409);
    // Accepted twice at once (a double submit): one membership (a unique index); the other is told so.
    const joinedMeanwhile = async () => Boolean(await findMembership(ctx.db, invitation.organizationId, ctx.viewer.id));
    let accepted: Awaited<ReturnType<typeof authCall<{ member: { id: string } }>>>;
    try {
      accepted = await authCall(() =>
        ctx.auth.api.acceptInvitation({ body: { invitationId: invitation.id }, headers: ctx.headers }),
      );
    } catch (error) {
      if (await joinedMeanwhile()) return refuse(t, 'accept', 'org.invitation.alreadyMember', 409);
      throw error;
    }
    if (!accepted.ok) {
      if (accepted.status >= 500 && (await joinedMeanwhile())) return refuse(t, 'accept', 'org.invitation.alreadyMember', 409);
      return fromAuthFailure(t, accepted, 'accept');
    }
    await audit(ctx, 'membership-changed', invitation.organizationId, {
      change: 'joined',
      invitationId: invitation.id,
      memberId: accepted.value.member.id,
      userId: ctx.viewer.id,
      email: ctx.viewer.email,
      role: invitation.role,
    });
    const location = ORGANIZATION_SITE_ROLES.includes(ctx.viewer.role)
      ? `/organizations/${encodeURIComponent(invitation.organizationId)}?done=joined`
      : '/account';
    return { ok: true, location };
  }
  if (answer === 'decline') {
    const declined = await authCall(() =>
      ctx.auth.api.rejectInvitation({ body: { invitationId: invitation.id }, headers: ctx.headers }),
    );
    if (!declined.ok) return fromAuthFailure(t, declined, 'decline');
    await audit(ctx, 'membership-changed', invitation.organizationId, {
      change: 'invitation-declined',
      invitationId: invitation.id,
      email: ctx.viewer.email,
      role: invitation.role,
    });
    return {
      ok: true,
      location: ORGANIZATION_SITE_ROLES.includes(ctx.viewer.role) ? '/organizations?done=declined' : '/account',
    };
  }
  return refuse(t, 'form', 'org.error.badRequest', 400);
}
