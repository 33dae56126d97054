import type { Page, TestInfo } from '@playwright/test';
import { DEMO_EMAIL, expect, signedInApi, test } from './auth-support.ts';
import { browserAs, signUpBuyer, submitForm, waitForScreeningList } from './introductions-support.ts';
import { expectNoAxeViolations } from './support.ts';

// The officer's "Screen a name" page (issue 10): any name and country screened against the
// current list with the evidence (list, matched alias, score per alias, why), each source list's
// freshness, and the screening attached to a vetting request. Plain forms: both projects run
// this, with JavaScript on and off (axe-core runs inside the page: the scans are left to the
// project with JavaScript on).

const jsOn = (testInfo: TestInfo) => testInfo.project.use.javaScriptEnabled !== false;

/** Screens names on /officer/screening (a GET form), waiting for the demo list to be loaded. */
async function screen(page: Page, names: string, country: string): Promise<void> {
  await waitForScreeningList(page);
  await page.goto('/officer/screening');
  await page.getByLabel('Names').fill(names);
  await page.getByLabel('Country (optional)').selectOption({ label: country });
  await Promise.all([page.waitForURL(/names=/), page.getByRole('button', { name: 'Screen', exact: true }).click()]);
  await expect(page.getByText('No screening list has been imported yet')).toBeHidden();
}

test('an officer screens a name with its country, reads why it matched, and attaches it to a vetting request', async ({
  browser,
}, testInfo) => {
  const [buyer, officerApi] = await Promise.all([
    signUpBuyer('Lakeview Diagnostics Network', 'scrbuyer'),
    signedInApi(DEMO_EMAIL.officer),
  ]);
  const buyerApi = await signedInApi(buyer.email, buyer.password);
  const buyerContext = await browserAs(browser, buyerApi);
  const officerContext = await browserAs(browser, officerApi);
  try {
    // A request of the officer's territory (Kenya) to attach the screening to.
    const buyerPage = await buyerContext.newPage();
    await buyerPage.goto('/buyer/verification');
    await buyerPage.getByLabel('Intended end use', { exact: true }).fill('Diagnostics imaging for clinics.');
    await buyerPage.getByLabel('End users', { exact: true }).fill('Our own clinics.');
    expect(await submitForm(buyerPage, buyerPage.getByRole('button', { name: 'Send the request', exact: true }))).toBe(303);

    const page = await officerContext.newPage();
    await page.goto('/officer/screening');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Screen a name');
    if (jsOn(testInfo)) await expectNoAxeViolations(page, testInfo, 'screen a name (empty)');

    await screen(page, 'Nairobi Digitel Health Agency\nLakeview Diagnostics Network', 'Kenya');
    const candidate = page.getByRole('article', { name: /Nairobi Digitel Health Agency Ltd/ });
    await expect(candidate).toBeVisible();
    await expect(candidate.locator('dt', { hasText: 'Source list' }).locator('+ dd')).toHaveText(
      'Unverified List (UVL) - Bureau of Industry and Security',
    );
    await expect(candidate.locator('dt', { hasText: 'Why' }).locator('+ dd')).toContainText('is the same name as');
    await expect(candidate.locator('dt', { hasText: 'Why' }).locator('+ dd')).toContainText(
      'The party’s country KE is the entry’s',
    );
    await expect(candidate.getByRole('table', { name: 'Score per alias' })).toContainText('NDHA Kenya');
    // Each source list with the date of its last import.
    await expect(page.getByRole('table', { name: /last import that carried it/ })).toContainText('Entity List (EL)');
    if (jsOn(testInfo)) await expectNoAxeViolations(page, testInfo, 'screen a name (result)');

    // Bad input: a 400 with the message, and nothing lost.
    expect((await page.goto('/officer/screening?names=%20&country=XX'))?.status()).toBe(400);
    await expect(page.getByRole('alert').first()).toBeVisible();
    await expect(page.getByText('Enter at least one name to screen.').first()).toBeVisible();

    // Attach it to the request: the request's page shows it.
    await screen(page, 'Nairobi Digitel Health Agency\nLakeview Diagnostics Network', 'Kenya');
    const select = page.getByLabel('Vetting request', { exact: true });
    const value = await select.locator('option', { hasText: 'Lakeview Diagnostics Network' }).first().getAttribute('value');
    await select.selectOption(value!);
    await page.getByLabel('Note (optional)').fill('Screened under its trading names too.');
    expect(await submitForm(page, page.getByRole('button', { name: 'Attach to the request' }))).toBe(303);
    await expect(page).toHaveURL(/\/officer\/vetting\/[0-9a-f-]+\?done=attached/);
    await expect(page.getByRole('status')).toContainText('The screening was attached to the request.');
    // (Another run of this test may have attached one to the same request before.)
    await expect(page.getByText(/Nairobi Digitel Health Agency Ltd \(Unverified List/).first()).toBeVisible();
    await expect(page.getByText('Screened under its trading names too.').first()).toBeVisible();
    if (jsOn(testInfo)) await expectNoAxeViolations(page, testInfo, 'vetting request with an attached screening');
  } finally {
    await Promise.all([buyerContext.close(), officerContext.close(), buyerApi.dispose(), officerApi.dispose()]);
  }
});
