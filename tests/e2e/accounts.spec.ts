import { readFileSync } from 'node:fs';
import { base32 } from '@better-auth/utils/base32';
import { createOTP } from '@better-auth/utils/otp';
import type { Page, Response } from '@playwright/test';
import {
  DEMO_EMAIL,
  DEMO_PASSWORD,
  NEW_PASSWORD,
  apiContext,
  createUser,
  expect,
  newClientIp,
  newEmail,
  saveTotpSecret,
  setUpTwoFactorApi,
  signInApi,
  siteUrl,
  storedTotpSecret,
  test,
  totpCode,
  withLock,
  type Role,
} from './auth-support.ts';
import { mailLink, waitForMail } from './mail.ts';
import { expectNoAxeViolations } from './support.ts';

// Accounts in the browser: sign-up with the emailed verification link (real SMTP), sign-in
// with two-factor sign-in, staff blocked until it is set up, a buyer denied staff pages,
// password reset, sessions, data export, rate limits, and axe-core on every account page.
//
// Every test sends its own X-Forwarded-For (auth-support's `test`), so the per-address rate
// limits of one test never count another's requests. The forms are plain POST forms: the
// no-js project runs accounts.nojs.spec.ts instead of this file.

test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'the no-js project runs accounts.nojs.spec.ts');

const ROLE_LABEL: Record<Role, string> = {
  buyer: 'Buyer',
  supplier: 'Supplier',
  officer: 'Commercial service officer',
  reviewer: 'Program reviewer',
  admin: 'Administrator',
};

/** Clicks a form's submit button and returns the status of the POST it sends. */
async function submit(page: Page, button: string): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r: Response) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  await page.waitForLoadState();
  return response.status();
}

async function signIn(page: Page, email: string, password: string): Promise<number> {
  await page.goto('/account/sign-in');
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  return submit(page, 'Sign in');
}

interface SignUpValues {
  kind: 'buyer' | 'supplier';
  name: string;
  email: string;
  password: string;
  legalName: string;
  country: string;
  organizationType: string;
}

async function fillSignUp(page: Page, values: SignUpValues): Promise<void> {
  // USWDS draws the radio tile with its label; the input itself is off screen.
  await page.locator(`label[for="kind-${values.kind}"]`).click();
  await page.getByLabel('Full name', { exact: true }).fill(values.name);
  await page.getByLabel('Email address', { exact: true }).fill(values.email);
  await page.getByLabel('Password', { exact: true }).fill(values.password);
  await page.getByLabel('Legal name of the organization', { exact: true }).fill(values.legalName);
  await page.getByLabel('Country', { exact: true }).selectOption(values.country);
  await page.getByLabel('Type of organization', { exact: true }).selectOption(values.organizationType);
}

/** The value of one row of the account page's profile ("Role" → "Buyer"). */
function profileValue(page: Page, term: string) {
  return page.locator('dl.aix-facts dt', { hasText: term }).locator('+ dd');
}

function sessionRows(page: Page) {
  return page.getByRole('table', { name: 'Where you are signed in' }).locator('tbody tr');
}

