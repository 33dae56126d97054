import { ORG_ROLES } from '../../../db/schema/organization.ts';
import type { OrganizationRow } from '../../../db/schema/organization.ts';
import type { OrganizationProfileRow } from '../../../db/schema/organization-profile.ts';
import {
  countOwners,
  hasOrgRole,
  listInvitationsAddressedTo,
  listMembers,
  listMembershipsOf,
  listPendingInvitations,
  PROFILE_FIELDS,
  roleList,
  type InvitationSummary,
  type MembershipSummary,
} from '../../../db/queries/organizations.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { FieldErrors } from '../server/forms.ts';
import {
  doneNotice,
  notFound,
  outcomeOf,
  refuse,
  summaryOf,
  type PageContext,
  type PageModule,
  type Refusal,
} from '../server/page.ts';
import { REVISION_FIELD, type Conflict } from '../server/revisions.ts';
import { invitationFor, organizationAccess, type InvitationState } from './access.ts';
import { answerInvitation, handleOrganizationForm, type ActionContext } from './actions.ts';
import { orgRoleLabel } from './labels.ts';

/** The context of an organization action, from the page's request. */
export function actionContext(ctx: PageContext): ActionContext {
  return {
    db: ctx.app.db,
    auth: ctx.app.auth,
    sectors: ctx.app.reference.sectors,
    viewer: ctx.viewer!,
    headers: ctx.headers,
    ip: ctx.clientIp || null,
    t: ctx.t,
  };
}

export interface OrganizationsModel {
  memberships: (MembershipSummary & { roleLabel: string })[];
  invitations: (InvitationSummary & { roleLabel: string })[];
  doneText: string | undefined;
}

/** /organizations: the viewer's organizations and the invitations addressed to them. */
export const organizationsPage: PageModule<OrganizationsModel> = {
  async load(ctx) {
    const viewer = ctx.viewer;
    if (!viewer) return notFound();
    const [memberships, invitations] = await Promise.all([
      listMembershipsOf(ctx.app.db, viewer.id),
      listInvitationsAddressedTo(ctx.app.db, viewer.email),
    ]);
    return {
      memberships: memberships.map((m) => ({ ...m, roleLabel: orgRoleLabel(ctx.t, m.role) })),
      invitations: invitations.map((i) => ({ ...i, roleLabel: orgRoleLabel(ctx.t, i.role) })),
      doneText: doneNotice(ctx, ['left', 'declined'], 'org.done'),
    };
  },
};

export interface MemberView {
  id: string;
  name: string;
  email: string;
  self: boolean;
  /** The role(s) as the form sends them ("admin,member"). */
  current: string;
  roleLabel: string;
  joinedAt: Date;
  /** The viewer may change this member's role (and remove them, unless it is the viewer). */
  mayChange: boolean;
}

export interface OrganizationModel {
  organization: OrganizationRow;
  profile: OrganizationProfileRow | undefined;
  /** The viewer's role in words; undefined for a site administrator looking from outside. */
  yourRole: string | undefined;
  isMember: boolean;
  /** Owners and administrators edit the organization and manage its members. */
  manage: boolean;
  readOnly: boolean;
  lastOwner: boolean;
  profileRows: { label: string; value: string; href?: string | undefined }[];
  members: MemberView[];
  invitations: { id: string; email: string; roleLabel: string; inviterName: string; expiresAt: Date }[];
  /** The roles the viewer may give (only an owner makes owners). */
  assignable: { value: string; label: string }[];
  profileForm: { values: Record<string, unknown>; errors: FieldErrors; revision: string; refused: boolean };
  inviteValues: Record<string, unknown>;
  errors: FieldErrors;
  summary: { href: string; message: string }[];
  conflict: Conflict | undefined;
  doneText: string | undefined;
}

const ORDER = ['form', ...PROFILE_FIELDS, 'inviteEmail', 'inviteRole'];

/**
 * /organizations/[id]: the profile, the members and their roles, the open invitations, an
 * invitation form and leaving. Members see it; a site administrator sees it read-only; for
 * anyone else it is not there (404). Every form posts here with an `intent`.
 */
