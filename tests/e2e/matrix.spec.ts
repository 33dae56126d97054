import { request as httpRequest } from 'node:http';
import { expect, request, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { ACCESS_RULES } from '../../src/lib/server/access.ts';
import {
  DEMO_EMAIL,
  DEMO_PASSWORD,
  NEW_PASSWORD,
  apiContext,
  createUser,
  redirectTarget,
  saveTotpSecret,
  setRole,
  setUpTwoFactorApi,
  signInApi,
  signedInApi,
  siteUrl,
  type Role,
} from './auth-support.ts';
import { EAST_AFRICA_TELEMEDICINE } from './support.ts';

// The route × role matrix of the access rules (src/lib/server/access.ts), over HTTP: one
// signed-in request context per role (its own client address), reused by every row.
//
// Anonymous visitors are sent to sign in (303), signed-in people without the role get the 403
// page, the roles allowed get the page. Officers, reviewers and administrators have two-factor
// sign-in set up (once, in beforeAll); a staff account without it reaches no protected page.
// The officer and the reviewer are fresh accounts an administrator promoted, so that no other
// test's use of the demo officer (the accounts test watches it being blocked until it sets up
// two-factor sign-in) changes these answers.

type Viewer = 'anonymous' | Role;
const VIEWERS: readonly Viewer[] = ['anonymous', 'buyer', 'supplier', 'officer', 'reviewer', 'admin'];
const SIGNED_IN: readonly Viewer[] = ['buyer', 'supplier', 'officer', 'reviewer', 'admin'];

interface Row {
  path: string;
  /** Who gets the page; anyone else signed in gets 403, anonymous visitors the sign-in page. */
  allowed: readonly Viewer[];
}

// One concrete address per protected route family of ACCESS_RULES.
const ROWS: Row[] = [
  { path: '/account', allowed: SIGNED_IN },
  { path: '/account/security', allowed: SIGNED_IN },
  { path: '/account/data', allowed: SIGNED_IN },
  { path: '/organizations', allowed: ['buyer', 'supplier', 'admin'] },
  { path: '/admin', allowed: ['admin'] },
  { path: '/admin/users', allowed: ['admin'] },
  { path: '/admin/audit', allowed: ['admin'] },
  { path: '/consortia', allowed: ['supplier', 'admin'] },
  { path: '/consortia/new', allowed: ['supplier', 'admin'] },
  { path: '/proposals', allowed: ['supplier', 'reviewer', 'admin'] },
  { path: '/review', allowed: ['reviewer', 'admin'] },
  { path: '/officer/vetting', allowed: ['officer', 'admin'] },
  { path: '/officer/screening', allowed: ['officer', 'admin'] },
  { path: '/buyer/verification', allowed: ['buyer'] },
  { path: '/buyer/searches', allowed: ['buyer'] },
  {
    path: `/introductions/new?package=${EAST_AFRICA_TELEMEDICINE.slug}`,
    allowed: ['buyer', 'supplier', 'officer', 'admin'],
  },
  // Development only (the server under test runs in development): everyone; 404 in production.
  { path: '/dev/mailbox', allowed: VIEWERS },
];

const contexts = new Map<Viewer | 'staff without two-factor', APIRequestContext>();
/** A signed-in buyer of its own, for the cross-site checks (so no shared session is touched). */
let crossSiteBuyer: APIRequestContext;

function viewer(name: Viewer | 'staff without two-factor'): APIRequestContext {
  const context = contexts.get(name);
  if (!context) throw new Error(`no request context for ${name}`);
  return context;
}

/** A fresh account, promoted by an administrator to a staff role, signed in with two-factor sign-in set up. */
async function promotedStaff(admin: APIRequestContext, role: Role, withTwoFactor: boolean): Promise<APIRequestContext> {
  const user = await createUser('buyer', role);
  await setRole(admin, user.email, role);
  const api = await apiContext();
  expect(await signInApi(api, user.email, NEW_PASSWORD)).toBe('setup');
  if (withTwoFactor) saveTotpSecret(user.email, await setUpTwoFactorApi(api, NEW_PASSWORD));
  return api;
}

test.describe('route × role matrix', () => {
  // All rows in one worker, so that each role signs in once.
  test.describe.configure({ mode: 'default' });

  test.beforeAll(async ({}, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, 'HTTP only: the chromium project runs it');
    const admin = await signedInApi(DEMO_EMAIL.admin);
    contexts.set('admin', admin);
    const [anonymous, buyer, supplier, officer, reviewer, noTwoFactor, crossSite] = await Promise.all([
      apiContext(),
      signedInApi(DEMO_EMAIL.buyer),
      signedInApi(DEMO_EMAIL.supplier),
      promotedStaff(admin, 'officer', true),
      promotedStaff(admin, 'reviewer', true),
      promotedStaff(admin, 'officer', false),
      createUser('buyer', 'xsite').then((user) => signedInApi(user.email, user.password)),
    ]);
    contexts.set('anonymous', anonymous);
    contexts.set('buyer', buyer);
    contexts.set('supplier', supplier);
    contexts.set('officer', officer);
    contexts.set('reviewer', reviewer);
    contexts.set('staff without two-factor', noTwoFactor);
    crossSiteBuyer = crossSite;
  });

  test.afterAll(async () => {
    for (const context of contexts.values()) await context.dispose();
    contexts.clear();
    await crossSiteBuyer?.dispose();
  });

  test('every protected route family of ACCESS_RULES has a row', () => {
    const protectedRules = ACCESS_RULES.filter((rule) => rule.audience !== 'public');
    for (const rule of protectedRules) {
      const covered = ROWS.some((row) => rule.pattern.test(row.path));
      // /organizations/invitations/<id> (any signed-in person) needs an invitation id: the
      // organizations tests cover it.
      if (String(rule.pattern).includes('invitations')) continue;
      expect(covered, `a matrix row for ${rule.pattern}`).toBe(true);
    }
  });

  for (const row of ROWS) {
    for (const who of VIEWERS) {
      const allowed = row.allowed.includes(who);
      const expected = allowed ? 200 : who === 'anonymous' ? 303 : 403;
      test(`${row.path} as ${who}: ${expected}`, async () => {
        const response = await viewer(who).get(row.path, { maxRedirects: 0 });
        await expectAnswer(response, expected, row.path);
      });
    }
  }

  test('staff without two-factor sign-in reach no protected page but its setup', async () => {
    const api = viewer('staff without two-factor');
    for (const row of ROWS) {
      if (row.path === '/dev/mailbox') continue;
      const response = await api.get(row.path, { maxRedirects: 0 });
      expect.soft(response.status(), row.path).toBe(303);
      expect.soft(redirectTarget(response), row.path).toBe('/account/two-factor?required=1');
    }
    const setup = await api.get('/account/two-factor?required=1', { maxRedirects: 0 });
    expect(setup.status()).toBe(200);
    expect(await setup.text()).toContain('Your role requires two-factor sign-in');
  });

  // The open-data routes are public (no rule in ACCESS_RULES): anyone gets them, signed in or not.
  test('the open-data routes answer anonymous visitors and signed-in people alike', async () => {
    const routes: [string, number][] = [
      ['/statistics', 200],
      ['/developers', 200],
      ['/statistics.csv', 200],
      ['/api/v1/statistics', 200],
      ['/api/v1/openapi.json', 200],
      ['/packages.atom', 200],
      ['/packages.csv', 200],
      ['/packages.json', 200],
      ['/downloads/catalog.json', 302],
      ['/sitemap.xml', 200],
      ['/robots.txt', 200],
    ];
    for (const [path, status] of routes) {
      const rule = ACCESS_RULES.find((r) => r.pattern.test(path));
      expect(rule === undefined || rule.audience === 'public', `${path} is public in ACCESS_RULES`).toBe(true);
      for (const who of ['anonymous', 'buyer', 'officer'] as const) {
        expect.soft((await viewer(who).get(path, { maxRedirects: 0 })).status(), `${path} as ${who}`).toBe(status);
      }
    }
  });

  // The program's explainer lives at /how-introductions-work; /introductions is the signed-in list.
  test('the public explainer of introductions answers anonymous visitors', async () => {
    const response = await viewer('anonymous').get('/how-introductions-work', { maxRedirects: 0 });
    expect(response.status()).toBe(200);
    expect(await response.text()).toContain('How introductions work');
  });

  test('the public account pages answer anonymous visitors', async () => {
    const api = viewer('anonymous');
    for (const path of ['/account/sign-in', '/account/sign-up', '/account/forgot-password', '/account/two-factor/verify']) {
      expect.soft((await api.get(path, { maxRedirects: 0 })).status(), path).toBe(200);
    }
    // Without a token from the emailed link, the reset page says the link is not valid.
    expect((await api.get('/account/reset-password', { maxRedirects: 0 })).status()).toBe(400);
  });

  test('a state-changing POST without a same-origin Origin is refused (403)', async () => {
    const form = { email: DEMO_EMAIL.buyer, password: 'not the password, but long enough' };
    // Another site's form.
    const crossSite = await viewer('anonymous').post('/account/sign-in', {
      form,
      maxRedirects: 0,
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.status()).toBe(403);
    // No Origin at all.
    const bare = await request.newContext({ baseURL: siteUrl(), extraHTTPHeaders: { 'x-forwarded-for': '10.0.0.2' } });
    try {
      const noOrigin = await bare.post('/account/sign-in', { form, maxRedirects: 0 });
      expect(noOrigin.status()).toBe(403);
    } finally {
      await bare.dispose();
    }
    // A signed-in person's session is not used by another site's form…
    const everywhere = await crossSiteBuyer.post('/account/security', {
      form: { action: 'everywhere' },
      maxRedirects: 0,
      headers: { origin: 'https://evil.example' },
    });
    expect(everywhere.status()).toBe(403);
    // …nor by another site's script calling the auth API (which serves no such endpoint).
    const signOut = await crossSiteBuyer.post('/api/auth/sign-out', {
      data: {},
      maxRedirects: 0,
      headers: { origin: 'https://evil.example' },
    });
    expect(signOut.status()).toBe(404);
    // The session is still there.
    expect((await crossSiteBuyer.get('/account', { maxRedirects: 0 })).status()).toBe(200);
  });

  // better-auth's HTTP API serves only the links in the site's mail; the pages call it on the
  // server, under their own rules. Every other endpoint is not found, for everyone (the
  // integration test tests/integration/auth-api.test.ts walks every endpoint better-auth has).
  const AUTH_API: { method: 'GET' | 'POST'; path: string; data?: Record<string, unknown> }[] = [
    { method: 'GET', path: '/api/auth/get-session' },
    { method: 'GET', path: '/api/auth/list-sessions' },
    { method: 'POST', path: '/api/auth/sign-in/email', data: { email: DEMO_EMAIL.buyer, password: 'wrong but long enough pw' } },
    { method: 'POST', path: '/api/auth/sign-up/email', data: { email: 'api@example.org', name: 'A', password: NEW_PASSWORD } },
    { method: 'POST', path: '/api/auth/update-user', data: { name: 'N'.repeat(500_000) } },
    { method: 'POST', path: '/api/auth/delete-user', data: {} },
    { method: 'POST', path: '/api/auth/two-factor/disable', data: { password: DEMO_PASSWORD } },
    { method: 'GET', path: '/api/auth/admin/list-users' },
    { method: 'POST', path: '/api/auth/admin/impersonate-user', data: { userId: 'x' } },
    { method: 'POST', path: '/api/auth/admin/set-role', data: { userId: 'x', role: 'not-a-site-role' } },
    {
      method: 'POST',
      path: '/api/auth/admin/create-user',
      data: { email: 'a@example.org', password: NEW_PASSWORD, name: 'A', role: 'admin' },
    },
    { method: 'POST', path: '/api/auth/organization/delete', data: { organizationId: 'x' } },
    { method: 'POST', path: '/api/auth/organization/update', data: { organizationId: 'x', data: { name: 'Renamed' } } },
    { method: 'POST', path: '/api/auth/organization/create', data: { name: 'New', slug: 'new' } },
    { method: 'GET', path: '/api/auth/organization/list' },
    { method: 'GET', path: '/api/auth/ok' },
  ];
  for (const who of [...VIEWERS, 'staff without two-factor'] as const) {
    test(`/api/auth/* as ${who}: only the mail links are served`, async () => {
      const api = viewer(who);
      for (const call of AUTH_API) {
        const response =
          call.method === 'GET'
            ? await api.get(call.path, { maxRedirects: 0 })
            : await api.post(call.path, { data: call.data, maxRedirects: 0, headers: { origin: siteUrl() } });
        expect.soft(response.status(), `${call.method} ${call.path}`).toBe(404);
        expect.soft(response.headers()['content-type'], call.path).toContain('application/problem+json');
      }
      // The verification link is served (a bad token sends the browser on with an error, not a 404).
      const link = await api.get('/api/auth/verify-email?token=not-a-token&callbackURL=%2Faccount%2Fsign-in', {
        maxRedirects: 0,
      });
      expect(link.status()).not.toBe(404);
      expect(link.status()).toBeLessThan(500);
      // The session still works: nothing above signed anyone out.
      if (who !== 'anonymous' && who !== 'staff without two-factor')
        expect((await api.get('/account', { maxRedirects: 0 })).status()).toBe(200);
    });
  }

  test('an oversized body gets 413', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const form = await viewer('anonymous').post('/account/sign-in', {
      form: { email: 'a@example.org', password: big },
      maxRedirects: 0,
    });
    expect(form.status()).toBe(413);
    const json = await viewer('anonymous').post('/api/auth/sign-in/email', {
      data: { email: 'a@example.org', password: big },
      maxRedirects: 0,
    });
    expect(json.status()).toBe(413);
    const signedIn = await crossSiteBuyer.post('/account/security', {
      form: { action: 'password', currentPassword: big },
      maxRedirects: 0,
    });
    expect(signedIn.status()).toBe(413);
  });

  // A body without Content-Length cannot be bounded before it is read: it is refused unread.
  test('a body sent without Content-Length (chunked) is refused with 411', async () => {
    const status = await chunkedPost('/account/sign-in', 2 * 1024 * 1024);
    expect(status).toBe(411);
  });
});