test.describe('sign-up', () => {
  test('a buyer signs up with a new organization, confirms the email from the mail, and signs in', async ({ page }) => {
    const email = newEmail('buyer');
    const values: SignUpValues = {
      kind: 'buyer',
      name: 'Wanjiru Kamau',
      email,
      password: NEW_PASSWORD,
      legalName: `Nairobi Health Authority ${Date.now()}`,
      country: 'KE',
      organizationType: 'hospital',
    };
    await page.goto('/account/sign-up');
    await fillSignUp(page, values);
    expect(await submit(page, 'Create account')).toBe(303);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email');
    await expect(page.getByText(`We sent a message to ${email}`)).toBeVisible();

    // Not confirmed yet: no way in (and a new link is sent).
    expect(await signIn(page, email, values.password)).toBe(403);
    await expect(page.getByRole('alert').first()).toContainText('Confirm your email address first');

    const mail = await waitForMail(email, 'Confirm your email address');
    expect(mail.text).toContain('Hello Wanjiru Kamau');
    const link = mailLink(mail);
    expect(link.startsWith(`${siteUrl()}/`)).toBe(true);
    await page.goto(link);
    await expect(page).toHaveURL(/\/account\/sign-in\?verified=1$/);
    await expect(page.getByText('Your email address is confirmed. You can sign in now.')).toBeVisible();

    expect(await signIn(page, email, values.password)).toBe(303);
    await expect(page).toHaveURL(`${siteUrl()}/account`);
    await expect(profileValue(page, 'Email address')).toHaveText(email);
    await expect(profileValue(page, 'Role')).toHaveText('Buyer');
    const organizations = page.getByRole('region', { name: 'Your organizations' });
    await expect(organizations.getByRole('listitem')).toHaveText(`${values.legalName} (owner)`);
  });

  test('a short or breached password is refused with a field error, and the other values stay', async ({ page }, testInfo) => {
    test.slow(); // Three axe scans on the way.
    await page.goto('/account/sign-up');
    await expectNoAxeViolations(page, testInfo, 'sign-up (empty)');

    const values: SignUpValues = {
      kind: 'supplier',
      name: 'Jordan Miller',
      email: newEmail('weak'),
      password: 'short pass',
      legalName: 'Great Lakes Vision Systems LLC',
      country: 'US',
      organizationType: 'company',
    };
    for (const [password, message] of [
      ['short pass', 'Your password must be at least 15 characters long.'],
      ['1qaz2wsx3edc4rfv', 'This password appears in lists of passwords exposed in data breaches. Choose another one.'],
    ] as const) {
      await fillSignUp(page, { ...values, password });
      expect(await submit(page, 'Create account')).toBe(400);
      await expect(page.locator('#password-error')).toHaveText(message);
      await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
      // The error summary links to the field.
      await expect(page.locator('.usa-alert--error a[href="#password"]')).toHaveText(message);
      // Everything else is as it was typed; the password is never sent back.
      await expect(page.locator('#kind-supplier')).toBeChecked();
      await expect(page.getByLabel('Full name', { exact: true })).toHaveValue(values.name);
      await expect(page.getByLabel('Email address', { exact: true })).toHaveValue(values.email);
      await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
      await expect(page.getByLabel('Legal name of the organization', { exact: true })).toHaveValue(values.legalName);
      await expect(page.getByLabel('Country', { exact: true })).toHaveValue('US');
      await expect(page.getByLabel('Type of organization', { exact: true })).toHaveValue('company');
    }
    await expectNoAxeViolations(page, testInfo, 'sign-up (password error)');

    // Nothing filled in: every required field says what is missing.
    await page.goto('/account/sign-up');
    expect(await submit(page, 'Create account')).toBe(400);
    await expect(page.locator('.usa-error-message')).not.toHaveCount(0);
    await expectNoAxeViolations(page, testInfo, 'sign-up (empty form sent)');
  });
});

