import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAPIError } from 'better-auth/api';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.ts';
import { upsertPackage } from '../../db/queries/packages.ts';
import { listIntroductionMessages } from '../../db/queries/introductions.ts';
import { createAuth, type Auth } from '../../src/lib/auth/index.ts';
import { SITE_AUTH_ENDPOINTS } from '../../src/lib/auth/http-gate.ts';
import { createOrganizationFor, ensureUser } from '../../src/lib/auth/users.ts';
import { deleteAccount } from '../../src/lib/account/data.ts';
import { signUp } from '../../src/lib/account/sign-up.ts';
import { createMailer, type Mailer } from '../../src/lib/mail/index.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';
import { vettingForOfficer } from '../../src/lib/vetting/actions.ts';
import { introductionAccess } from '../../src/lib/introductions/actions.ts';
import type { AppServices } from '../../src/lib/server/bootstrap.ts';
import { ALL } from '../../src/pages/api/auth/[...all].ts';
import { testDb } from '../fixtures/db.ts';
import { buildPackage } from '../fixtures/packages.ts';
import { companyProfile } from '../fixtures/people.ts';

// better-auth's HTTP API was a second door: every endpoint it mounts answered, whatever the
// pages allow. These tests go through the real route (src/pages/api/auth/[...all].ts), the
// real better-auth handler and the real database.

const SITE = 'http://localhost:4461';
const PASSWORD = 'auth api integration test passphrase';
const HTTP_SERVED = new Set(Object.entries(SITE_AUTH_ENDPOINTS).flatMap(([path, e]) => (e.http ? [path] : [])));

