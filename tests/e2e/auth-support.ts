import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  expect,
  request,
  test as base,
  type APIRequestContext,
  type APIResponse,
  type BrowserContextOptions,
} from '@playwright/test';
import { totpFor } from '../fixtures/auth.ts';
import { mailLink, waitForMail } from './mail.ts';

// Accounts in the browser tests: demo accounts, fresh accounts made through sign-up, sessions
// (with two-factor sign-in) for request contexts and browser pages.
//
// The demo officer, reviewer and administrator must set up two-factor sign-in before they
// reach their pages. The first test that needs one of them with two-factor sign-in sets it up
// through the site and keeps the key in <DATA_DIR>/totp/<email> (under a lock, since tests run
// in parallel workers); every later sign-in reads the key from there. A test that sets up
// two-factor sign-in for a shared demo account in any other way breaks every other test that
// signs in as that account: use `signedInApi` / `saveTotpSecret` instead.

export const DEMO_PASSWORD = 'correct horse battery staple demo';
export type Role = 'buyer' | 'supplier' | 'officer' | 'reviewer' | 'admin';
export const ROLES: readonly Role[] = ['buyer', 'supplier', 'officer', 'reviewer', 'admin'];
export const DEMO_EMAIL: Record<Role, string> = {
  buyer: 'buyer@demo.aiexports.example.com',
  supplier: 'supplier@demo.aiexports.example.com',
  officer: 'officer@demo.aiexports.example.com',
  reviewer: 'reviewer@demo.aiexports.example.com',
  admin: 'admin@demo.aiexports.example.com',
};
/** A password the policy accepts, for fresh accounts (not in any breached list, no email in it). */
export const NEW_PASSWORD = 'amber lattice voyage nineteen owls';

/** The site under test (the config sets AIX_E2E_PORT for the runner and its workers). */
export function siteUrl(): string {
  const port = process.env.AIX_E2E_PORT;
  if (!port) throw new Error('AIX_E2E_PORT is not set: run through tests/playwright.config.ts');
  return `http://127.0.0.1:${port}`;
}

function dataDir(): string {
  const dir = process.env.AIX_E2E_DATA_DIR;
  if (!dir) throw new Error('AIX_E2E_DATA_DIR is not set: run through tests/playwright.config.ts');
  return dir;
}

/**
 * A client address of its own (sent as X-Forwarded-For, which the test server trusts), so that
 * the per-address rate limits (sign-in 5 a minute, sign-up 3, two-factor 5) of one test do not
 * count another's requests. Random in 10/8: the limits live in the database for the whole run.
 */
export function newClientIp(): string {
  const octet = () => 1 + Math.floor(Math.random() * 254);
  return `10.${octet()}.${octet()}.${octet()}`;
}

/** A fresh, unused email address (names are checked against passwords: keep them short). */
export function newEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}@e2e.example.org`;
}

/** The current code of an authenticator app set up with `secret` (the key the setup page shows). */
export function totpCode(secret: string): Promise<string> {
  return totpFor(`otpauth://totp/e2e?secret=${encodeURIComponent(secret)}`);
}

// --- Two-factor keys shared by the run's tests --------------------------------------------

