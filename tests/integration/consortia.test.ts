import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Auth } from '../../src/lib/auth/index.ts';
import { createOrganizationFor, ensureUser } from '../../src/lib/auth/users.ts';
import { createMailer } from '../../src/lib/mail/index.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';
import {
  answerConsortiumInvitation,
  consortiumAccess,
  consortiumInvitationFor,
  createConsortium,
  handleConsortiumForm,
  type ConsortiumContext,
  type Viewer,
} from '../../src/lib/consortia/index.ts';
import { listConsortiumInvitationsAddressedTo, listConsortiumMembershipsOf } from '../../db/queries/consortia.ts';
import { testAuth } from '../fixtures/accounts.ts';
import { addConsortiumMember } from '../fixtures/consortia.ts';
import { testDb } from '../fixtures/db.ts';
import { formOf } from '../fixtures/forms.ts';
import { companyProfile } from '../fixtures/people.ts';

const BASE_URL = 'http://localhost:4460';
const PASSWORD = 'consortia integration test passphrase';

const profile = (legalName: string, country: string) => companyProfile(legalName, { country });

describe(`consortia on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let auth: Auth;
  let reference: Reference;
  const people: Record<'anchor' | 'partner' | 'outsider' | 'siteAdmin', Viewer> = {} as never;
  const orgs: Record<'heartland' | 'prairie' | 'delta' | 'outsider', string> = {} as never;
  let consortiumId: string;
  let invitationId: string;

  const context = (who: keyof typeof people): ConsortiumContext => ({
    db: handle.db,
    policy: reference.policy,
    countryName: reference.countryName,
    mailer: createMailer({ db: handle.db, from: 'Test <test@example.com>' }),
    siteUrl: BASE_URL,
    viewer: people[who],
    ip: '127.0.0.1',
  });
  const access = async (who: keyof typeof people) => (await consortiumAccess(handle.db, people[who], consortiumId))!;
  const invite = (fields: Record<string, string | string[]>) => ({
    intent: 'invite',
    inviteEmail: 'partner@consortia.example.com',
    legalName: 'Delta Data Labeling Inc.',
    countryOfIncorporation: 'US',
    headquartersCountry: 'US',
    concernControlled: 'no',
    layers: ['data'],
    ...fields,
  });
  const memberRows = () =>
    handle.db.selectFrom('consortium_member').selectAll().where('consortiumId', '=', consortiumId).execute();

  beforeAll(async () => {
    handle = await testDb();
    reference = await loadReference();
    auth = testAuth(handle.db, BASE_URL);
    const accounts = [
      ['anchor', 'anchor@consortia.example.com', 'Ann Anchor', 'supplier'],
      ['partner', 'partner@consortia.example.com', 'Pat Partner', 'supplier'],
      ['outsider', 'outsider@consortia.example.com', 'Oscar Outsider', 'supplier'],
      ['siteAdmin', 'admin@consortia.example.com', 'Ada Admin', 'admin'],
    ] as const;
    for (const [key, email, name, role] of accounts) {
      const { id } = await ensureUser(auth, handle.db, { email, name, password: PASSWORD, role });
      people[key] = { id, email, role };
    }
    orgs.heartland = await createOrganizationFor(
      handle.db,
      people.anchor.id,
      'supplier',
      profile('Heartland Compute Inc.', 'US'),
    );
    orgs.prairie = await createOrganizationFor(handle.db, people.anchor.id, 'supplier', profile('Prairie Models LLC', 'US'));
    orgs.delta = await createOrganizationFor(handle.db, people.partner.id, 'supplier', profile('Delta Data Labeling Inc.', 'US'));
    orgs.outsider = await createOrganizationFor(handle.db, people.outsider.id, 'supplier', profile('Outside Apps Corp.', 'CA'));
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('validates the new consortium form and asks which organization leads when there are several', async () => {
    const bad = await createConsortium(context('anchor'), formOf({ name: 'X', headquartersCountry: 'ZZ' }));
    expect(bad).toMatchObject({ ok: false, status: 400, form: 'new' });
    if (!bad.ok)
      expect(Object.keys(bad.errors).sort()).toEqual([
        'concernControlled',
        'headquartersCountry',
        'layers',
        'name',
        'organizationId',
      ]);
    // An organization the user does not own or administer cannot anchor.
    const foreign = await createConsortium(
      context('anchor'),
      formOf({
        name: 'Stolen Anchor',
        organizationId: orgs.delta,
        headquartersCountry: '',
        concernControlled: 'no',
        layers: ['hardware'],
      }),
    );
    expect(foreign).toMatchObject({ ok: false, status: 400, errors: { organizationId: expect.any(String) } });
    // No body at all is a 400, not a crash.
    expect(await createConsortium(context('anchor'), undefined)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses an ineligible anchor with the reason in words', async () => {
    const hk = await createConsortium(
      context('anchor'),
      formOf({
        name: 'Harbour Stack',
        organizationId: orgs.heartland,
        headquartersCountry: 'HK',
        concernControlled: 'no',
        layers: ['hardware'],
      }),
    );
    expect(hk).toMatchObject({ ok: false, status: 400 });
    if (!hk.ok)
      expect(hk.errors.headquartersCountry).toMatch(
        /Heartland Compute Inc\. is incorporated or headquartered in a country of concern \(Hong Kong\)/,
      );
    const controlled = await createConsortium(
      context('anchor'),
      formOf({
        name: 'Controlled Stack',
        organizationId: orgs.heartland,
        headquartersCountry: '',
        concernControlled: 'yes',
        layers: ['hardware'],
      }),
    );
    expect(controlled).toMatchObject({ ok: false, status: 400 });
    if (!controlled.ok) expect(controlled.errors.concernControlled).toMatch(/owned or controlled from a country of concern/);
    expect(await handle.db.selectFrom('consortium').select('id').execute()).toHaveLength(0);
  });

  it('creates a consortium with its anchor member active, from the organization profile, and audits it', async () => {
    const created = await createConsortium(
      context('anchor'),
      formOf({
        name: 'Heartland AI Stack',
        organizationId: orgs.heartland,
        headquartersCountry: '',
        concernControlled: 'no',
        layers: ['hardware', 'models'],
      }),
    );
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    consortiumId = created.id!;
    expect(created.location).toBe(`/consortia/${consortiumId}?done=created`);
    const rows = await memberRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      role: 'anchor',
      status: 'active',
      organizationId: orgs.heartland,
      legalName: 'Heartland Compute Inc.',
      countryOfIncorporation: 'US',
      headquartersCountry: 'US',
      concernControlled: false,
      layers: ['hardware', 'models'],
    });
    const mine = await access('anchor');
    expect(mine).toMatchObject({ canManage: true, readOnly: false, anchorName: 'Heartland Compute Inc.' });
    const audit = await handle.db.selectFrom('audit_event').selectAll().where('action', '=', 'consortium-created').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: people.anchor.id, subjectType: 'consortium', subjectId: consortiumId });
  });

  it('hides the consortium from non-members (404), shows it read-only to site administrators', async () => {
    expect(await consortiumAccess(handle.db, people.outsider, consortiumId)).toBeUndefined();
    expect(await consortiumAccess(handle.db, people.partner, consortiumId)).toBeUndefined();
    expect(await consortiumAccess(handle.db, undefined, consortiumId)).toBeUndefined();
    // A malformed id is simply not found, never a database error.
    expect(await consortiumAccess(handle.db, people.anchor, 'not-a-uuid')).toBeUndefined();
    expect(await consortiumAccess(handle.db, people.anchor, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
    const admin = await access('siteAdmin');
    expect(admin).toMatchObject({ readOnly: true, canManage: false });
    const refused = await handleConsortiumForm(context('siteAdmin'), admin, formOf(invite({})));
    expect(refused).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses ineligible invitees with reasons: HQ in Hong Kong, concern-controlled, data provider incorporated in China', async () => {
    const mine = await access('anchor');
    const hq = await handleConsortiumForm(
      context('anchor'),
      mine,
      formOf(invite({ headquartersCountry: 'HK', layers: ['hardware'] })),
    );
    expect(hq).toMatchObject({ ok: false, status: 400, form: 'invite' });
    if (!hq.ok) expect(hq.errors.headquartersCountry).toMatch(/Hong Kong/);

    const controlled = await handleConsortiumForm(context('anchor'), mine, formOf(invite({ concernControlled: 'yes' })));
    expect(controlled).toMatchObject({ ok: false, status: 400 });
    if (!controlled.ok) expect(controlled.errors.concernControlled).toMatch(/owned or controlled from a country of concern/);

    const dataInChina = await handleConsortiumForm(
      context('anchor'),
      mine,
      formOf(
        invite({ legalName: 'Shenzhen Labels Ltd.', countryOfIncorporation: 'CN', headquartersCountry: 'US', layers: ['data'] }),
      ),
    );
    expect(dataInChina).toMatchObject({ ok: false, status: 400 });
    if (!dataInChina.ok) {
      expect(dataInChina.errors.countryOfIncorporation).toMatch(
        /Shenzhen Labels Ltd\. is incorporated or headquartered in a country of concern \(.*China\)/,
      );
      expect(dataInChina.errors.layers).toMatch(/data, models, security or application layer/);
    }
    const invalid = await handleConsortiumForm(
      context('anchor'),
      mine,
      formOf(invite({ inviteEmail: 'nope', layers: [], concernControlled: 'maybe' })),
    );
    expect(invalid).toMatchObject({ ok: false, status: 400 });
    if (!invalid.ok) expect(Object.keys(invalid.errors).sort()).toEqual(['concernControlled', 'inviteEmail', 'layers']);
    expect(await memberRows()).toHaveLength(1);
  });

  it('invites a company by email: an invited member row and an email with the link', async () => {
    const mine = await access('anchor');
    const sent = await handleConsortiumForm(
      context('anchor'),
      mine,
      formOf(invite({ inviteEmail: 'Partner@Consortia.example.com' })),
    );
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    invitationId = sent.id!;
    expect(sent.location).toBe(`/consortia/${consortiumId}?done=invited`);
    const row = (await memberRows()).find((m) => m.id === invitationId);
    expect(row).toMatchObject({
      status: 'invited',
      role: 'member',
      organizationId: null,
      invitedEmail: 'partner@consortia.example.com',
      layers: ['data'],
    });
    const mail = await handle.db.selectFrom('dev_mail').selectAll().where('to', '=', 'partner@consortia.example.com').execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toContain('Heartland AI Stack');
    expect(mail[0]!.text).toContain(`${BASE_URL}/consortia/invitations/${invitationId}`);

    const again = await handleConsortiumForm(context('anchor'), await access('anchor'), formOf(invite({})));
    expect(again).toMatchObject({ ok: false, status: 409, errors: { inviteEmail: expect.any(String) } });
    expect(await listConsortiumInvitationsAddressedTo(handle.db, people.partner.email)).toHaveLength(1);
  });

  it('shows the invitation only to the address invited', async () => {
    expect(await consortiumInvitationFor(handle.db, people.outsider, invitationId)).toBeUndefined();
    expect(await consortiumInvitationFor(handle.db, people.anchor, invitationId)).toBeUndefined();
    expect(await consortiumInvitationFor(handle.db, people.partner, 'not-a-uuid')).toBeUndefined();
    const mine = await consortiumInvitationFor(handle.db, people.partner, invitationId);
    expect(mine).toMatchObject({ state: 'pending', consortiumName: 'Heartland AI Stack', anchorName: 'Heartland Compute Inc.' });
  });

  it('accepts on behalf of one of the invitee’s own organizations, which then sees the consortium', async () => {
    const invitation = (await consortiumInvitationFor(handle.db, people.partner, invitationId))!;
    const wrongOrg = await answerConsortiumInvitation(
      context('partner'),
      invitation,
      formOf({ answer: 'accept', organizationId: orgs.heartland }),
    );
    expect(wrongOrg).toMatchObject({ ok: false, status: 400, errors: { organizationId: expect.any(String) } });
    const accepted = await answerConsortiumInvitation(
      context('partner'),
      invitation,
      formOf({ answer: 'accept', organizationId: orgs.delta }),
    );
    expect(accepted).toEqual({ ok: true, location: `/consortia/${consortiumId}?done=joined` });
    const row = (await memberRows()).find((m) => m.id === invitationId);
    expect(row).toMatchObject({ status: 'active', organizationId: orgs.delta });

    const theirs = await access('partner');
    expect(theirs).toMatchObject({ canManage: false, readOnly: false });
    expect(theirs.members.map((m) => m.legalName)).toEqual(['Heartland Compute Inc.', 'Delta Data Labeling Inc.']);
    // A member that is not the anchor cannot change the consortium.
    expect(
      await handleConsortiumForm(context('partner'), theirs, formOf(invite({ inviteEmail: 'x@example.com' }))),
    ).toMatchObject({ ok: false, status: 403 });
    // An answered invitation cannot be answered again.
    const twice = await answerConsortiumInvitation(
      context('partner'),
      (await consortiumInvitationFor(handle.db, people.partner, invitationId))!,
      formOf({ answer: 'decline' }),
    );
    expect(twice).toMatchObject({ ok: false, status: 409 });
  });

  it('checks eligibility again at acceptance', async () => {
    // Details recorded outside the form (say, before the policy changed): acceptance re-checks them.
    const memberId = await addConsortiumMember(handle.db, consortiumId, {
      organizationId: null,
      role: 'member',
      status: 'invited',
      invitedEmail: people.outsider.email,
      legalName: 'Outside Apps Corp.',
      countryOfIncorporation: 'CA',
      headquartersCountry: 'MO',
      layers: ['applications'],
    });
    const invitation = (await consortiumInvitationFor(handle.db, people.outsider, memberId))!;
    const refused = await answerConsortiumInvitation(context('outsider'), invitation, formOf({ answer: 'accept' }));
    expect(refused).toMatchObject({ ok: false, status: 400 });
    if (!refused.ok) expect(refused.errors.organizationId).toMatch(/Macao/);
    const declined = await answerConsortiumInvitation(context('outsider'), invitation, formOf({ answer: 'decline' }));
    expect(declined).toEqual({ ok: true, location: '/consortia?done=declined' });
    expect((await memberRows()).find((m) => m.id === memberId)?.status).toBe('declined');
    expect(await consortiumAccess(handle.db, people.outsider, consortiumId)).toBeUndefined();
  });

  it('lets the anchor change a member’s layers, with checks', async () => {
    const mine = await access('anchor');
    const none = await handleConsortiumForm(context('anchor'), mine, formOf({ intent: 'layers', memberId: invitationId }));
    expect(none).toMatchObject({ ok: false, status: 400, errors: { [`layers-${invitationId}`]: expect.any(String) } });
    const bogus = await handleConsortiumForm(
      context('anchor'),
      mine,
      formOf({ intent: 'layers', memberId: 'nope', layers: ['data'] }),
    );
    expect(bogus).toMatchObject({ ok: false, status: 409 });
    const changed = await handleConsortiumForm(
      context('anchor'),
      mine,
      formOf({ intent: 'layers', memberId: invitationId, layers: ['security', 'data'] }),
    );
    expect(changed).toEqual({ ok: true, location: `/consortia/${consortiumId}?done=layers` });
    expect((await memberRows()).find((m) => m.id === invitationId)?.layers).toEqual(['data', 'security']);
  });

  it('lets a company belong to several consortia', async () => {
    const second = await createConsortium(
      context('anchor'),
      formOf({
        name: 'Prairie Models Alliance',
        organizationId: orgs.prairie,
        headquartersCountry: 'US',
        concernControlled: 'no',
        layers: ['models'],
      }),
    );
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    const secondAccess = (await consortiumAccess(handle.db, people.anchor, second.id!))!;
    const sent = await handleConsortiumForm(
      context('anchor'),
      secondAccess,
      formOf(invite({ layers: ['data', 'applications'] })),
    );
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    const invitation = (await consortiumInvitationFor(handle.db, people.partner, sent.id!))!;
    expect(await answerConsortiumInvitation(context('partner'), invitation, formOf({ answer: 'accept' }))).toMatchObject({
      ok: true,
    });
    const places = await listConsortiumMembershipsOf(handle.db, people.partner.id);
    expect(places.map((p) => [p.consortiumName, p.organizationName, p.status])).toEqual([
      ['Heartland AI Stack', 'Delta Data Labeling Inc.', 'active'],
      ['Prairie Models Alliance', 'Delta Data Labeling Inc.', 'active'],
    ]);
  });

  it('removes a member but never the anchor; the removed company no longer sees the consortium', async () => {
    const mine = await access('anchor');
    const anchorRow = mine.members.find((m) => m.role === 'anchor')!;
    const anchor = await handleConsortiumForm(context('anchor'), mine, formOf({ intent: 'remove', memberId: anchorRow.id }));
    expect(anchor).toMatchObject({ ok: false, status: 400 });
    const removed = await handleConsortiumForm(context('anchor'), mine, formOf({ intent: 'remove', memberId: invitationId }));
    expect(removed).toEqual({ ok: true, location: `/consortia/${consortiumId}?done=removed` });
    expect((await memberRows()).find((m) => m.id === invitationId)?.status).toBe('removed');
    expect(await consortiumAccess(handle.db, people.partner, consortiumId)).toBeUndefined();
    expect(await handleConsortiumForm(context('anchor'), mine, formOf({ intent: 'frobnicate' }))).toMatchObject({
      ok: false,
      status: 400,
    });
  });

  it('records every change in the audit log', async () => {
    const events = await handle.db
      .selectFrom('audit_event')
      .select(['action', 'details'])
      .where('subjectType', '=', 'consortium')
      .where('subjectId', '=', consortiumId)
      .orderBy('id')
      .execute();
    expect(events.map((e) => (e.action === 'consortium-created' ? 'created' : (e.details as { change: string }).change))).toEqual(
      ['created', 'member-invited', 'invitation-accepted', 'invitation-declined', 'layers-changed', 'member-removed'],
    );
  });
});
