import { expect, test } from '@playwright/test';
import { EAST_AFRICA_TELEMEDICINE, expectNoAxeViolations, resultCount, searchBox } from './support.ts';

// axe-core (WCAG 2.0/2.1 A and AA) on every page type, with and without JavaScript.
//
// axe runs inside the page, which it cannot do in a context with JavaScript turned off. In the
// no-js project the pages are loaded with a Content-Security-Policy of `script-src 'none'`
// instead: none of the site's scripts run (the same page as without JavaScript), while axe,
// evaluated through the DevTools protocol, still can.
test.use({ javaScriptEnabled: true });

test.beforeEach(async ({ page }, testInfo) => {
  if (testInfo.project.use.javaScriptEnabled !== false) return;
  await page.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.continue();
    const response = await route.fetch({ maxRedirects: 0 });
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "script-src 'none'" } });
  });
});

test("no-js a11y pages really run without the site's scripts", async ({ page }, testInfo) => {
  await page.goto('/packages');
  const enhanced = await page.evaluate(() => customElements.get('aix-search') !== undefined);
  expect(enhanced).toBe(testInfo.project.use.javaScriptEnabled !== false);
});

const pages: { name: string; path: string; status: number }[] = [
  { name: 'home', path: '/', status: 200 },
  { name: 'search', path: '/packages', status: 200 },
  { name: 'search with a query', path: '/packages?q=telemedcine', status: 200 },
  { name: 'search with a filter', path: '/packages?sector=healthcare&region=african-union', status: 200 },
  { name: 'search with no result', path: '/packages?q=xylophonequartzzz', status: 200 },
  { name: 'search with an invalid query', path: '/packages?sector=spaceflight&page=0', status: 400 },
  { name: 'search, page 2', path: '/packages?perPage=10&page=2', status: 200 },
  { name: 'package', path: `/packages/${EAST_AFRICA_TELEMEDICINE.slug}`, status: 200 },
  { name: 'package no longer offered', path: '/packages/andean-mining-autonomy-and-ore-logistics-ai', status: 410 },
  { name: 'sectors', path: '/sectors', status: 200 },
  { name: 'sector', path: '/sectors/healthcare', status: 200 },
  { name: 'regions', path: '/regions', status: 200 },
  { name: 'region', path: '/regions/asean', status: 200 },
  { name: 'country', path: '/countries/KE', status: 200 },
  { name: 'about', path: '/about', status: 200 },
  { name: 'designation', path: '/designation', status: 200 },
  { name: 'how introductions work', path: '/how-introductions-work', status: 200 },
  { name: 'faq', path: '/faq', status: 200 },
  { name: '404', path: '/no-such-page', status: 404 },
  { name: 'package 404', path: '/packages/no-such-package', status: 404 },
];

for (const { name, path, status } of pages) {
  test(`axe: ${name} (${path})`, async ({ page }, testInfo) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(status);
    if (testInfo.project.use.javaScriptEnabled === false && !/^\/packages(\?|$)/.test(path)) {
      // Only the search page has a script. Any other page is the same without JavaScript, and
      // the chromium project scans it: check that it has no script rather than scan it twice.
      // A JSON-LD data block (package pages) is data, not a script: browsers never run it.
      await expect(page.locator('script:not([type="application/ld+json"])')).toHaveCount(0);
      return;
    }
    await expectNoAxeViolations(page, testInfo, `${testInfo.project.name} ${path}`);
  });
}

test('axe: the search page after search-as-you-type and with the banner open', async ({ page }, testInfo) => {
  await page.goto('/packages');
  await searchBox(page).fill('helthcare');
  await searchBox(page).press('Enter');
  await expect(resultCount(page)).toHaveText('3 packages found');
  await page.getByText("Here's how you know").click();
  await expect(page.getByText('Official websites use .gov')).toBeVisible();
  await expectNoAxeViolations(page, testInfo, `${testInfo.project.name} /packages?q=helthcare (after typing)`);
});