function totpDir(): string {
  const dir = join(dataDir(), 'totp');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The two-factor key stored for an account by the test that set it up, if any. */
export function storedTotpSecret(email: string): string | undefined {
  const file = join(totpDir(), email.toLowerCase());
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

export function saveTotpSecret(email: string, secret: string): void {
  writeFileSync(join(totpDir(), email.toLowerCase()), secret);
}

/** Runs `fn` while holding the run-wide lock `name` (a file created exclusively). */
export async function withLock<T>(name: string, fn: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
  const file = join(totpDir(), `${name.toLowerCase()}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      closeSync(openSync(file, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the lock ${file}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}

// --- Request contexts -------------------------------------------------------------------

/**
 * A request context for the site, as a browser of its own: same-origin `Origin` on every
 * request (the site refuses cross-site form posts) and a client address of its own.
 */
export function apiContext(ip = newClientIp()): Promise<APIRequestContext> {
  return request.newContext({ baseURL: siteUrl(), extraHTTPHeaders: { origin: siteUrl(), 'x-forwarded-for': ip } });
}

/** Where a redirect goes (a path on the site), or undefined if the answer is not a redirect. */
export function redirectTarget(response: APIResponse): string | undefined {
  const location = response.headers()['location'];
  if (!location || response.status() < 300 || response.status() >= 400) return undefined;
  const url = new URL(location, siteUrl());
  return url.origin === siteUrl() ? url.pathname + url.search : url.href;
}

function formPost(api: APIRequestContext, path: string, form: Record<string, string>): Promise<APIResponse> {
  return api.post(path, { form, maxRedirects: 0 });
}

/**
 * Signs in with email and password (the sign-in form). Returns where the site sends the person
 * next: 'two-factor' (code needed), 'setup' (staff without two-factor sign-in), or 'in'.
 */
export async function signInApi(
  api: APIRequestContext,
  email: string,
  password = DEMO_PASSWORD,
): Promise<'in' | 'two-factor' | 'setup'> {
  const response = await formPost(api, '/account/sign-in', { email, password });
  const target = redirectTarget(response);
  if (!target) throw new Error(`Sign-in as ${email} failed: ${response.status()} ${(await response.text()).slice(0, 300)}`);
  if (target.startsWith('/account/two-factor/verify')) return 'two-factor';
  const account = await api.get('/account', { maxRedirects: 0 });
  if (redirectTarget(account)?.startsWith('/account/two-factor?required=1')) return 'setup';
  expect(account.status(), `GET /account after signing in as ${email}`).toBe(200);
  return 'in';
}

/** The second step of sign-in: the current code for `secret`. */
export async function completeTwoFactor(api: APIRequestContext, secret: string): Promise<void> {
  const response = await formPost(api, '/account/two-factor/verify', { code: await totpCode(secret) });
  expect(redirectTarget(response), `two-factor code accepted (${response.status()})`).toBe('/account');
}

/** Sets up two-factor sign-in for the signed-in person (password, then a code); returns the key. */
export async function setUpTwoFactorApi(api: APIRequestContext, password = DEMO_PASSWORD): Promise<string> {
  const start = await formPost(api, '/account/two-factor', { action: 'start', password });
  const html = await start.text();
  expect(start.status(), html.slice(0, 500)).toBe(200);
  const secret = /name="secret" value="([A-Z2-7=]+)"/.exec(html)?.[1];
  const uri = /name="uri" value="([^"]+)"/.exec(html)?.[1];
  if (!secret || !uri) throw new Error('The two-factor setup page shows no key');
  const verify = await formPost(api, '/account/two-factor', {
    action: 'verify',
    code: await totpCode(secret),
    secret,
    uri: uri.replace(/&amp;/g, '&'),
  });
  expect(redirectTarget(verify), `two-factor setup verified (${verify.status()})`).toBe('/account/two-factor?on=1');
  return secret;
}

// Each sign-in with two-factor sign-in takes a code no test has used yet (the site accepts a
// code once), so tests signing in as the same staff account queue for 30-second steps. The
// first such sign-in keeps its session's cookies in <DATA_DIR>/sessions/<email>.json and later
// ones reuse it while the site still accepts it (tests never sign these sessions out).

function sessionFile(email: string): string {
  const dir = join(dataDir(), 'sessions');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${email.toLowerCase()}.json`);
}

/** A request context on the kept session of `email`, if there is one the site still accepts. */
async function sharedSession(email: string): Promise<APIRequestContext | undefined> {
  const file = sessionFile(email);
  if (!existsSync(file)) return undefined;
  const api = await request.newContext({
    baseURL: siteUrl(),
    extraHTTPHeaders: { origin: siteUrl(), 'x-forwarded-for': newClientIp() },
    storageState: file,
  });
  const account = await api.get('/account', { maxRedirects: 0 });
  if (account.status() === 200) return api;
  await api.dispose();
  rmSync(file, { force: true });
  return undefined;
}

/**
 * A request context signed in as `email`, past two-factor sign-in: a staff account without it
 * gets it set up (once for the run; the key is kept for the other tests).
 */
export async function signedInApi(email: string, password = DEMO_PASSWORD): Promise<APIRequestContext> {
  const reused = await sharedSession(email);
  if (reused) return reused;
  const api = await apiContext();
  const step = await signInApi(api, email, password);
  if (step === 'in') return api;
  if (step === 'two-factor') {
    const secret = storedTotpSecret(email);
    if (!secret) throw new Error(`${email} has two-factor sign-in, but no test stored its key (see tests/e2e/auth-support.ts)`);
    return withLock(`${email}.session`, async () => {
      // Another test may have signed in meanwhile: its session serves this one too.
      const shared = await sharedSession(email);
      if (shared) {
        await api.dispose();
        return shared;
      }
      await completeTwoFactor(api, secret);
      await api.storageState({ path: sessionFile(email) });
      return api;
    });
  }
  return withLock(email, async () => {
    if (!storedTotpSecret(email)) {
      saveTotpSecret(email, await setUpTwoFactorApi(api, password));
      await api.storageState({ path: sessionFile(email) });
      return api;
    }
    // Another test set it up meanwhile: sign in again, with a code.
    await api.dispose();
    return signedInApi(email, password);
  });
}

// --- Fresh accounts ---------------------------------------------------------------------

export interface FreshUser {
  email: string;
  password: string;
  name: string;
  organization: string;
}

/**
 * A new buyer or supplier, made as a person makes one: the sign-up form, then the link in the
 * verification mail (delivered over SMTP). The account is verified, not signed in.
 */
export async function createUser(kind: 'buyer' | 'supplier' = 'buyer', prefix: string = kind): Promise<FreshUser> {
  const api = await apiContext();
  try {
    const email = newEmail(prefix);
    const suffix = email.slice(prefix.length + 1, email.indexOf('@'));
    const user = {
      email,
      password: NEW_PASSWORD,
      name: `E2E ${kind} ${suffix}`,
      organization: `E2E ${kind} organization ${suffix}`,
    };
    const response = await formPost(api, '/account/sign-up', {
      kind,
      name: user.name,
      email,
      password: user.password,
      legalName: user.organization,
      country: kind === 'buyer' ? 'KE' : 'US',
      organizationType: kind === 'buyer' ? 'ministry' : 'company',
    });
    expect(redirectTarget(response), `sign-up of ${email} (${response.status()})`).toBe(
      `/account/sign-up?sent=${encodeURIComponent(email)}`,
    );
    const mail = await waitForMail(email, /confirm your email/i);
    const verified = await api.get(mailLink(mail), { maxRedirects: 0 });
    expect(redirectTarget(verified), 'the verification link').toContain('/account/sign-in?verified=1');
    return user;
  } finally {
    await api.dispose();
  }
}

/** The id of an account, from the administrators' user search (`admin`: an administrator's context). */
export async function userIdByEmail(admin: APIRequestContext, email: string): Promise<string> {
  const response = await admin.get(`/admin/users?q=${encodeURIComponent(email)}`);
  expect(response.status()).toBe(200);
  const ids = [...new Set([...(await response.text()).matchAll(/href="\/admin\/users\/([A-Za-z0-9_-]+)"/g)].map((m) => m[1]!))];
  expect(ids, `one account found for ${email}`).toHaveLength(1);
  return ids[0]!;
}

/** An administrator gives an account a site role, on the account's administration page. */
export async function setRole(admin: APIRequestContext, email: string, role: Role): Promise<void> {
  const id = await userIdByEmail(admin, email);
  const response = await formPost(admin, `/admin/users/${id}`, { action: 'role', role });
  expect(redirectTarget(response), `role of ${email} set to ${role} (${response.status()})`).toBe(`/admin/users/${id}?done=role`);
}

// --- Browser tests ----------------------------------------------------------------------

/**
 * `test` with a client address of each test's own (X-Forwarded-For) and, with
 * `test.use({ signedInAs: 'admin' })`, pages signed in as that demo account (past two-factor
 * sign-in): one sign-in per worker and role, reused by the worker's tests.
 */
export const test = base.extend<
  { signedInAs: Role | undefined; clientIp: string },
  { roleSessions: (role: Role) => Promise<BrowserContextOptions['storageState']> }
>({
  signedInAs: [undefined, { option: true }],
  clientIp: async ({}, use) => use(newClientIp()),
  extraHTTPHeaders: async ({ extraHTTPHeaders, clientIp }, use) => use({ ...extraHTTPHeaders, 'x-forwarded-for': clientIp }),
  roleSessions: [
    async ({}, use) => {
      const sessions = new Map<Role, Promise<APIRequestContext>>();
      await use(async (role) => {
        if (!sessions.has(role)) sessions.set(role, signedInApi(DEMO_EMAIL[role]));
        return (await sessions.get(role)!).storageState();
      });
      for (const api of sessions.values()) await (await api.catch(() => undefined))?.dispose();
    },
    { scope: 'worker' },
  ],
  storageState: async ({ signedInAs, roleSessions, storageState }, use) =>
    use(signedInAs ? await roleSessions(signedInAs) : storageState),
});

export { expect };
