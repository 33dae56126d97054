import { expect, test } from '@playwright/test';
import {
  DESIGNATED_TOTAL,
  EAST_AFRICA_TELEMEDICINE,
  facet,
  resultCount,
  resultLinks,
  searchBox,
  toggleFacet,
} from './support.ts';

// With JavaScript off the search page is a plain form: nothing happens until it is submitted.
// (search.spec.ts runs the search → filter → open flow in this project too.)

test('ticking a filter does nothing until "Apply filters" is pressed', async ({ page }) => {
  await page.goto('/packages?q=telemedcine');
  await expect(resultCount(page)).toHaveText('3 packages found');
  const searches: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/packages') searches.push(request.url());
  });
  await toggleFacet(page, 'Regional bloc', 'AU');
  // No JavaScript: the page and its results stay as they are…
  await expect(page).toHaveURL(/\/packages\?q=telemedcine$/);
  await expect(resultCount(page)).toHaveText('3 packages found');
  // …until the form is submitted.
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/[?&]region=african-union(&|$)/);
  // The submission is the only request ticking the filter led to.
  expect(searches).toHaveLength(1);
  expect(searches[0]).toMatch(/[?&]region=african-union(&|$)/);
  await expect(page).toHaveURL(/[?&]q=telemedcine(&|$)/);
  await expect(resultCount(page)).toHaveText('2 packages found');
  await expect(searchBox(page)).toHaveValue('telemedcine');
  await expect(facet(page, 'Regional bloc', 'AU')).toBeChecked();
});

test('search, filter, sort and open a package with JavaScript off', async ({ page }) => {
  await page.goto('/');
  await searchBox(page).fill('helthcare');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(/\/packages\?q=helthcare$/);
  await expect(resultCount(page)).toHaveText('3 packages found');

  await toggleFacet(page, 'Target country', 'Kenya');
  await page.getByRole('combobox', { name: 'Sort by' }).selectOption('newest');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/[?&]country=KE(&|$)/);
  await expect(page).toHaveURL(/[?&]sort=newest(&|$)/);
  await expect(resultCount(page)).toHaveText('2 packages found');
  await expect(page.getByRole('combobox', { name: 'Sort by' })).toHaveValue('newest');

  await page.getByRole('link', { name: EAST_AFRICA_TELEMEDICINE.title, exact: true }).click();
  await expect(page).toHaveURL(`/packages/${EAST_AFRICA_TELEMEDICINE.slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(EAST_AFRICA_TELEMEDICINE.title);
  await expect(page.getByRole('heading', { level: 3, name: /^E\. AI applications/ })).toBeVisible();

  await page.goBack();
  await expect(resultCount(page)).toHaveText('2 packages found');
  await page.getByRole('link', { name: 'Clear all filters' }).click();
  await expect(resultCount(page)).toHaveText('3 packages found');
  await searchBox(page).fill('');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(resultCount(page)).toHaveText(`${DESIGNATED_TOTAL} packages found`);
});

test('results are paged with links when there are more than fit on a page', async ({ page }) => {
  await page.goto('/packages?perPage=10');
  await expect(resultCount(page)).toHaveText(`${DESIGNATED_TOTAL} packages found`);
  await expect(resultLinks(page)).toHaveCount(10);
  const pagination = page.getByRole('navigation', { name: 'Pagination' });
  await expect(pagination.getByRole('link', { name: 'Page 1' })).toHaveAttribute('aria-current', 'page');
  await pagination.getByRole('link', { name: 'Next' }).click();
  await expect(page).toHaveURL(/[?&]page=2(&|$)/);
  await expect(resultLinks(page)).toHaveCount(10);
  await pagination.getByRole('link', { name: 'Page 3' }).click();
  await expect(resultLinks(page)).toHaveCount(DESIGNATED_TOTAL - 20);
});
