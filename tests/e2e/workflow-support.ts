import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { DEMO_EMAIL, DEMO_PASSWORD, newClientIp, saveTotpSecret, storedTotpSecret, totpCode, withLock } from './auth-support.ts';
import { resultCount, resultLinks, searchBox } from './support.ts';

// Helpers of the consortium → proposal → review → designation browser test (workflow.spec.ts).
// Accounts, two-factor keys and mail go through tests/e2e/auth-support.ts and mail.ts, which
// every browser test of the run shares.

export { DEMO_EMAIL, DEMO_PASSWORD };

/**
 * A browser context of its own client address: the server trusts X-Forwarded-For in the tests
 * (TRUST_PROXY_HEADER), and sign-in is rate-limited per address, so each actor gets one.
 */
export async function actor(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': newClientIp() } });
  return { context, page: await context.newPage() };
}

/** Signs in with email and password through the form; stops at the second step if one is asked. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/account/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).not.toHaveURL(/\/account\/sign-in/);
}

/** The second step of sign-in, with the run's stored key of the account. */
async function enterCode(page: Page, email: string): Promise<void> {
  const secret = storedTotpSecret(email);
  if (!secret) throw new Error(`${email} has two-factor sign-in, but no test stored its key (see tests/e2e/auth-support.ts)`);
  await page.getByLabel('Authentication code').fill(await totpCode(secret));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).not.toHaveURL(/\/account\/(two-factor|sign-in)/);
}

/**
 * Signs a staff account in, in the browser, past two-factor sign-in. The first test of the run
 * that needs it sets it up (password, key, code) under the run-wide lock and stores the key for
 * the others (auth-support.ts); later sign-ins compute the code from the stored key.
 */
export async function signInStaff(page: Page, email: string): Promise<void> {
  await signIn(page, email);
  if (/\/account\/two-factor\/verify/.test(page.url())) return enterCode(page, email);
  await withLock(email, async () => {
    if (storedTotpSecret(email)) {
      // Another test set it up meanwhile: sign in again, with a code.
      await page.context().clearCookies();
      await signIn(page, email);
      return enterCode(page, email);
    }
    // Staff reach no protected page until two-factor sign-in is on.
    await page.goto('/review');
    await expect(page).toHaveURL(/\/account\/two-factor\?required=1$/);
    await page.getByLabel('Current password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const key = (await page.getByTestId('totp-secret').innerText()).trim();
    expect(key).toMatch(/^[A-Z2-7]+=*$/);
    await page.getByLabel('Authentication code').fill(await totpCode(key));
    await page.getByRole('button', { name: 'Verify and turn on' }).click();
    await expect(page).toHaveURL(/\/account\/two-factor\?on=1$/);
    saveTotpSecret(email, key);
  });
}

/**
 * Ticks a USWDS checkbox or radio button the way a person does: by clicking its label (the input
 * itself is moved off screen and drawn by the label). Located by role and name beforehand.
 */
export async function tick(page: Page, box: Locator): Promise<void> {
  if (await box.isChecked()) return;
  const id = await box.getAttribute('id');
  await page.locator(`label[for="${id}"]`).click();
  await expect(box).toBeChecked();
}

/** A checkbox or radio button by its label inside the fieldset named `group`. */
export function option(scope: Page | Locator, group: string, name: string, role: 'checkbox' | 'radio' = 'checkbox'): Locator {
  return scope.getByRole('group', { name: group, exact: true }).getByRole(role, { name, exact: true });
}

/** A small, valid PDF (checked by content: %PDF- at the start, %%EOF at the end). */
export function tinyPdf(text: string): Buffer {
  const body = `BT /F1 12 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  return Buffer.from(
    [
      '%PDF-1.4',
      '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
      '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj',
      `4 0 obj << /Length ${body.length} >> stream`,
      body,
      'endstream endobj',
      'trailer << /Root 1 0 R >>',
      '%%EOF',
      '',
    ].join('\n'),
  );
}

/**
 * Searches the catalog as a visitor does, typing into the search box of /packages (search as
 * you type with JavaScript on; with it off, Enter sends the form), and returns the result links
 * named `title`.
 */
export async function searchFor(page: Page, q: string, title: string): Promise<Locator> {
  await page.goto('/packages');
  await expect(resultCount(page)).toBeVisible();
  await searchBox(page).pressSequentially(q, { delay: 20 });
  if (test.info().project.use.javaScriptEnabled === false) await searchBox(page).press('Enter');
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(q).replace(/%20/g, '(\\+|%20)')}(&|$)`));
  await expect(page.locator('#results')).not.toHaveAttribute('aria-busy', 'true');
  return resultLinks(page).filter({ hasText: title });
}

/**
 * Waits until the search for `q` does (or no longer does) list `title`: changes reach the index
 * through the outbox worker (a tick every second), so this polls, loading the page afresh.
 */
export async function expectInSearch(page: Page, q: string, title: string, present: boolean, timeout = 15_000): Promise<void> {
  await expect(async () => {
    await page.goto(`/packages?q=${encodeURIComponent(q)}`);
    await expect(resultLinks(page).filter({ hasText: title })).toHaveCount(present ? 1 : 0, { timeout: 1_000 });
  }).toPass({ timeout, intervals: [250, 500, 1000] });
}