test.describe('two-factor sign-in', () => {
  test('the demo officer is held at two-factor setup until it is on, then needs a code at each sign-in', async ({
    page,
  }, testInfo) => {
    test.slow(); // Seven axe scans on the way.
    const email = DEMO_EMAIL.officer;
    await withLock(email, async () => {
      expect(storedTotpSecret(email), 'no other test has set up two-factor sign-in for the demo officer').toBeUndefined();
      expect(await signIn(page, email, DEMO_PASSWORD)).toBe(303);
      await expect(page).toHaveURL(/\/account\/two-factor\?required=1$/);
      await expect(page.getByRole('heading', { name: 'Set up two-factor sign-in' })).toBeVisible();
      await expect(page.getByText('Your role requires two-factor sign-in. Set it up before you continue.')).toBeVisible();
      await expectNoAxeViolations(page, testInfo, 'two-factor setup (off, required)');

      // No protected page until then: each sends the officer back to the setup.
      for (const path of ['/account', '/account/security', '/account/data', '/officer/vetting', '/admin/users']) {
        await page.goto(path);
        await expect(page, path).toHaveURL(/\/account\/two-factor\?required=1$/);
      }

      await page.getByLabel('Current password', { exact: true }).fill(DEMO_PASSWORD);
      expect(await submit(page, 'Set up two-factor sign-in')).toBe(200);
      const key = (await page.getByTestId('totp-secret').innerText()).trim();
      expect(key).toMatch(/^[A-Z2-7]{16,}=*$/);
      await expect(page.getByTestId('backup-codes').getByRole('listitem')).toHaveCount(10);
      await expectNoAxeViolations(page, testInfo, 'two-factor setup (key shown)');

      await page.getByLabel('Authentication code', { exact: true }).fill(await totpCode(key));
      expect(await submit(page, 'Verify and turn on')).toBe(303);
      saveTotpSecret(email, key);
      await expect(page).toHaveURL(/\/account\/two-factor\?on=1$/);
      await expect(page.getByRole('status').filter({ hasText: 'Two-factor sign-in is on.' })).toBeVisible();
      await expect(page.getByText('Your role requires two-factor sign-in, so it cannot be turned off.')).toBeVisible();
      await expectNoAxeViolations(page, testInfo, 'two-factor setup (on)');
    });

    await page.goto('/account');
    await expect(profileValue(page, 'Role')).toHaveText(ROLE_LABEL.officer);

    // Signed out, then in again: the password alone is not enough.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page).toHaveURL(`${siteUrl()}/`);
    expect(await signIn(page, email, DEMO_PASSWORD)).toBe(303);
    await expect(page).toHaveURL(/\/account\/two-factor\/verify\?next=%2Faccount$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enter your authentication code');
    await expectNoAxeViolations(page, testInfo, 'two-factor verify');
    const response = await page.request.get('/account', { maxRedirects: 0 });
    expect(response.status(), 'no session before the code').toBe(303);

    const code = await totpCode(storedTotpSecret(email)!);
    const wrong = String((Number(code) + 500_001) % 1_000_000).padStart(6, '0');
    await page.getByLabel('Authentication code', { exact: true }).fill(wrong);
    expect(await submit(page, 'Continue')).toBe(401);
    await expect(page.locator('#code-error')).toHaveText('That code is not right, or it has expired. Try again.');
    await expectNoAxeViolations(page, testInfo, 'two-factor verify (wrong code)');

    await page.getByLabel('Authentication code', { exact: true }).fill(await totpCode(storedTotpSecret(email)!));
    expect(await submit(page, 'Continue')).toBe(303);
    await expect(page).toHaveURL(`${siteUrl()}/account`);
    await expect(profileValue(page, 'Role')).toHaveText(ROLE_LABEL.officer);
  });
});

test.describe('two-factor codes', () => {
  // ASVS 5.0 V6.5.1: a TOTP is usable only once (src/lib/auth/index.ts keeps the accepted codes).
  test('a two-factor code is accepted only once', async () => {
    const user = await createUser('buyer', 'replay');
    const first = await apiContext();
    const second = await apiContext();
    try {
      expect(await signInApi(first, user.email, user.password)).toBe('in');
      const secret = await setUpTwoFactorApi(first, user.password);
      // A code the setup did not use: the next 30-second period's, which the site accepts now
      // (it allows for one period of clock drift either way).
      const code = await createOTP(base32.decode(secret)).hotp(Math.floor(Date.now() / 30_000) + 1);
      expect(await signInApi(second, user.email, user.password)).toBe('two-factor');
      const used = await second.post('/account/two-factor/verify', { form: { code }, maxRedirects: 0 });
      expect(used.status()).toBe(303);
      expect(await signInApi(first, user.email, user.password)).toBe('two-factor');
      const replayed = await first.post('/account/two-factor/verify', { form: { code }, maxRedirects: 0 });
      expect(replayed.status(), 'the same code a second time').toBe(401);
    } finally {
      await first.dispose();
      await second.dispose();
    }
  });
});

test.describe('a buyer and staff pages', () => {
  test.use({ signedInAs: 'buyer' });

  test('a buyer is denied the officer, review and administration pages (403 page, not their content)', async ({
    page,
  }, testInfo) => {
    for (const path of ['/officer', '/review', '/admin', '/admin/users']) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(page).toHaveURL(`${siteUrl()}${path}`);
      await expect(page.getByRole('heading', { level: 1 }), path).toHaveText('You cannot see this page');
      await expect(page.getByText('Your account does not have access to this page.')).toBeVisible();
      await expect(page.getByRole('heading', { name: /review queue|administration|users/i })).toHaveCount(0);
    }
    await expectNoAxeViolations(page, testInfo, '403');
  });

  test('the data export downloads everything about me as JSON', async ({ page }) => {
    await page.goto('/account/data');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download (JSON)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^aiexports-data-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
      user: { email: string; role: string };
      sessions: unknown[];
      memberships: { name: string; role: string }[];
      auditEvents: { action: string }[];
    };
    expect(data.user).toMatchObject({ email: DEMO_EMAIL.buyer, role: 'buyer' });
    expect(data.sessions.length).toBeGreaterThan(0);
    expect(data.memberships).toContainEqual(
      expect.objectContaining({ name: 'Ministry of Digital Economy (demo)', role: 'owner' }),
    );
    expect(data.auditEvents.map((e) => e.action)).toContain('sign-in');
  });
});

