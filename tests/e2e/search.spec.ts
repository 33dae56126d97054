import { expect, test, type Page, type TestInfo } from '@playwright/test';
import {
  DESIGNATED_TOTAL,
  EAST_AFRICA_TELEMEDICINE,
  LATAM_TELEMEDICINE,
  LEVANT_HOSPITALS,
  facet,
  toggleFacet,
  facetCount,
  resultCount,
  resultLinks,
  searchBox,
} from './support.ts';

// The core flows, run by both projects: with JavaScript (search-as-you-type enhances the form)
// and without it (the form submits as usual).

const jsOn = (testInfo: TestInfo) => testInfo.project.use.javaScriptEnabled !== false;

/**
 * After ticking a filter: with JavaScript the results follow by themselves; without it the
 * "Apply filters" button is there and has to be pressed.
 */
async function applyFilters(page: Page, testInfo: TestInfo) {
  const apply = page.getByRole('button', { name: 'Apply filters', includeHidden: true });
  if (jsOn(testInfo)) {
    // Nothing to press: the button is hidden once the search island has upgraded the form.
    await expect(apply).toBeHidden();
  } else {
    await expect(apply).toBeVisible();
    await apply.click();
  }
}

test.describe('search', () => {
  test('a misspelt search ("telemedcine") from the home page finds the telemedicine packages, with <mark> highlights', async ({
    page,
  }) => {
    await page.goto('/');
    await searchBox(page).fill('telemedcine');
    await searchBox(page).press('Enter');

    await expect(page).toHaveURL(/\/packages\?q=telemedcine$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Packages matching “telemedcine”');
    await expect(resultCount(page)).toHaveText('3 packages found');
    await expect(resultLinks(page)).toHaveCount(3);
    for (const p of [EAST_AFRICA_TELEMEDICINE, LATAM_TELEMEDICINE, LEVANT_HOSPITALS]) {
      await expect(page.getByRole('link', { name: p.title, exact: true })).toHaveAttribute('href', `/packages/${p.slug}`);
    }
    // The typo still highlights the word it matched, as <mark>, in the title link.
    const titleMark = page.getByRole('link', { name: EAST_AFRICA_TELEMEDICINE.title, exact: true }).locator('mark');
    await expect(titleMark).toHaveCount(1);
    await expect(titleMark).toHaveText(/^telemedicin/i);
    // …and in the summaries: every result has at least one highlighted match.
    const results = page.getByRole('region', { name: 'Search results' }).getByRole('article');
    await expect(results).toHaveCount(3);
    for (const result of await results.all()) await expect(result.locator('mark').first()).toBeVisible();
  });

  test('a misspelt search ("helthcare") on the search page finds the healthcare packages', async ({ page }) => {
    await page.goto('/packages');
    await expect(resultCount(page)).toHaveText(`${DESIGNATED_TOTAL} packages found`);
    await searchBox(page).fill('helthcare');
    await page.getByRole('search', { name: 'Search the catalog' }).getByRole('button', { name: 'Search', exact: true }).click();

    await expect(page).toHaveURL(/[?&]q=helthcare(&|$)/);
    await expect(resultCount(page)).toHaveText('3 packages found');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Packages matching “helthcare”');
    // "helthcare" matches the sector name (not highlighted), so no <mark> is expected here.
    expect((await resultLinks(page).allInnerTexts()).sort()).toEqual(
      [EAST_AFRICA_TELEMEDICINE.title, LATAM_TELEMEDICINE.title, LEVANT_HOSPITALS.title].sort(),
    );
    await expect(page).toHaveTitle(/^Packages matching “helthcare” \| American AI Exports$/);
  });

  test('a search that matches nothing says so', async ({ page }) => {
    await page.goto('/packages?q=xylophonequartzzz');
    await expect(resultCount(page)).toHaveText('0 packages found');
    await expect(page.getByRole('heading', { name: 'No packages match your search' })).toBeVisible();
    await expect(resultLinks(page)).toHaveCount(0);
  });
});

test.describe('filters', () => {
  test('ticking a sector narrows the results, shows the other facet counts, combines with a second facet and clears', async ({
    page,
  }, testInfo) => {
    await page.goto('/packages');
    await expect(resultCount(page)).toHaveText(`${DESIGNATED_TOTAL} packages found`);
    await expect(facet(page, 'Sector', 'Healthcare')).not.toBeChecked();
    expect(await facetCount(page, 'Sector', 'Healthcare')).toBe(3);

    await toggleFacet(page, 'Sector', 'Healthcare');
    await applyFilters(page, testInfo);

    await expect(page).toHaveURL(/[?&]sector=healthcare(&|$)/);
    await expect(resultCount(page)).toHaveText('3 packages found');
    await expect(facet(page, 'Sector', 'Healthcare')).toBeChecked();
    await expect(resultLinks(page)).toHaveCount(3);
    // The other facets now count within the healthcare packages.
    expect(await facetCount(page, 'Regional bloc', 'AU')).toBe(2);
    expect(await facetCount(page, 'Target country', 'Kenya')).toBe(2);
    expect(await facetCount(page, 'Stack layer', 'Hardware and infrastructure')).toBe(3);
    await expect(page.getByRole('group', { name: 'Federal financing' }).getByRole('checkbox').first()).toBeVisible();

    // A second facet narrows further (AND across facets).
    await toggleFacet(page, 'Regional bloc', 'AU');
    await applyFilters(page, testInfo);
    await expect(page).toHaveURL(/[?&]region=african-union(&|$)/);
    await expect(page).toHaveURL(/[?&]sector=healthcare(&|$)/);
    await expect(resultCount(page)).toHaveText('2 packages found');
    expect((await resultLinks(page).allInnerTexts()).sort()).toEqual([EAST_AFRICA_TELEMEDICINE.title, LEVANT_HOSPITALS.title]);
    await expect(facet(page, 'Sector', 'Healthcare')).toBeChecked();
    await expect(facet(page, 'Regional bloc', 'AU')).toBeChecked();

    await page.getByRole('link', { name: 'Clear all filters' }).click();
    await expect(page).toHaveURL(/\/packages$/);
    await expect(resultCount(page)).toHaveText(`${DESIGNATED_TOTAL} packages found`);
    await expect(facet(page, 'Sector', 'Healthcare')).not.toBeChecked();
    await expect(page.getByRole('link', { name: 'Clear all filters' })).toHaveCount(0);
  });

  test('filters keep the search words, and "Clear all filters" keeps them too', async ({ page }, testInfo) => {
    await page.goto('/packages?q=gpu');
    const before = Number((await resultCount(page).innerText()).split(' ')[0]);
    await toggleFacet(page, 'Sector', 'Energy');
    await applyFilters(page, testInfo);
    await expect(page).toHaveURL(/[?&]sector=energy(&|$)/);
    await expect(page).toHaveURL(/[?&]q=gpu(&|$)/);
    await expect(resultCount(page)).toHaveText(/^\d+ packages? found$/);
    const after = Number((await resultCount(page).innerText()).split(' ')[0]);
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(before);
    await page.getByRole('link', { name: 'Clear all filters' }).click();
    await expect(page).toHaveURL(/\/packages\?q=gpu$/);
    await expect(searchBox(page)).toHaveValue('gpu');
    await expect(resultCount(page)).toHaveText(`${before} packages found`);
  });
});

test.describe('package page', () => {
  test('search → filter → open: the package page shows the whole package', async ({ page }, testInfo) => {
    await page.goto('/');
    await searchBox(page).fill('telemedcine');
    await searchBox(page).press('Enter');
    await expect(resultCount(page)).toHaveText('3 packages found');

    await toggleFacet(page, 'Regional bloc', 'AU');
    await applyFilters(page, testInfo);
    await expect(resultCount(page)).toHaveText('2 packages found');

    await page.getByRole('link', { name: EAST_AFRICA_TELEMEDICINE.title, exact: true }).click();
    await expect(page).toHaveURL(`/packages/${EAST_AFRICA_TELEMEDICINE.slug}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(EAST_AFRICA_TELEMEDICINE.title);
    await expect(page).toHaveTitle(`${EAST_AFRICA_TELEMEDICINE.title} | American AI Exports`);

    // The five layers of the stack, A to E.
    const layers = [
      'A. Hardware and infrastructure',
      'B. Data pipelines and labeling',
      'C. AI models and systems',
      'D. Security and cybersecurity',
      'E. AI applications',
    ];
    await expect(page.getByRole('heading', { level: 2, name: 'The full stack, layer by layer' })).toBeVisible();
    for (const name of layers) {
      await expect(page.getByRole('heading', { level: 3, name: new RegExp(`^${name.replace('.', '\\.')}`) })).toBeVisible();
    }
    await expect(page.getByRole('region', { name: /^A\. Hardware and infrastructure/ })).toContainText('GPU');

    // The consortium, as a table with its members.
    await expect(page.getByRole('heading', { level: 2, name: /^Consortium: / })).toBeVisible();
    const consortium = page.getByRole('table', { name: 'Consortium' });
    await expect(consortium.getByRole('columnheader')).toHaveText(['Consortium', 'Incorporated in', 'Supplies']);
    expect(await consortium.getByRole('row').count()).toBeGreaterThan(2);
    await expect(consortium.getByRole('rowheader').first()).toContainText('Anchor member');

    // Target markets: the bloc and the countries, linked to their browse pages.
    await expect(page.getByRole('heading', { level: 2, name: 'Target markets' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'African Union', exact: true })).toHaveAttribute(
      'href',
      '/regions/african-union',
    );
    await expect(page.getByRole('link', { name: 'Kenya', exact: true })).toHaveAttribute('href', '/countries/KE');

    await expect(page.getByRole('heading', { level: 2, name: 'Business and operational model' })).toBeVisible();
    await expect(page.getByText('Deployment model', { exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Federal financing and support' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Compliance' })).toBeVisible();
    for (const name of ['Export controls', 'Outbound investment', 'End-use and end-user policies']) {
      await expect(page.getByRole('heading', { level: 3, name })).toBeVisible();
    }

    // The U.S.-content statement of the hardware layer.
    await expect(page.getByText(/(Meets|Below) the 51% U\.S\.-content presumption/)).toBeVisible();
    await expect(page.getByRole('meter', { name: 'U.S.-origin content of hardware value' })).toBeVisible();

    // "On this page" links to each section.
    const toc = page.getByRole('navigation', { name: 'On this page' });
    await expect(toc.getByRole('link')).toHaveText([
      'Consortium',
      'The full stack, layer by layer',
      'Target markets',
      'Business and operational model',
      'Federal financing and support',
      'Compliance',
      'Contacts',
    ]);

    // The breadcrumb leads back to the catalog.
    await expect(
      page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'Find packages' }),
    ).toHaveAttribute('href', '/packages');
  });

  test('a suspended package answers 410 with an explanation', async ({ page }) => {
    const response = await page.goto('/packages/andean-mining-autonomy-and-ore-logistics-ai');
    expect(response?.status()).toBe(410);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This package is no longer offered');
    await expect(page.getByText(/designation of this package is suspended/)).toBeVisible();
  });
});