export const organizationPage: PageModule<OrganizationModel> = {
  async load(ctx, refusal?: Refusal) {
    const { app, t } = ctx;
    // After a refused post the organization may have changed meanwhile: it is read again, as it is now.
    const access = await organizationAccess(app.db, ctx.viewer, ctx.params.id ?? '');
    if (!access || !ctx.viewer) return notFound();
    const viewer = ctx.viewer;
    const { organization, profile, membership, isOwner, canManage, readOnly } = access;
    const manage = canManage && !readOnly;
    const [members, invitations, owners] = await Promise.all([
      listMembers(app.db, organization.id),
      manage || readOnly ? listPendingInvitations(app.db, organization.id) : Promise.resolve([]),
      countOwners(app.db, organization.id),
    ]);
    const mayChange = (role: string) => manage && (isOwner || !hasOrgRole(role, 'owner'));
    const errors = refusal?.errors ?? {};
    const profileValues = refusal?.form === 'profile' ? refusal.values : undefined;
    // The profile form carries the revision it was read at: the one posted (kept after a refusal), or the one saved.
    const postedRevision = profileValues?.[REVISION_FIELD];
    const firstSector = [...app.reference.sectors.keys()][0] ?? '';
    const dash = '–';
    return {
      organization,
      profile,
      yourRole: membership ? orgRoleLabel(t, membership.role) : undefined,
      isMember: !!membership,
      manage,
      readOnly,
      lastOwner: isOwner && owners <= 1,
      profileRows: profile
        ? [
            { label: t('org.profile.legalName'), value: profile.legalName },
            { label: t('org.profile.kind'), value: t(`org.kind.${profile.kind}` as MessageKey) },
            { label: t('org.profile.country'), value: app.reference.countryName(profile.country) },
            { label: t('org.profile.organizationType'), value: t(`orgType.${profile.organizationType}` as MessageKey) },
            { label: t('org.profile.registrationNumber'), value: profile.registrationNumber ?? dash },
            { label: t('org.profile.website'), value: profile.website ?? dash, href: profile.website ?? undefined },
            { label: t('org.profile.address'), value: profile.address ?? dash },
            {
              label: t('org.profile.sectors'),
              value: profile.sectors.length ? profile.sectors.map((s) => app.reference.sectorName(s)).join(', ') : dash,
            },
          ]
        : [],
      members: members.map((member) => ({
        id: member.id,
        name: member.name,
        email: member.email,
        self: member.userId === viewer.id,
        current: roleList(member.role).join(','),
        roleLabel: orgRoleLabel(t, member.role),
        joinedAt: member.joinedAt,
        mayChange: mayChange(member.role),
      })),
      invitations: invitations.map((invitation) => ({
        id: invitation.id,
        email: invitation.email,
        roleLabel: orgRoleLabel(t, invitation.role),
        inviterName: invitation.inviterName,
        expiresAt: invitation.expiresAt,
      })),
      assignable: ORG_ROLES.filter((role) => role !== 'owner' || isOwner).map((role) => ({
        value: role,
        label: t(`org.role.${role}` as MessageKey),
      })),
      profileForm: {
        values:
          profileValues ??
          (profile
            ? {
                legalName: profile.legalName,
                country: profile.country,
                organizationType: profile.organizationType,
                registrationNumber: profile.registrationNumber ?? '',
                website: profile.website ?? '',
                address: profile.address ?? '',
                sectors: profile.sectors,
              }
            : { legalName: organization.name }),
        errors: profileValues ? errors : {},
        revision: typeof postedRevision === 'string' ? postedRevision : String(profile?.revision ?? 0),
        refused: !!profileValues,
      },
      inviteValues: (refusal?.form === 'invite' && refusal.values) || { inviteRole: 'member' },
      errors,
      summary: summaryOf(errors, ORDER, (field) =>
        field === 'form' ? '#org-title' : field === 'sectors' ? `#sector-${firstSector}` : `#${field}`,
      ),
      conflict: refusal?.conflict,
      doneText: doneNotice(ctx, ['profile', 'invited', 'role', 'removed', 'canceled', 'joined'], 'org.done'),
    };
  },
  async post(ctx, form) {
    const access = await organizationAccess(ctx.app.db, ctx.viewer, ctx.params.id ?? '');
    if (!access || !ctx.viewer) return notFound();
    return outcomeOf(await handleOrganizationForm(actionContext(ctx), access, form));
  },
};

export interface OrganizationInvitationModel {
  state: InvitationState;
  title: string;
  /** The sentence above the details. */
  body: string;
  /** The invitation's details, as rows of a table. */
  rows: { label: string; value: string }[];
  /** Why it can no longer be answered (expired, answered). */
  closed: string | undefined;
  summary: { href: string; message: string }[];
}

/**
 * /organizations/invitations/[id]: an invitation to join an organization, as its addressee sees
 * it (accept or decline); for anyone else it is not there (404). One no longer open answers 410.
 */
export const organizationInvitationPage: PageModule<OrganizationInvitationModel> = {
  async load(ctx, refusal?: Refusal) {
    const { t } = ctx;
    const invitation = await invitationFor(ctx.app.db, ctx.viewer, ctx.params.id ?? '');
    // Only its addressee learns that an invitation exists.
    if (!invitation || !ctx.viewer) return notFound();
    if (!refusal && invitation.state !== 'pending') ctx.response.status = 410;
    const role = orgRoleLabel(t, invitation.role);
    return {
      state: invitation.state,
      title: t('org.invitation.title', { org: invitation.organizationName }),
      body: t('org.invitation.body', {
        inviter: invitation.inviterName,
        inviterEmail: invitation.inviterEmail,
        org: invitation.organizationName,
        role,
      }),
      rows: [
        { label: t('org.invitation.organization'), value: invitation.organizationName },
        { label: t('org.invitation.role'), value: role },
        { label: t('org.invitation.inviter'), value: `${invitation.inviterName} (${invitation.inviterEmail})` },
        { label: t('org.invitation.expires'), value: t.date(invitation.expiresAt) },
      ],
      closed:
        invitation.state === 'expired'
          ? t('org.invitation.expired', { inviter: invitation.inviterName })
          : invitation.state === 'answered'
            ? t('org.invitation.answered')
            : undefined,
      summary: summaryOf(refusal?.errors ?? {}, [], (field) => (field === 'form' ? '#invitation-title' : `#${field}`)),
    };
  },
  async post(ctx, form) {
    const invitation = await invitationFor(ctx.app.db, ctx.viewer, ctx.params.id ?? '');
    if (!invitation || !ctx.viewer) return notFound();
    if (invitation.state !== 'pending') return refuse(409, { form: ctx.t('org.invitation.gone') });
    const answer = form.get('answer');
    return outcomeOf(await answerInvitation(actionContext(ctx), invitation, typeof answer === 'string' ? answer : ''));
  },
};
