import type { Page, Response } from '@playwright/test';
import { createUser, expect, newEmail, siteUrl, test, totpCode } from './auth-support.ts';
import { mailLink, waitForMail } from './mail.ts';

// The account forms are plain POST forms: with JavaScript off (the no-js project runs only
// this file of the accounts tests), sign-up with the emailed link, sign-in, two-factor setup
// and sign-in with a code work the same.

test.use({ javaScriptEnabled: false });

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

test('without JavaScript: sign up, confirm the email, sign in', async ({ page }) => {
  const email = newEmail('nojs');
  const password = 'copper meadow kites unfold slowly';
  await page.goto('/account/sign-up');
  await page.locator('label[for="kind-supplier"]').click();
  await page.getByLabel('Full name', { exact: true }).fill('Casey Nguyen');
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill('too short');
  await page.getByLabel('Legal name of the organization', { exact: true }).fill('Cascade Robotics Inc.');
  await page.getByLabel('Country', { exact: true }).selectOption('US');
  await page.getByLabel('Type of organization', { exact: true }).selectOption('company');
  expect(await submit(page, 'Create account')).toBe(400);
  await expect(page.locator('#password-error')).toHaveText('Your password must be at least 15 characters long.');
  await expect(page.getByLabel('Legal name of the organization', { exact: true })).toHaveValue('Cascade Robotics Inc.');

  await page.getByLabel('Password', { exact: true }).fill(password);
  expect(await submit(page, 'Create account')).toBe(303);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email');

  await page.goto(mailLink(await waitForMail(email, 'Confirm your email address')));
  await expect(page).toHaveURL(/\/account\/sign-in\?verified=1$/);
  expect(await signIn(page, email, password)).toBe(303);
  await expect(page).toHaveURL(`${siteUrl()}/account`);
  await expect(page.locator('dl.aix-facts dt', { hasText: 'Role' }).locator('+ dd')).toHaveText('Supplier');
});

test('without JavaScript: set up two-factor sign-in, then sign in with a code', async ({ page }) => {
  const user = await createUser('buyer', 'nojs2fa');
  expect(await signIn(page, user.email, user.password)).toBe(303);
  await page.goto('/account/two-factor');
  await page.getByLabel('Current password', { exact: true }).fill(user.password);
  expect(await submit(page, 'Set up two-factor sign-in')).toBe(200);
  const key = (await page.getByTestId('totp-secret').innerText()).trim();
  await page.getByLabel('Authentication code', { exact: true }).fill(await totpCode(key));
  expect(await submit(page, 'Verify and turn on')).toBe(303);
  await expect(page.getByText('Two-factor sign-in is on.').first()).toBeVisible();

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(`${siteUrl()}/`);
  expect(await signIn(page, user.email, user.password)).toBe(303);
  await expect(page).toHaveURL(/\/account\/two-factor\/verify/);
  await page.getByLabel('Authentication code', { exact: true }).fill(await totpCode(key));
  expect(await submit(page, 'Continue')).toBe(303);
  await expect(page).toHaveURL(`${siteUrl()}/account`);
});
