import { expect, test } from '@playwright/test';
import { EAST_AFRICA_TELEMEDICINE, LEVANT_HOSPITALS, LATAM_TELEMEDICINE, expectNoAxeViolations } from './support.ts';

// Comparing packages side by side, from search results or a package page; the comparison is a
// form and a URL, so it works the same with JavaScript off (both projects run this file).

test('choose packages in the results, compare them, remove one, add another', async ({ page }, testInfo) => {
  await page.goto('/packages?q=telemedicine');
  const results = page.getByRole('region', { name: 'Search results' });
  await results.getByText(`Compare: ${EAST_AFRICA_TELEMEDICINE.title}`).click();
  await results.getByText(`Compare: ${LATAM_TELEMEDICINE.title}`).click();
  await page.getByRole('button', { name: /Compare chosen packages/ }).click();

  await expect(page).toHaveURL(/\/compare\?p=/);
  await expect(page.getByRole('heading', { level: 1, name: 'Compare packages' })).toBeVisible();
  const table = page.getByRole('table', { name: '2 packages side by side' });
  await expect(table.getByRole('columnheader', { name: new RegExp(EAST_AFRICA_TELEMEDICINE.title) })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: new RegExp(LATAM_TELEMEDICINE.title) })).toBeVisible();
  for (const aspect of [
    'U.S.-origin content of hardware value',
    'Target markets',
    'Deployment model',
    'Federal financing and support',
    'Export controls',
  ]) {
    await expect(table.getByRole('rowheader', { name: aspect })).toBeVisible();
  }
  if (testInfo.project.use.javaScriptEnabled !== false) await expectNoAxeViolations(page, testInfo, 'compare');

  // The address is the comparison: opened afresh, it shows the same packages.
  const shared = page.url();
  await page.goto(shared);
  await expect(page.getByRole('table', { name: '2 packages side by side' })).toBeVisible();

  await table.getByRole('link', { name: new RegExp(`^Remove from comparison\\s*: ${LATAM_TELEMEDICINE.title}$`) }).click();
  await expect(page.getByRole('table', { name: 'One package' })).toBeVisible();

  await page.getByRole('searchbox', { name: 'Find a package by its words' }).fill('hospital network');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('link', { name: `Add “${LEVANT_HOSPITALS.title}”` }).click();
  await expect(page.getByRole('table', { name: '2 packages side by side' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: new RegExp(LEVANT_HOSPITALS.title) })).toBeVisible();
});

test('a package page starts a comparison with itself', async ({ page }) => {
  await page.goto(`/packages/${EAST_AFRICA_TELEMEDICINE.slug}`);
  await page.getByRole('link', { name: 'Compare with other packages' }).click();
  await expect(page.getByRole('table', { name: 'One package' })).toBeVisible();
});

test('more than four packages: the first four are compared and the page says so; unknown ones are named as left out', async ({
  page,
}) => {
  const slugs = [EAST_AFRICA_TELEMEDICINE.slug, LATAM_TELEMEDICINE.slug, LEVANT_HOSPITALS.slug, 'no-such-package'];
  const response = await page.goto(`/compare?${slugs.map((s) => `p=${s}`).join('&')}&p=a&p=b`);
  expect(response?.status()).toBe(200);
  await expect(page.getByText('Only the first 4 packages are compared.')).toBeVisible();
  await expect(page.getByText('One package you asked for is no longer in the catalog and is left out.')).toBeVisible();
  await expect(page.getByRole('table', { name: '3 packages side by side' })).toBeVisible();
});
