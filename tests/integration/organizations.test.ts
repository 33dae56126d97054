import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Auth } from '../../src/lib/auth/index.ts';
import { createOrganizationFor, ensureUser } from '../../src/lib/auth/users.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';
import {
  answerInvitation,
  handleOrganizationForm,
  invitationFor,
  organizationAccess,
  type ActionContext,
  type Viewer,
} from '../../src/lib/organizations/index.ts';
import { listMembers, listMembershipsOf } from '../../db/queries/organizations.ts';
import { testAuth } from '../fixtures/accounts.ts';
import { testDb } from '../fixtures/db.ts';
import { formOf } from '../fixtures/forms.ts';
import { addMember, companyProfile } from '../fixtures/people.ts';

const BASE_URL = 'http://localhost:4450';
const PASSWORD = 'organizations integration test passphrase';

describe(`organizations on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let auth: Auth;
  let reference: Reference;
  let orgId: string;
  const people: Record<'owner' | 'outsider' | 'invitee' | 'member' | 'siteAdmin', Viewer & { headers: Headers }> = {} as never;

  async function signIn(email: string): Promise<Headers> {
    const { headers } = await auth.api.signInEmail({ body: { email, password: PASSWORD }, returnHeaders: true });
    const cookie = headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    expect(cookie).toContain('session_token');
    return new Headers({ cookie });
  }

  const context = (who: keyof typeof people): ActionContext => ({
    db: handle.db,
    auth,
    sectors: reference.sectors,
    viewer: people[who],
    headers: people[who].headers,
    ip: '127.0.0.1',
  });

  beforeAll(async () => {
    handle = await testDb();
    reference = await loadReference();
    auth = testAuth(handle.db, BASE_URL);
    const accounts = [
      ['owner', 'owner@org.example.com', 'Olga Owner', 'supplier'],
      ['outsider', 'outsider@org.example.com', 'Oscar Outsider', 'supplier'],
      ['invitee', 'invitee@org.example.com', 'Ines Invitee', 'supplier'],
      ['member', 'member@org.example.com', 'Mo Member', 'buyer'],
      ['siteAdmin', 'admin@org.example.com', 'Ada Admin', 'admin'],
    ] as const;
    for (const [key, email, name, role] of accounts) {
      const { id } = await ensureUser(auth, handle.db, { email, name, password: PASSWORD, role });
      people[key] = { id, email, role, headers: await signIn(email) };
    }
    orgId = await createOrganizationFor(
      handle.db,
      people.owner.id,
      'supplier',
      companyProfile('Heartland Inference Co.', { sectors: ['agriculture'] }),
    );
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('lets members read the organization and hides it from non-members', async () => {
    const owner = await organizationAccess(handle.db, people.owner, orgId);
    expect(owner).toMatchObject({ isOwner: true, canManage: true, readOnly: false });
    expect(owner?.profile?.legalName).toBe('Heartland Inference Co.');

    expect(await organizationAccess(handle.db, people.outsider, orgId)).toBeUndefined();
    expect(await organizationAccess(handle.db, undefined, orgId)).toBeUndefined();
    expect(await organizationAccess(handle.db, people.owner, 'no-such-organization')).toBeUndefined();
    // Non-member and missing look the same: no hint that the organization exists.

    const admin = await organizationAccess(handle.db, people.siteAdmin, orgId);
    expect(admin).toMatchObject({ readOnly: true, canManage: false, membership: undefined });
  });

  it('refuses changes from a site administrator who is not a member', async () => {
    const access = (await organizationAccess(handle.db, people.siteAdmin, orgId))!;
    const result = await handleOrganizationForm(
      context('siteAdmin'),
      access,
      formOf({ intent: 'invite', inviteEmail: 'x@example.com', inviteRole: 'member' }),
    );
    expect(result).toMatchObject({ ok: false, status: 403 });
  });

  it('lets the owner edit the profile, renaming the organization, and audits it', async () => {
    const access = (await organizationAccess(handle.db, people.owner, orgId))!;
    const bad = await handleOrganizationForm(
      context('owner'),
      access,
      formOf({
        intent: 'profile',
        legalName: 'X',
        country: 'ZZ',
        organizationType: 'spaceship',
        website: 'ftp://nope',
        sectors: ['not-a-sector'],
      }),
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.errors).sort()).toEqual(['country', 'legalName', 'organizationType', 'sectors', 'website']);
    expect(bad.form).toBe('profile');

    const good = await handleOrganizationForm(
      context('owner'),
      access,
      formOf({
        intent: 'profile',
        legalName: 'Heartland Inference Company',
        country: 'US',
        organizationType: 'company',
        registrationNumber: 'IA-12345',
        website: 'https://heartland.example.com',
        address: 'Ames, Iowa',
        sectors: ['agriculture', 'energy'],
      }),
    );
    expect(good).toEqual({ ok: true, location: `/organizations/${orgId}?done=profile` });
    const after = (await organizationAccess(handle.db, people.owner, orgId))!;
    expect(after.organization.name).toBe('Heartland Inference Company');
    expect(after.profile).toMatchObject({
      legalName: 'Heartland Inference Company',
      registrationNumber: 'IA-12345',
      sectors: ['agriculture', 'energy'],
      kind: 'supplier',
    });
    const audit = await handle.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'organization-updated')
      .where('subjectId', '=', orgId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(people.owner.id);
    expect(audit[0]!.details).toMatchObject({
      changed: expect.arrayContaining(['legalName', 'registrationNumber', 'website', 'address', 'sectors']),
    });
  });

  it('lets a plain member read, not change', async () => {
    await addMember(handle.db, orgId, people.member.id, 'member');
    const access = (await organizationAccess(handle.db, people.member, orgId))!;
    expect(access).toMatchObject({ isOwner: false, canManage: false, readOnly: false });
    const edit = await handleOrganizationForm(context('member'), access, formOf({ intent: 'profile', legalName: 'Hijacked' }));
    expect(edit).toMatchObject({ ok: false, status: 403 });
    // better-auth refuses on its own as well.
    await expect(
      auth.api.createInvitation({
        body: { email: 'friend@example.com', role: 'member', organizationId: orgId },
        headers: people.member.headers,
      }),
    ).rejects.toMatchObject({ statusCode: 403 });
  });

  it('sends an invitation email through the mailer, and the invitee accepts it', async () => {
    const access = (await organizationAccess(handle.db, people.owner, orgId))!;
    const invalid = await handleOrganizationForm(
      context('owner'),
      access,
      formOf({ intent: 'invite', inviteEmail: 'not an email', inviteRole: 'emperor' }),
    );
    expect(invalid).toMatchObject({ ok: false, status: 400, form: 'invite' });
    if (!invalid.ok) expect(Object.keys(invalid.errors).sort()).toEqual(['inviteEmail', 'inviteRole']);

    const sent = await handleOrganizationForm(
      context('owner'),
      access,
      formOf({ intent: 'invite', inviteEmail: 'Invitee@Org.example.com', inviteRole: 'admin' }),
    );
    expect(sent).toEqual({ ok: true, location: `/organizations/${orgId}?done=invited` });

    const again = await handleOrganizationForm(
      context('owner'),
      access,
      formOf({ intent: 'invite', inviteEmail: 'invitee@org.example.com', inviteRole: 'member' }),
    );
    expect(again).toMatchObject({ ok: false, status: 409 });

    const mail = await handle.db
      .selectFrom('dev_mail')
      .selectAll()
      .where('to', '=', 'invitee@org.example.com')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(mail.subject).toContain('Heartland Inference Company');
    const link = /http:\/\/localhost:4450\/organizations\/invitations\/(\S+)/.exec(mail.text);
    expect(link).not.toBeNull();
    const invitationId = link![1]!;

    const audit = await handle.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'invitation-sent')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ email: 'invitee@org.example.com', role: 'admin', invitationId });

    // Only the addressee sees the invitation.
    expect(await invitationFor(handle.db, people.outsider, invitationId)).toBeUndefined();
    expect(await invitationFor(handle.db, people.owner, invitationId)).toBeUndefined();
    const invitation = (await invitationFor(handle.db, people.invitee, invitationId))!;
    expect(invitation).toMatchObject({
      state: 'pending',
      organizationName: 'Heartland Inference Company',
      role: 'admin',
      inviterName: 'Olga Owner',
    });

    const accepted = await answerInvitation(context('invitee'), invitation, 'accept');
    expect(accepted).toEqual({ ok: true, location: `/organizations/${orgId}?done=joined` });
    const access2 = (await organizationAccess(handle.db, people.invitee, orgId))!;
    expect(access2).toMatchObject({ isOwner: false, canManage: true, readOnly: false });
    expect((await listMembershipsOf(handle.db, people.invitee.id)).map((m) => [m.organizationId, m.role])).toEqual([
      [orgId, 'admin'],
    ]);
    expect((await invitationFor(handle.db, people.invitee, invitationId))?.state).toBe('answered');

    const joined = await handle.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'membership-changed')
      .where('actorId', '=', people.invitee.id)
      .executeTakeFirstOrThrow();
    expect(joined.details).toMatchObject({ change: 'joined', invitationId });
  });

  it('keeps owner decisions with owners', async () => {
    const adminAccess = (await organizationAccess(handle.db, people.invitee, orgId))!;
    const members = await listMembers(handle.db, orgId);
    const ownerMember = members.find((m) => m.userId === people.owner.id)!;
    const asOwner = await handleOrganizationForm(
      context('invitee'),
      adminAccess,
      formOf({ intent: 'invite', inviteEmail: 'boss@org.example.com', inviteRole: 'owner' }),
    );
    expect(asOwner).toMatchObject({ ok: false, status: 403, errors: { inviteRole: expect.any(String) } });
    const demote = await handleOrganizationForm(
      context('invitee'),
      adminAccess,
      formOf({ intent: 'role', memberId: ownerMember.id, role: 'member' }),
    );
    expect(demote).toMatchObject({ ok: false, status: 403 });
    const remove = await handleOrganizationForm(
      context('invitee'),
      adminAccess,
      formOf({ intent: 'remove', memberId: ownerMember.id }),
    );
    expect(remove).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses to let the last owner leave, with a clear message', async () => {
    const access = (await organizationAccess(handle.db, people.owner, orgId))!;
    const result = await handleOrganizationForm(context('owner'), access, formOf({ intent: 'leave' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(409);
    expect(result.errors.leave).toMatch(/only owner/);
    expect(await organizationAccess(handle.db, people.owner, orgId)).toBeDefined();

    // better-auth itself refuses too, if the page's own check were bypassed.
    await expect(
      auth.api.leaveOrganization({ body: { organizationId: orgId }, headers: people.owner.headers }),
    ).rejects.toMatchObject({
      body: { code: 'YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER' },
    });

    // Nor may the last owner step down to a lesser role.
    const self = (await listMembers(handle.db, orgId)).find((m) => m.userId === people.owner.id)!;
    const stepDown = await handleOrganizationForm(
      context('owner'),
      access,
      formOf({ intent: 'role', memberId: self.id, role: 'admin' }),
    );
    expect(stepDown).toMatchObject({ ok: false, status: 409 });
  });

  it('lets the owner promote another owner, and then leave; changes are audited', async () => {
    const access = (await organizationAccess(handle.db, people.owner, orgId))!;
    const invitee = (await listMembers(handle.db, orgId)).find((m) => m.userId === people.invitee.id)!;
    const promoted = await handleOrganizationForm(
      context('owner'),
      access,
      formOf({ intent: 'role', memberId: invitee.id, role: 'owner' }),
    );
    expect(promoted.ok).toBe(true);
    const left = await handleOrganizationForm(
      context('owner'),
      (await organizationAccess(handle.db, people.owner, orgId))!,
      formOf({ intent: 'leave' }),
    );
    expect(left).toEqual({ ok: true, location: '/organizations?done=left' });
    expect(await organizationAccess(handle.db, people.owner, orgId)).toBeUndefined();

    const changes = await handle.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'membership-changed')
      .where('subjectId', '=', orgId)
      .orderBy('id')
      .execute();
    expect(changes.map((c) => c.details.change)).toEqual(['joined', 'role', 'left']);
    expect(changes[1]!.details).toMatchObject({ email: 'invitee@org.example.com', from: 'admin', to: 'owner' });
  });

  it('answers malformed posts with 400, never an exception', async () => {
    const access = (await organizationAccess(handle.db, people.invitee, orgId))!;
    expect(await handleOrganizationForm(context('invitee'), access, undefined)).toMatchObject({ ok: false, status: 400 });
    expect(await handleOrganizationForm(context('invitee'), access, formOf({ intent: 'explode' }))).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(
      await handleOrganizationForm(context('invitee'), access, formOf({ intent: 'role', memberId: 'nobody', role: 'owner' })),
    ).toMatchObject({ ok: false, status: 409 });
    const self = (await listMembers(handle.db, orgId))[0]!;
    expect(
      await handleOrganizationForm(context('invitee'), access, formOf({ intent: 'role', memberId: self.id, role: 'emperor' })),
    ).toMatchObject({ ok: false, status: 400 });
    expect(
      await handleOrganizationForm(context('invitee'), access, formOf({ intent: 'cancel-invitation', invitationId: 'nope' })),
    ).toMatchObject({ ok: false, status: 409 });
  });
});