test.describe('passwords and sessions', () => {
  test('a forgotten password is reset with the emailed link', async ({ page }, testInfo) => {
    const user = await createUser('buyer', 'reset');
    await page.goto('/account/sign-in');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await expect(page).toHaveURL(/\/account\/forgot-password$/);
    await expectNoAxeViolations(page, testInfo, 'forgot-password');
    await page.getByLabel('Email address', { exact: true }).fill(user.email);
    expect(await submit(page, 'Send the link')).toBe(303);
    await expect(page.getByRole('status')).toContainText(`If an account exists for ${user.email}, we sent it a link.`);

    const mail = await waitForMail(user.email, 'Reset your password');
    await page.goto(mailLink(mail));
    await expect(page).toHaveURL(/\/account\/reset-password\?token=/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
    await expectNoAxeViolations(page, testInfo, 'reset-password (from the link)');

    // The new password follows the same rules.
    await page.getByLabel('New password', { exact: true }).fill('passwordpassword');
    expect(await submit(page, 'Save the new password')).toBe(400);
    await expect(page.locator('#newPassword-error')).toContainText('This password');

    const newPassword = 'quiet harbor lanterns drift at dawn';
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    expect(await submit(page, 'Save the new password')).toBe(303);
    await expect(page).toHaveURL(/\/account\/sign-in\?reset=1$/);
    await expect(page.getByText('Your password is changed, and every session was signed out.')).toBeVisible();

    expect(await signIn(page, user.email, user.password), 'the old password').toBe(401);
    expect(await signIn(page, user.email, newPassword)).toBe(303);
    await expect(page).toHaveURL(`${siteUrl()}/account`);
  });

  test('the session list shows every session, "sign out everywhere else" ends the others, and sign-out ends this one on the server', async ({
    page,
    browser,
  }, testInfo) => {
    const user = await createUser('buyer', 'sessions');
    const other = await browser.newContext({ baseURL: siteUrl(), extraHTTPHeaders: { 'x-forwarded-for': newClientIp() } });
    try {
      const otherPage = await other.newPage();
      expect(await signIn(otherPage, user.email, user.password)).toBe(303);
      expect(await signIn(page, user.email, user.password)).toBe(303);

      await page.goto('/account/security');
      await expect(sessionRows(page)).toHaveCount(2);
      await expect(sessionRows(page).filter({ has: page.locator('strong', { hasText: 'This session' }) })).toHaveCount(1);
      await expectNoAxeViolations(page, testInfo, 'security');

      expect(await submit(page, 'Sign out everywhere else')).toBe(303);
      await expect(page.getByRole('status')).toHaveText('The other sessions are signed out.');
      await expect(sessionRows(page)).toHaveCount(1);
      await otherPage.goto('/account');
      await expect(otherPage).toHaveURL(/\/account\/sign-in\?next=%2Faccount$/);

      // Sign-out ends the session in the database, not only in this browser.
      const cookies = await page.context().cookies();
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await expect(page).toHaveURL(`${siteUrl()}/`);
      await other.clearCookies();
      await other.addCookies(cookies);
      await otherPage.goto('/account');
      await expect(otherPage).toHaveURL(/\/account\/sign-in\?next=%2Faccount$/);
    } finally {
      await other.close();
    }
  });

  test('repeated failed sign-ins from one address are slowed down with a clear message', async ({ page }, testInfo) => {
    const email = newEmail('nobody');
    const password = 'not the right password at all';
    expect(await signIn(page, email, password), 'attempt 1').toBe(401);
    await expect(page.locator('.usa-alert--error')).toContainText('The email address or password is not right.');
    await expectNoAxeViolations(page, testInfo, 'sign-in (with error)');
    // Attempts 2 to 5, from the same address (the page's own request context).
    for (let attempt = 2; attempt <= 5; attempt++) {
      const response = await page.request.post('/account/sign-in', {
        form: { email, password },
        headers: { origin: siteUrl() },
        maxRedirects: 0,
      });
      expect(response.status(), `attempt ${attempt}`).toBe(401);
    }
    expect(await signIn(page, email, password), 'attempt 6').toBe(429);
    await expect(page.locator('.usa-alert--error')).toContainText(/Too many attempts\. Wait \d+ seconds, then try again\./);
    // The limit is per client address: another address may still try.
    const elsewhere = await page.request.post('/account/sign-in', {
      form: { email, password },
      headers: { 'x-forwarded-for': newClientIp(), origin: siteUrl() },
      maxRedirects: 0,
    });
    expect(elsewhere.status()).toBe(401);
  });
});

/** A page to scan: a path, or a way to reach it from another page. */
interface Scan {
  name: string;
  path: string;
  status?: number;
  /** Follows a link from `path` to the page to scan. */
  follow?: (page: Page) => Promise<void>;
}

function scanAll(scans: Scan[]) {
  for (const scan of scans) {
    test(`axe: ${scan.name}`, async ({ page }, testInfo) => {
      const response = await page.goto(scan.path);
      expect(response?.status(), scan.path).toBe(scan.status ?? 200);
      if (scan.follow) await scan.follow(page);
      await expectNoAxeViolations(page, testInfo, scan.name);
    });
  }
}

async function firstLink(page: Page, href: RegExp): Promise<void> {
  const hrefs = await page.locator('main a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const target = hrefs.find((h) => href.test(h));
  expect(target, `a link matching ${href}`).toBeDefined();
  const response = await page.goto(target!);
  expect(response?.status(), target).toBe(200);
}

// The pages the flows above do not scan on their way: sign-up (empty and with errors), sign-in
// (with an error), two-factor verify, two-factor setup (off, key shown, on), forgot-password,
// reset-password (from the link), security and the 403 page are scanned there.
test.describe('axe: account pages, signed out', () => {
  scanAll([
    { name: 'sign-in', path: '/account/sign-in' },
    { name: 'reset-password (invalid link)', path: '/account/reset-password?error=INVALID_TOKEN', status: 400 },
  ]);
});

test.describe('axe: a buyer', () => {
  test.use({ signedInAs: 'buyer' });
  scanAll([
    { name: 'account', path: '/account' },
    { name: 'data', path: '/account/data' },
    { name: 'organizations', path: '/organizations' },
    { name: 'one organization', path: '/organizations', follow: (page) => firstLink(page, /^\/organizations\/[^/]+$/) },
    { name: '404', path: '/no-such-page', status: 404 },
  ]);
});

test.describe('axe: a supplier', () => {
  test.use({ signedInAs: 'supplier' });
  scanAll([
    { name: 'consortia', path: '/consortia' },
    { name: 'new consortium', path: '/consortia/new' },
    { name: 'proposals', path: '/proposals' },
  ]);
});

test.describe('axe: an administrator (with two-factor sign-in)', () => {
  test.use({ signedInAs: 'admin' });
  scanAll([
    { name: 'administration', path: '/admin' },
    { name: 'users', path: '/admin/users' },
    {
      name: 'one user',
      path: `/admin/users?q=${encodeURIComponent(DEMO_EMAIL.officer)}`,
      follow: (page) => firstLink(page, /^\/admin\/users\/[^/?]+$/),
    },
    { name: 'audit log', path: '/admin/audit' },
    { name: 'review queue', path: '/review' },
  ]);
});
