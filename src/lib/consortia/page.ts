import type { ConsortiumMemberRow, ConsortiumRow } from '../../../db/schema/consortium.ts';
import {
  listConsortiumInvitationsAddressedTo,
  listConsortiumMembershipsOf,
  type ConsortiumInvitationSummary,
  type ConsortiumMembership,
} from '../../../db/queries/consortia.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { FieldErrors } from '../server/forms.ts';
import { doneNotice, notFound, outcomeOf, summaryOf, type PageContext, type PageModule, type Refusal } from '../server/page.ts';
import { REVISION_FIELD, type Conflict } from '../server/revisions.ts';
import { consortiumAccess, consortiumInvitationFor } from './access.ts';
import {
  answerConsortiumInvitation,
  createConsortium,
  handleConsortiumForm,
  organizationsToActFor,
  type ConsortiumContext,
} from './actions.ts';
import { errorHref } from './eligibility.ts';

type Organization = Awaited<ReturnType<typeof organizationsToActFor>>[number];

/** The context of a consortium action, from the page's request. */
export function consortiumContext(ctx: PageContext): ConsortiumContext {
  return {
    db: ctx.app.db,
    policy: ctx.app.reference.policy,
    countryName: ctx.app.reference.countryName,
    mailer: ctx.app.mailer,
    siteUrl: ctx.app.config.siteUrl,
    viewer: ctx.viewer!,
    ip: ctx.clientIp || null,
    t: ctx.t,
  };
}

/** The countries of concern in words, for the eligibility rules said above the forms. */
const concernNames = (ctx: PageContext) =>
  ctx.app.reference.policy.countriesOfConcern.map((c) => ctx.app.reference.countryName(c)).join(', ');

export interface ConsortiaModel {
  places: ConsortiumMembership[];
  invitations: ConsortiumInvitationSummary[];
  /** The viewer may create a consortium (owner or administrator of a supplier organization). */
  mayCreate: boolean;
  doneText: string | undefined;
}

/** /consortia: the consortia the viewer's organizations are in, and invitations addressed to the viewer. */
export const consortiaPage: PageModule<ConsortiaModel> = {
  async load(ctx) {
    const viewer = ctx.viewer;
    if (!viewer) return notFound();
    const [places, invitations, actFor] = await Promise.all([
      listConsortiumMembershipsOf(ctx.app.db, viewer.id),
      listConsortiumInvitationsAddressedTo(ctx.app.db, viewer.email),
      organizationsToActFor(ctx.app.db, viewer),
    ]);
    return { places, invitations, mayCreate: actFor.length > 0, doneText: doneNotice(ctx, ['declined'], 'consortia.done') };
  },
};

export interface NewConsortiumModel {
  organizations: Organization[];
  /** The only organization the viewer may act for: it anchors the consortium, no choice asked. */
  only: Organization | undefined;
  values: Record<string, unknown>;
  errors: FieldErrors;
  summary: { href: string; message: string }[];
  countriesOfConcern: string;
}

const NEW_ORDER = ['form', 'name', 'organizationId', 'headquartersCountry', 'concernControlled', 'layers'];

/** /consortia/new: a consortium anchored by one of the viewer's supplier organizations. */
export const newConsortiumPage: PageModule<NewConsortiumModel> = {
  async load(ctx, refusal?: Refusal) {
    if (!ctx.viewer) return notFound();
    const organizations = await organizationsToActFor(ctx.app.db, ctx.viewer);
    const errors = refusal?.errors ?? {};
    return {
      organizations,
      only: organizations.length === 1 ? organizations[0] : undefined,
      values: refusal?.values ?? { headquartersCountry: '', layers: [] },
      errors,
      summary: summaryOf(errors, NEW_ORDER, (field) => errorHref(field, 'new-title')),
      countriesOfConcern: concernNames(ctx),
    };
  },
  async post(ctx, form) {
    if (!ctx.viewer) return notFound();
    return outcomeOf(await createConsortium(consortiumContext(ctx), form));
  },
};

export interface ConsortiumMemberView extends ConsortiumMemberRow {
  /** Its layers as the layer form shows them (what was posted, after a refusal). */
  checked: string[];
  revisionShown: string;
  /** Active or invited: its layers can change, it can be removed. */
  changeable: boolean;
}

export interface ConsortiumModel {
  consortium: ConsortiumRow;
  anchorName: string;
  members: ConsortiumMemberView[];
  canManage: boolean;
  readOnly: boolean;
  errors: FieldErrors;
  /** The invitation form's errors (the others belong to rows of the members table). */
  inviteErrors: FieldErrors;
  inviteValues: Record<string, unknown>;
  summary: { href: string; message: string }[];
  conflict: Conflict | undefined;
  countriesOfConcern: string;
  doneText: string | undefined;
}

const ORDER = [
  'form',
  'inviteEmail',
  'legalName',
  'countryOfIncorporation',
  'headquartersCountry',
  'concernControlled',
  'layers',
];