describe(`better-auth's HTTP API on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let db: Kysely<Database>;
  let auth: Auth;
  let mailer: Mailer;
  let app: AppServices;
  let reference: Reference;
  let ipCounter = 0;
  const nextIp = () => `198.51.100.${(ipCounter++ % 250) + 1}`;

  /** A request to /api/auth/<path> as a browser sends it, through the site's route. */
  async function http(path: string, init: { method?: string; body?: unknown; cookie?: string } = {}) {
    const headers = new Headers({ origin: SITE, 'x-aix-client-ip': nextIp() });
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    if (init.cookie) headers.set('cookie', init.cookie);
    const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
    const request = new Request(`${SITE}/api/auth${path}`, {
      method,
      headers,
      body: init.body === undefined || method === 'GET' || method === 'HEAD' ? undefined : JSON.stringify(init.body),
    });
    const response = await ALL({ request, locals: { app } } as never);
    const text = await response.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json, headers: response.headers };
  }

  /** The same request handed to better-auth's handler itself, as the pages' `authPost` does. */
  async function internal(path: string, init: { method?: string; body?: unknown; cookie?: string } = {}) {
    const headers = new Headers({ origin: SITE, 'x-aix-client-ip': nextIp() });
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    if (init.cookie) headers.set('cookie', init.cookie);
    const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
    const response = await auth.handler(
      new Request(`${SITE}/api/auth${path}`, {
        method,
        headers,
        body: init.body === undefined || method === 'GET' ? undefined : JSON.stringify(init.body),
      }),
    );
    const text = await response.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json };
  }

  /** The status of a refused `auth.api` call (the pages' other way in). */
  async function apiStatus(call: () => Promise<unknown>): Promise<number> {
    try {
      await call();
      return 200;
    } catch (error) {
      if (isAPIError(error)) return error.statusCode;
      throw error;
    }
  }

  interface Person {
    id: string;
    email: string;
    cookie: string;
    headers: Headers;
  }

  async function person(key: string, role: 'buyer' | 'supplier' | 'officer' | 'admin', twoFactor = false): Promise<Person> {
    const email = `${key}@auth-api.example.com`;
    const { id } = await ensureUser(auth, db, { email, name: key, password: PASSWORD, role });
    const { headers } = await auth.api.signInEmail({ body: { email, password: PASSWORD }, returnHeaders: true });
    const cookie = headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    // Two-factor sign-in turned on after this sign-in: the session stands, and now counts as a 2FA one.
    if (twoFactor) await db.updateTable('user').set({ twoFactorEnabled: true }).where('id', '=', id).execute();
    return { id, email, cookie, headers: new Headers({ cookie }) };
  }

  let owner: Person;
  let admin: Person;
  let adminNo2fa: Person;
  let officer: Person;
  let orgId: string;
  let vettingId: string;
  let introductionId: string;

  /** A buyer organization with a vetting record (and its events) and an introduction with messages. */
  async function evidenceFor(organizationId: string, officerId: string, requesterId: string) {
    const vetting = await db
      .insertInto('vetting')
      .values({
        organizationId,
        state: 'verified',
        alternateNames: [],
        endUse: '',
        endUsers: '',
        requestedBy: requesterId,
        officerId,
        decisionReason: 'Screened, no match.',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('vetting_event')
      .values({ vettingId: vetting.id, move: 'verify', fromState: 'pending', toState: 'verified', actorId: officerId })
      .execute();
    const pkg = await upsertPackage(db, buildPackage({ targetCountries: ['KE'] }));
    const intro = await db
      .insertInto('introduction')
      .values({
        buyerOrganizationId: organizationId,
        packageId: pkg.id,
        requestedBy: requesterId,
        state: 'requested',
        needs: 'Clinic triage',
        timeline: '6 months',
        budgetBand: '10m-50m',
        deploymentModel: 'hybrid',
        financingInterest: true,
        participants: '',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('introduction_message')
      .values({ introductionId: intro.id, authorId: requesterId, side: 'buyer', body: 'When can we meet?' })
      .execute();
    await db
      .insertInto('introduction_event')
      .values({ introductionId: intro.id, move: 'request', fromState: 'draft', toState: 'requested', actorId: requesterId })
      .execute();
    return { vettingId: vetting.id, introductionId: intro.id };
  }

  beforeAll(async () => {
    handle = await testDb();
    db = handle.db;
    reference = await loadReference();
    mailer = createMailer({ db, from: 'Test <test@example.com>' });
    auth = createAuth({ db, baseURL: SITE, secret: 'a-test-secret-of-sufficient-length-0123456789', mailer, production: false });
    app = { auth, db, mailer, config: { siteUrl: SITE }, reference } as unknown as AppServices;
    owner = await person('owner', 'buyer');
    admin = await person('admin', 'admin', true);
    adminNo2fa = await person('admin-no-2fa', 'admin');
    officer = await person('officer', 'officer', true);
    await db.insertInto('officer_territory').values({ userId: officer.id, kind: 'country', code: 'KE' }).execute();
    orgId = await createOrganizationFor(db, owner.id, 'buyer', companyProfile('Ministry of Evidence', { country: 'KE' }));
    ({ vettingId, introductionId } = await evidenceFor(orgId, officer.id, owner.id));
  });
  afterAll(async () => {
    await handle.close();
  });

  const auditCount = async (action: string) =>
    Number(
      (
        await db
          .selectFrom('audit_event')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('action', '=', action as never)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('an organization owner cannot delete the organization: its vetting record and introductions stay', async () => {
    const response = await http('/organization/delete', { body: { organizationId: orgId }, cookie: owner.cookie });
    expect(response.status).toBe(404);
    expect(response.json).toMatchObject({ status: 404, title: 'Not found' });
    // Nor through better-auth's server API, nor the handler the pages use.
    expect(await apiStatus(() => auth.api.deleteOrganization({ body: { organizationId: orgId }, headers: owner.headers }))).toBe(
      404,
    );
    expect((await internal('/organization/delete', { body: { organizationId: orgId }, cookie: owner.cookie })).status).toBe(404);
    // And the database itself refuses to delete an organization that has evidence.
    await expect(db.deleteFrom('organization').where('id', '=', orgId).execute()).rejects.toThrow(/foreign key/i);
    expect(await db.selectFrom('organization').select('id').where('id', '=', orgId).executeTakeFirst()).toBeTruthy();
    expect(await db.selectFrom('vetting').select('id').where('id', '=', vettingId).executeTakeFirst()).toBeTruthy();
    expect(await db.selectFrom('introduction').select('id').where('id', '=', introductionId).executeTakeFirst()).toBeTruthy();
  });

  it('nobody is impersonated: admin/impersonate-user is not served', async () => {
    const response = await http('/admin/impersonate-user', { body: { userId: owner.id }, cookie: admin.cookie });
    expect(response.status).toBe(404);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await apiStatus(() => auth.api.impersonateUser({ body: { userId: owner.id }, headers: admin.headers }))).toBe(404);
    const impersonated = await db
      .selectFrom('session')
      .select('id')
      .where('userId', '=', owner.id)
      .where(({ ref }) => ref('impersonatedBy' as never), 'is not', null)
      .execute()
      .catch(() => []);
    expect(impersonated).toEqual([]);
  });

  it('admin/set-role is not served, not even for a role that is not a site role', async () => {
    const before = await auditCount('role-changed');
    const response = await http('/admin/set-role', { body: { userId: owner.id, role: 'not-a-site-role' }, cookie: admin.cookie });
    expect(response.status).toBe(404);
    expect(
      await apiStatus(() =>
        auth.api.setRole({ body: { userId: owner.id, role: 'not-a-site-role' as never }, headers: admin.headers }),
      ),
    ).toBe(404);
    expect((await db.selectFrom('user').select('role').where('id', '=', owner.id).executeTakeFirstOrThrow()).role).toBe('buyer');
    expect(await auditCount('role-changed')).toBe(before);
  });

  it('admin/create-user is not served: no administrator is made outside /admin and user:create', async () => {
    const body = { email: 'made-by-api@auth-api.example.com', password: PASSWORD, name: 'Made', role: 'admin' };
    expect((await http('/admin/create-user', { body, cookie: admin.cookie })).status).toBe(404);
    expect(await apiStatus(() => auth.api.createUser({ body: body as never, headers: admin.headers }))).toBe(404);
    expect(await db.selectFrom('user').select('id').where('email', '=', body.email).executeTakeFirst()).toBeUndefined();
  });

  it('an administrator without two-factor sign-in is not served the user list, nor the admin actions', async () => {
    expect((await http('/admin/list-users', { cookie: adminNo2fa.cookie })).status).toBe(404);
    expect((await http('/admin/list-users', { cookie: admin.cookie })).status).toBe(404);
    expect(await apiStatus(() => auth.api.listUsers({ query: {}, headers: adminNo2fa.headers }))).toBe(404);
    // The admin actions the pages keep are refused to an administrator without two-factor sign-in…
    expect(
      await apiStatus(() => auth.api.banUser({ body: { userId: owner.id, banReason: 'test' }, headers: adminNo2fa.headers })),
    ).toBe(403);
    expect((await db.selectFrom('user').select('banned').where('id', '=', owner.id).executeTakeFirstOrThrow()).banned).not.toBe(
      true,
    );
    // …and to the organization owner.
    expect(await apiStatus(() => auth.api.banUser({ body: { userId: admin.id, banReason: 'x' }, headers: owner.headers }))).toBe(
      403,
    );
  });

  it('staff cannot turn two-factor sign-in off, over HTTP or through the handler the page uses', async () => {
    expect((await http('/two-factor/disable', { body: { password: PASSWORD }, cookie: officer.cookie })).status).toBe(404);
    const direct = await internal('/two-factor/disable', { body: { password: PASSWORD }, cookie: officer.cookie });
    expect(direct.status).toBe(403);
    expect(direct.json.code).toBe('STAFF_TWO_FACTOR_REQUIRED');
    const row = await db.selectFrom('user').select('twoFactorEnabled').where('id', '=', officer.id).executeTakeFirstOrThrow();
    expect(row.twoFactorEnabled).toBe(true);
  });

  it('organization/update is not served: the name changes only on the page, audited', async () => {
    const response = await http('/organization/update', {
      body: { organizationId: orgId, data: { name: 'Renamed quietly' } },
      cookie: owner.cookie,
    });
    expect(response.status).toBe(404);
    expect(
      await apiStatus(() =>
        auth.api.updateOrganization({
          body: { organizationId: orgId, data: { name: 'Renamed quietly' } },
          headers: owner.headers,
        }),
      ),
    ).toBe(404);
    expect((await db.selectFrom('organization').select('name').where('id', '=', orgId).executeTakeFirstOrThrow()).name).toBe(
      'Ministry of Evidence',
    );
  });

  it('update-user is not served, and names keep the form’s limit of 200 characters everywhere', async () => {
    const huge = 'N'.repeat(500_000);
    expect((await http('/update-user', { body: { name: huge }, cookie: owner.cookie })).status).toBe(404);
    expect(await apiStatus(() => auth.api.updateUser({ body: { name: huge }, headers: owner.headers }))).toBe(404);
    expect((await db.selectFrom('user').select('name').where('id', '=', owner.id).executeTakeFirstOrThrow()).name).toBe('owner');
    // Sign-up is served to the page only, with the form's limits, whoever calls.
    const email = 'huge-name@auth-api.example.com';
    const refused = await internal('/sign-up/email', { body: { name: huge, email, password: PASSWORD } });
    expect(refused.status).toBe(400);
    expect(refused.json.code).toBe('INVALID_INPUT');
    expect(refused.json.message).toMatch(/name/);
    const extra = await internal('/sign-up/email', { body: { name: 'Eve', email, password: PASSWORD, role: 'admin' } });
    expect(extra.status).toBe(400);
    expect(await db.selectFrom('user').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined();
    // Control characters are dropped and the text normalised (NFC) before better-auth stores it.
    const ok = await internal('/sign-up/email', { body: { name: ' Cafe\u0301\u0000 Owner ', email, password: PASSWORD } });
    expect(ok.status).toBe(200);
    const stored = await db.selectFrom('user').select('name').where('email', '=', email).executeTakeFirstOrThrow();
    expect(stored.name).toBe('Caf\u00e9 Owner');
  });

  it('every better-auth endpoint but the links in the site’s mail answers 404 over HTTP; unused ones 404 inside too', async () => {
    const endpoints = Object.entries(auth.api as unknown as Record<string, { path?: string; options?: { method?: unknown } }>)
      .filter(([, e]) => typeof e.path === 'string')
      .map(([key, e]) => {
        const method = e.options?.method;
        const methods = (Array.isArray(method) ? method : [method ?? 'GET']).map(String).filter((m) => m !== '*');
        return { key, path: e.path!, methods: methods.length ? methods : ['GET', 'POST'] };
      });
    // The plugins' endpoints are there (admin, organization, two-factor): better-auth mounts dozens.
    expect(endpoints.length).toBeGreaterThan(60);
    expect(endpoints.map((e) => e.path)).toEqual(
      expect.arrayContaining(['/admin/impersonate-user', '/organization/delete', '/update-user', '/delete-user']),
    );
    // Every endpoint the site lists exists in this better-auth (a rename would leave the page broken).
    for (const path of Object.keys(SITE_AUTH_ENDPOINTS)) expect(endpoints.map((e) => e.path)).toContain(path);

    const served: string[] = [];
    for (const endpoint of endpoints) {
      const concrete = endpoint.path.replace(/:[A-Za-z]+/g, 'abc123');
      for (const method of endpoint.methods) {
        for (const cookie of [undefined, owner.cookie, admin.cookie]) {
          const response = await http(concrete, { method, body: method === 'GET' ? undefined : {}, cookie });
          if (HTTP_SERVED.has(endpoint.path) && method === 'GET') {
            expect.soft(response.status, `${method} ${endpoint.path}`).not.toBe(404);
            served.push(`${method} ${endpoint.path}`);
          } else {
            expect.soft(response.status, `${method} ${endpoint.path} over HTTP`).toBe(404);
          }
        }
        if (!(endpoint.path in SITE_AUTH_ENDPOINTS)) {
          const inside = await internal(concrete, { method, body: method === 'GET' ? undefined : {}, cookie: admin.cookie });
          expect.soft(inside.status, `${method} ${endpoint.path} inside`).toBe(404);
        }
      }
    }
    expect(new Set(served)).toEqual(new Set(['GET /verify-email', 'GET /reset-password/:token']));
    // A path better-auth does not have, and tricks on the served ones.
    for (const path of [
      '/nope',
      '/verify-email/',
      '/reset-password/a/b',
      '/reset-password/%2e%2e%2fadmin%2flist-users',
      '//verify-email',
    ]) {
      expect.soft((await http(path)).status, path).toBe(404);
    }
    expect((await http('/verify-email?token=x', { method: 'POST', body: {} })).status).toBe(404);
  });

  it('the kept administrative and membership endpoints each have an audit event', async () => {
    for (const [path, endpoint] of Object.entries(SITE_AUTH_ENDPOINTS)) {
      if (path.startsWith('/admin/') || path.startsWith('/organization/')) expect(endpoint.audit, path).toBeDefined();
    }
    const target = await person('target', 'buyer');
    const banned = await auditCount('user-banned');
    await auth.api.banUser({ body: { userId: target.id, banReason: 'Audit test' }, headers: admin.headers });
    expect(await auditCount('user-banned')).toBe(banned + 1);
    const unbanned = await auditCount('user-unbanned');
    await auth.api.unbanUser({ body: { userId: target.id }, headers: admin.headers });
    expect(await auditCount('user-unbanned')).toBe(unbanned + 1);
    const revoked = await auditCount('sessions-revoked');
    await auth.api.revokeUserSessions({ body: { userId: target.id }, headers: admin.headers });
    expect(await auditCount('sessions-revoked')).toBe(revoked + 1);
  });

  it('the verification link in the mail is served, and works', async () => {
    const email = 'verify-link@auth-api.example.com';
    const result = await signUp(app, signUpForm(email), signUpRequest());
    expect(result).toEqual({ ok: true, email });
    const mail = await db.selectFrom('dev_mail').select('text').where('to', '=', email).executeTakeFirstOrThrow();
    const link = /http:\/\/localhost:4461\/api\/auth(\/verify-email\?\S+)/.exec(mail.text)?.[1];
    expect(link).toBeTruthy();
    const verified = await http(link!);
    expect(verified.status).toBe(302);
    expect(verified.headers.get('location')).toContain('/account/sign-in?verified=1');
    expect(
      (await db.selectFrom('user').select('emailVerified').where('email', '=', email).executeTakeFirstOrThrow()).emailVerified,
    ).toBe(true);
  });

  it('deleting the last member’s account closes the organization and keeps its vetting record, introductions and messages', async () => {
    const buyer = await person('closing-buyer', 'buyer');
    const closingOrg = await createOrganizationFor(db, buyer.id, 'buyer', companyProfile('Closing Agency', { country: 'KE' }));
    const evidence = await evidenceFor(closingOrg, officer.id, buyer.id);
    expect(await deleteAccount(db, buyer.id, '127.0.0.1')).toEqual({ ok: true });

    expect(await db.selectFrom('user').select('id').where('id', '=', buyer.id).executeTakeFirst()).toBeUndefined();
    expect(await db.selectFrom('organization').select('id').where('id', '=', closingOrg).executeTakeFirst()).toBeTruthy();
    expect(
      await db.selectFrom('organization_closure').selectAll().where('organizationId', '=', closingOrg).executeTakeFirst(),
    ).toMatchObject({ closedBy: buyer.id, reason: 'last-member-left' });
    expect(await db.selectFrom('member').select('id').where('organizationId', '=', closingOrg).execute()).toEqual([]);
    expect(await db.selectFrom('vetting_event').select('id').where('vettingId', '=', evidence.vettingId).execute()).toHaveLength(
      1,
    );
    expect(
      await db.selectFrom('introduction_event').select('id').where('introductionId', '=', evidence.introductionId).execute(),
    ).toHaveLength(1);
    expect((await listIntroductionMessages(db, evidence.introductionId)).map((m) => m.body)).toEqual(['When can we meet?']);
    expect(await auditCount('organization-closed')).toBeGreaterThan(0);

    // The officer still opens both.
    const officerViewer = { id: officer.id, role: 'officer' };
    expect((await vettingForOfficer({ db, reference }, officerViewer, evidence.vettingId))?.id).toBe(evidence.vettingId);
    const access = await introductionAccess({ db, reference }, officerViewer, evidence.introductionId);
    expect(access?.intro.id).toBe(evidence.introductionId);
    expect(access?.side).toBe('officer');
  });

  it('a supplier anchoring a consortium deletes the account without an error; the organization is closed', async () => {
    const supplier = await person('anchor-supplier', 'supplier');
    const supplierOrg = await createOrganizationFor(db, supplier.id, 'supplier', companyProfile('Anchor Systems'));
    await db
      .insertInto('consortium')
      .values({ name: 'Anchored', anchorOrganizationId: supplierOrg, createdBy: supplier.id })
      .execute();
    expect(await deleteAccount(db, supplier.id, null)).toEqual({ ok: true });
    expect(
      await db
        .selectFrom('organization_closure')
        .select('organizationId')
        .where('organizationId', '=', supplierOrg)
        .executeTakeFirst(),
    ).toBeTruthy();
  });

  function signUpForm(email: string) {
    return {
      kind: 'buyer',
      name: 'Parallel Person',
      email,
      password: PASSWORD,
      legalName: `Ministry of ${email}`,
      country: 'KE',
      organizationType: 'ministry',
      sectors: [],
    };
  }
  function signUpRequest(): Request {
    return new Request(`${SITE}/account/sign-up`, { method: 'POST', headers: { 'x-aix-client-ip': nextIp() } });
  }

  it('six parallel sign-ups with one email make exactly one account; every one gets the same answer', async () => {
    const email = 'parallel@auth-api.example.com';
    const results = await Promise.all(Array.from({ length: 6 }, () => signUp(app, signUpForm(email), signUpRequest())));
    expect(results).toEqual(Array.from({ length: 6 }, () => ({ ok: true, email })));
    const users = await db.selectFrom('user').select(['id', 'role']).where('email', '=', email).execute();
    expect(users).toHaveLength(1);
    expect(users[0]!.role).toBe('buyer');
    const memberships = await db
      .selectFrom('member')
      .select(['organizationId', 'role'])
      .where('userId', '=', users[0]!.id)
      .execute();
    expect(memberships).toEqual([expect.objectContaining({ role: 'owner' })]);
    expect(
      await db
        .selectFrom('organization_profile')
        .select('organizationId')
        .where('legalName', '=', `Ministry of ${email}`)
        .execute(),
    ).toHaveLength(1);
    // One verification link; the owner of the address is told of the other five.
    const mail = await db.selectFrom('dev_mail').select('subject').where('to', '=', email).execute();
    expect(mail.filter((m) => m.subject === 'Confirm your email address')).toHaveLength(1);
    expect(mail.filter((m) => m.subject.startsWith('Someone tried'))).toHaveLength(5);
    expect(
      await db
        .selectFrom('audit_event')
        .select('id')
        .where('action', '=', 'sign-up-duplicate')
        .where('actorEmail', '=', email)
        .execute(),
    ).toHaveLength(5);
    expect(
      await db.selectFrom('audit_event').select('id').where('action', '=', 'sign-up').where('actorEmail', '=', email).execute(),
    ).toHaveLength(1);
  });

  it('a sign-up for a taken address answers as for a new one, and tells the owner', async () => {
    const taken = await signUp(app, signUpForm(admin.email), signUpRequest());
    expect(taken).toEqual({ ok: true, email: admin.email });
    expect((await db.selectFrom('user').select('role').where('email', '=', admin.email).executeTakeFirstOrThrow()).role).toBe(
      'admin',
    );
    const notices = await db.selectFrom('dev_mail').select('text').where('to', '=', admin.email).execute();
    expect(notices.some((m) => /already has one/.test(m.text))).toBe(true);
    expect(
      await db
        .selectFrom('organization_profile')
        .select('organizationId')
        .where('legalName', '=', `Ministry of ${admin.email}`)
        .execute(),
    ).toEqual([]);
  });
});
