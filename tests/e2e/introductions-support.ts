import type { APIRequestContext, Browser, BrowserContext, Locator, Page } from '@playwright/test';
import {
  DEMO_EMAIL,
  NEW_PASSWORD,
  apiContext,
  expect,
  newClientIp,
  newEmail,
  redirectTarget,
  setRole,
  signedInApi,
  userIdByEmail,
  type FreshUser,
} from './auth-support.ts';
import { mailLink, waitForMail } from './mail.ts';

// Helpers of introductions.spec.ts: buyers signed up with an organization name of the test's
// choosing, browser pages signed in as a request context's account, the move forms of an
// introduction page, and an officer outside the demo officer's territory.

/**
 * A new buyer made through the sign-up form (country KE), confirmed through the link in the
 * verification mail. Not signed in.
 */
export async function signUpBuyer(legalName: string, prefix = 'ibuyer'): Promise<FreshUser> {
  const api = await apiContext();
  try {
    const email = newEmail(prefix);
    const user = { email, password: NEW_PASSWORD, name: `E2E intro buyer ${email.slice(0, 12)}`, organization: legalName };
    const response = await api.post('/account/sign-up', {
      form: {
        kind: 'buyer',
        name: user.name,
        email,
        password: user.password,
        legalName,
        country: 'KE',
        organizationType: 'ministry',
      },
      maxRedirects: 0,
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

/** A browser context (with a client address of its own) signed in as the request context's account. */
export async function browserAs(browser: Browser, api: APIRequestContext | undefined): Promise<BrowserContext> {
  return browser.newContext({
    ...(api ? { storageState: await api.storageState() } : {}),
    extraHTTPHeaders: { 'x-forwarded-for': newClientIp() },
  });
}

/** Clicks a submit button and waits for the POST navigation (and its redirect) to finish. */
export async function submitForm(page: Page, button: Locator): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
    button.click(),
  ]);
  await page.waitForLoadState();
  return response.status();
}

/** The form of one move on an introduction page, by its heading ("Broker the introduction"). */
export function moveForm(page: Page, label: string): Locator {
  return page.locator('#moves form', { has: page.getByRole('heading', { name: label, exact: true }) });
}

/** Makes a move on the introduction page shown, with an optional note; expects the PRG. */
export async function makeMove(page: Page, label: string, move: string, note?: string, outcome?: string): Promise<void> {
  const form = moveForm(page, label);
  await expect(form).toBeVisible();
  if (outcome) await form.locator(`label[for="outcome-${outcome}"]`).click();
  if (note !== undefined) await form.locator(`#note-${move}`).fill(note);
  expect(await submitForm(page, form.getByRole('button', { name: label, exact: true }))).toBe(303);
  await expect(page).toHaveURL(new RegExp(`\\?done=${move}$`));
}

/** Posts a message on the introduction page shown. */
export async function sendMessage(page: Page, body: string): Promise<void> {
  await page.getByLabel('Your message (plain text)', { exact: true }).fill(body);
  expect(await submitForm(page, page.getByRole('button', { name: 'Send the message', exact: true }))).toBe(303);
  await expect(page.getByRole('status')).toContainText('Your message was sent.');
}

/** The messages of the thread, as shown on the introduction page. */
export function threadMessages(page: Page): Locator {
  return page.locator('#thread li.aix-form-card');
}

/**
 * An officer whose territory is Brazil only (outside the demo officer's Kenya and African
 * Union): a fresh account, given the officer role and the territory by the demo administrator,
 * signed in past two-factor sign-in (set up for it here).
 */
export async function officerOutsideTerritory(email: string): Promise<APIRequestContext> {
  const admin = await signedInApi(DEMO_EMAIL.admin);
  try {
    await setRole(admin, email, 'officer');
    const id = await userIdByEmail(admin, email);
    const response = await admin.post(`/admin/users/${id}`, {
      form: { action: 'territory', countries: 'BR' },
      maxRedirects: 0,
    });
    expect(redirectTarget(response), `territory of ${email} set (${response.status()})`).toContain('done=territory');
  } finally {
    await admin.dispose();
  }
  return signedInApi(email, NEW_PASSWORD);
}

/**
 * On an officer's vetting request page: makes sure the request was screened against a list.
 * In demo mode the server loads its made-up list in the background after start-up (not awaited:
 * src/lib/server/bootstrap.ts), so a request made in the first seconds of a run may have been
 * screened against nothing; the officer then screens it again, as the page tells them to.
 */
export async function ensureScreened(page: Page): Promise<void> {
  const noList = page.getByText('No screening list had been imported when this request was screened');
  if (!(await noList.isVisible())) return;
  await waitForScreeningList(page);
  expect(await submitForm(page, page.getByRole('button', { name: 'Screen again against the current list' }))).toBe(303);
  await expect(noList).toBeHidden();
}

/**
 * Waits (up to 30 s) until the demo screening list has been imported, as the officer's "Screen a
 * name" page tells when it screens a name; `page` belongs to a signed-in officer.
 */
export async function waitForScreeningList(page: Page): Promise<void> {
  await expect
    .poll(
      async () =>
        (await (await page.request.get('/officer/screening?names=Probe')).text()).includes(
          'No screening list has been imported yet',
        ),
      {
        message: 'the demo screening list is loaded',
        timeout: 30_000,
      },
    )
    .toBe(false);
}
