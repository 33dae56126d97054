import { expect, test } from '@playwright/test';
import { EAST_AFRICA_TELEMEDICINE, resultCount, searchBox } from './support.ts';

// Browse pages, program pages and the error pages, in both projects.

test.describe('browse pages', () => {
  test('home page: search, sector, region and layer tiles, newest packages', async ({ page }) => {
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    await expect(page).toHaveTitle('American AI Exports');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Full-stack American AI, ready to export');
    await expect(page.getByRole('search', { name: 'Search the catalog' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'See all 24 packages' })).toHaveAttribute('href', '/packages');
    await expect(page.getByRole('link', { name: /^Healthcare\s*3 designated packages$/ })).toHaveAttribute(
      'href',
      '/sectors/healthcare',
    );
    await expect(
      page.getByRole('link', { name: /^ASEAN\s*Association of Southeast Asian Nations\s*\d+ designated packages?$/ }),
    ).toHaveAttribute('href', '/regions/asean');
    await expect(
      page.getByRole('link', { name: /^A\. Hardware and infrastructure\s*\d+ designated packages?$/ }),
    ).toHaveAttribute('href', '/packages?layer=hardware');
    const newest = page.getByRole('region', { name: 'Newest designated packages' });
    await expect(newest.getByRole('heading', { level: 3 })).toHaveCount(6);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const [name, href] of [
      ['Find packages', '/packages'],
      ['Sectors', '/sectors'],
      ['Regions', '/regions'],
      ['About the program', '/about'],
      ['How introductions work', '/how-introductions-work'],
      ['FAQ', '/faq'],
    ] as const) {
      await expect(nav.getByRole('link', { name, exact: true })).toHaveAttribute('href', href);
    }
  });

  test('/sectors lists every sector with its count', async ({ page }) => {
    const response = await page.goto('/sectors');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sectors');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sectors' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expect(page.getByRole('main').getByRole('link', { name: /designated packages?$/ })).toHaveCount(10);
    await page.getByRole('link', { name: /^Healthcare\s*Medical imaging.*3 designated packages$/ }).click();
    await expect(page).toHaveURL('/sectors/healthcare');
  });

  test('/sectors/healthcare lists its packages and searches within them', async ({ page }) => {
    const response = await page.goto('/sectors/healthcare');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Healthcare: AI export packages');
    await expect(page.getByText('3 designated packages', { exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: EAST_AFRICA_TELEMEDICINE.title })).toHaveAttribute(
      'href',
      `/packages/${EAST_AFRICA_TELEMEDICINE.slug}`,
    );
    // The search box carries the sector along.
    await searchBox(page).fill('swahili');
    await searchBox(page).press('Enter');
    await expect(page).toHaveURL(/\/packages\?q=swahili&sector=healthcare$/);
    await expect(resultCount(page)).toHaveText('1 package found');
  });

  test('/regions lists the blocs and the countries', async ({ page }) => {
    const response = await page.goto('/regions');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Regional blocs');
    await expect(page.getByRole('heading', { level: 2, name: 'Countries' })).toBeVisible();
    await expect(page.getByRole('link', { name: /^ASEAN\s*Association of Southeast Asian Nations/ })).toHaveAttribute(
      'href',
      '/regions/asean',
    );
    await expect(page.getByRole('link', { name: /^Kenya\s*\d+ designated packages?$/ })).toHaveAttribute('href', '/countries/KE');
  });

  test('/regions/asean lists its packages and member countries', async ({ page }) => {
    const response = await page.goto('/regions/asean');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'AI export packages for Association of Southeast Asian Nations',
    );
    await expect(page.getByText(/^\d+ designated packages?$/)).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Member countries' })).toBeVisible();
    await expect(
      page.getByRole('link', { name: 'Viet Nam', exact: true }).or(page.getByRole('link', { name: 'Vietnam', exact: true })),
    ).toHaveAttribute('href', '/countries/VN');
  });

  test('/countries/KE lists the packages for Kenya; /countries/ke redirects', async ({ page }) => {
    const response = await page.goto('/countries/KE');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('AI export packages for Kenya');
    await expect(page.getByRole('link', { name: 'African Union' })).toHaveAttribute('href', '/regions/african-union');
    await expect(page.getByRole('link', { name: EAST_AFRICA_TELEMEDICINE.title })).toBeVisible();

    await page.goto('/countries/ke');
    await expect(page).toHaveURL('/countries/KE');
  });

  for (const [path, title] of [
    ['/about', 'About the American AI Exports Program'],
    ['/designation', 'How designation works'],
    ['/how-introductions-work', 'How introductions work'],
    ['/faq', 'Frequently asked questions'],
  ] as const) {
    test(`program page ${path}`, async ({ page }) => {
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
      await expect(page).toHaveTitle(`${title} | American AI Exports`);
      await expect(page.getByRole('main').getByRole('paragraph').first()).not.toBeEmpty();
    });
  }
});

test.describe('errors', () => {
  for (const path of ['/packages/no-such-package', '/no-such-page', '/sectors/no-such-sector', '/countries/XX']) {
    test(`404 page for ${path}`, async ({ page }) => {
      const response = await page.goto(path);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
      await expect(page).toHaveTitle('Page not found | American AI Exports');
      // The site's design: banner, header navigation, footer, and a way on.
      await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
      await expect(page.getByRole('contentinfo')).toBeVisible();
      await expect(page.getByRole('search', { name: 'Search the catalog' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Go to the home page' })).toHaveAttribute('href', '/');
    });
  }

  test('an invalid filter answers 400 with an error summary that names the problem', async ({ page }) => {
    const response = await page.goto('/packages?sector=spaceflight');
    expect(response?.status()).toBe(400);
    const alert = page.getByRole('alert');
    await expect(alert).toHaveCount(1);
    await expect(alert.getByRole('heading', { level: 2 })).toHaveText('There is a problem with your search');
    await expect(alert.getByRole('link')).toHaveText('Unknown sector: spaceflight.');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Find AI export packages');
    await expect(resultCount(page)).toHaveCount(0);
  });

  test('other invalid parameters are named too (q too long, page, sort)', async ({ page }) => {
    const response = await page.goto(`/packages?q=${'a'.repeat(201)}&page=0&sort=cheapest`);
    expect(response?.status()).toBe(400);
    const links = page.getByRole('alert').getByRole('link');
    await expect(links).toHaveText([
      'Search words must be 200 characters or fewer.',
      'Sort must be “relevance” or “newest”.',
      'The page number must be a whole number from 1 to 500.',
    ]);
    // Each message links to the field at fault, which is on the page.
    await expect(links.nth(0)).toHaveAttribute('href', '#q');
    await expect(links.nth(1)).toHaveAttribute('href', '#sort');
    await expect(page.locator('#q')).toHaveCount(1);
    await expect(page.locator('#sort')).toHaveCount(1);
    // Search words that are too long are shown back, cut to the limit the box allows.
    await expect(searchBox(page)).toHaveValue('a'.repeat(200));
  });

  // For an unknown facet value the error summary links to a field that is on the page (no facet
  // fieldset is rendered when the query is invalid), so the link leads somewhere.
  test('the error summary link for an unknown facet value leads to an element on the page', async ({ page }) => {
    await page.goto('/packages?sector=spaceflight');
    const link = page.getByRole('alert').getByRole('link', { name: 'Unknown sector: spaceflight.' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^#./);
    await expect(page.locator(href!)).toHaveCount(1);
  });
});