/**
 * /consortia/[id]: the members (layers, removal) and the invitation form. People of its member
 * organizations see it, site administrators read-only; for anyone else it is not there (404).
 */
export const consortiumPage: PageModule<ConsortiumModel> = {
  async load(ctx, refusal?: Refusal) {
    // After a refused post the consortium may have changed meanwhile: it is read again, as it is now.
    const access = await consortiumAccess(ctx.app.db, ctx.viewer, ctx.params.id ?? '');
    if (!access || !ctx.viewer) return notFound();
    const errors = refusal?.errors ?? {};
    const values = refusal?.values;
    const layerValues =
      refusal?.form === 'layers' && values && typeof values.memberId === 'string'
        ? {
            memberId: values.memberId,
            layers: Array.isArray(values.layers) ? (values.layers as string[]) : [],
            revision: typeof values[REVISION_FIELD] === 'string' ? values[REVISION_FIELD] : undefined,
          }
        : undefined;
    const mine = (id: string) => layerValues?.memberId === id;
    return {
      consortium: access.consortium,
      anchorName: access.anchorName,
      members: access.members.map((member) => ({
        ...member,
        checked: mine(member.id) ? layerValues!.layers : [...member.layers],
        revisionShown: (mine(member.id) && layerValues!.revision) || String(member.revision),
        changeable: member.status === 'active' || member.status === 'invited',
      })),
      canManage: access.canManage,
      readOnly: access.readOnly,
      errors,
      inviteErrors: Object.fromEntries(Object.entries(errors).filter(([k]) => ORDER.includes(k) && k !== 'form')),
      inviteValues: (refusal?.form === 'invite' && values) || { layers: [] },
      summary: summaryOf(errors, ORDER, (field) => errorHref(field, 'consortium-title')),
      conflict: refusal?.conflict,
      countriesOfConcern: concernNames(ctx),
      doneText: doneNotice(ctx, ['created', 'invited', 'invitedNoMail', 'removed', 'layers', 'joined'], 'consortia.done'),
    };
  },
  async post(ctx, form) {
    const access = await consortiumAccess(ctx.app.db, ctx.viewer, ctx.params.id ?? '');
    if (!access || !ctx.viewer) return notFound();
    return outcomeOf(await handleConsortiumForm(consortiumContext(ctx), access, form));
  },
};

export interface ConsortiumInvitationModel {
  title: string;
  body: string;
  rows: { label: string; value: string }[];
  closed: string | undefined;
  organizations: Organization[];
  chosen: string;
  errors: FieldErrors;
  summary: { href: string; message: string }[];
}

/**
 * /consortia/invitations/[memberId]: an invitation to join a consortium, as its addressee sees
 * it: accept for one of their supplier organizations, or decline; for anyone else it is not
 * there (404). One no longer open answers 410.
 */
export const consortiumInvitationPage: PageModule<ConsortiumInvitationModel> = {
  async load(ctx, refusal?: Refusal) {
    const { t } = ctx;
    const countryName = ctx.app.reference.countryName;
    const invitation = await consortiumInvitationFor(ctx.app.db, ctx.viewer, ctx.params.memberId ?? '');
    // Only its addressee learns that an invitation exists.
    if (!invitation || !ctx.viewer) return notFound();
    if (!refusal && invitation.state !== 'pending') ctx.response.status = 410;
    const errors = refusal?.errors ?? {};
    const chosen = refusal?.values?.organizationId;
    return {
      title: t('consortia.invitation.title', { consortium: invitation.consortiumName }),
      body: t('consortia.invitation.body', {
        anchor: invitation.anchorName,
        consortium: invitation.consortiumName,
        company: invitation.legalName,
      }),
      rows: [
        { label: t('consortia.members.legalName'), value: invitation.legalName },
        { label: t('consortia.field.countryOfIncorporation'), value: countryName(invitation.countryOfIncorporation) },
        { label: t('consortia.field.headquartersCountry'), value: countryName(invitation.headquartersCountry) },
        {
          label: t('consortia.members.concern'),
          value: invitation.concernControlled ? t('consortia.field.yes') : t('consortia.field.no'),
        },
        {
          label: t('consortia.members.layers'),
          value: invitation.layers.map((l) => t(`layer.${l}` as MessageKey)).join(', '),
        },
      ],
      closed: invitation.state === 'pending' ? undefined : t('consortia.invitation.answered'),
      organizations: await organizationsToActFor(ctx.app.db, ctx.viewer),
      chosen: typeof chosen === 'string' ? chosen : '',
      errors,
      summary: summaryOf(errors, [], (field) => errorHref(field, 'invitation-title')),
    };
  },
  async post(ctx, form) {
    const invitation = await consortiumInvitationFor(ctx.app.db, ctx.viewer, ctx.params.memberId ?? '');
    if (!invitation || !ctx.viewer) return notFound();
    return outcomeOf(await answerConsortiumInvitation(consortiumContext(ctx), invitation, form));
  },
};