async function expectAnswer(response: APIResponse, expected: number, path: string): Promise<void> {
  expect(response.status(), `${path}: ${response.status()} ${redirectTarget(response) ?? ''}`).toBe(expected);
  if (expected === 303) {
    expect(redirectTarget(response)).toBe(`/account/sign-in?next=${encodeURIComponent(path)}`);
  } else if (expected === 403) {
    const html = await response.text();
    expect(html).toContain('You cannot see this page');
  } else {
    expect(response.headers()['content-type']).toContain('text/html');
  }
}

/** A same-origin form POST whose body (of `bytes`) is sent in chunks, with no Content-Length. */
function chunkedPost(path: string, bytes: number): Promise<number> {
  const url = new URL(path, siteUrl());
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          origin: siteUrl(),
          'content-type': 'application/x-www-form-urlencoded',
          'transfer-encoding': 'chunked',
          'x-forwarded-for': '10.0.0.1',
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', (error) =>
      (error as NodeJS.ErrnoException).code === 'EPIPE' || (error as NodeJS.ErrnoException).code === 'ECONNRESET'
        ? undefined
        : reject(error),
    );
    req.write('email=a%40example.org&password=');
    const chunk = 'x'.repeat(64 * 1024);
    for (let sent = 0; sent < bytes; sent += chunk.length) req.write(chunk);
    req.end();
  });
}
