import { expect, test, type Locator, type Page } from '@playwright/test';
import { test as buyerTest } from './auth-support.ts';
import { PUBLIC_PAGES } from './public-pages.ts';
import { EAST_AFRICA_TELEMEDICINE, expectNoAxeViolations, searchBox } from './support.ts';

// Phones and zoom: every public page type at 390 px (axe and layout), at 320 px (no sideways
// scrolling, WCAG 1.4.10 reflow), and at 200 % zoom of a 1280 px window (640 CSS px).

const WIDTHS = [
  { label: '390 px', viewport: { width: 390, height: 844 }, scale: 1, axe: true },
  { label: '320 px', viewport: { width: 320, height: 640 }, scale: 1, axe: false },
  { label: '200 % zoom', viewport: { width: 640, height: 400 }, scale: 2, axe: true },
];

for (const { label, viewport, scale, axe } of WIDTHS) {
  test.describe(label, () => {
    test.use({ viewport, deviceScaleFactor: scale });
    for (const { name, path, status } of PUBLIC_PAGES) {
      test(`${name} (${path}) fits the screen${axe ? ' and passes axe' : ''}`, async ({ page }, testInfo) => {
        const response = await page.goto(path);
        expect(response?.status()).toBe(status);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(0);
        if (axe && testInfo.project.use.javaScriptEnabled !== false)
          await expectNoAxeViolations(page, testInfo, `${label} ${path}`);
      });
    }
  });
}

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the search button is named and as wide as its word on every page with a search box', async ({ page }) => {
    for (const path of ['/', '/packages', '/sectors/healthcare', '/countries/KE', '/regions/asean', '/no-such-page']) {
      await page.goto(path);
      const button = page.getByRole('button', { name: 'Search', exact: true });
      await expect(button).toBeVisible();
      expect((await button.boundingBox())?.width ?? 0, path).toBeGreaterThan(40);
      expect((await searchBox(page).boundingBox())?.width ?? 0, `${path}: the search box takes the row`).toBeGreaterThan(200);
    }
  });

  test('results come before the filters, and a skip link leads to them', async ({ page }) => {
    await page.goto('/packages?q=health');
    const firstResult = page.getByRole('region', { name: 'Search results' }).getByRole('link').first();
    const top = (await firstResult.boundingBox())?.y ?? Infinity;
    expect(top, 'the first result is within two screens').toBeLessThan(2 * 844);
    await page.getByRole('link', { name: 'Skip to results' }).click();
    await expect(page).toHaveURL(/#results$/);
  });

  test('the package page offers the introduction on its first screen', async ({ page }) => {
    await page.goto(`/packages/${EAST_AFRICA_TELEMEDICINE.slug}`);
    const cta = page.getByRole('link', { name: 'Request an introduction', exact: true });
    await expect(cta).toBeVisible();
    expect((await cta.boundingBox())?.y ?? Infinity).toBeLessThan(844 * 1.5);
    await cta.click();
    await expect(page.getByRole('heading', { name: 'Request an introduction' })).toBeInViewport();
  });
});

// The buyer's own pages, signed in as the demo buyer, at a phone's width and at 200 % zoom.
const BUYER_PAGES = ['/buyer', '/buyer/searches', '/buyer/verification', '/introductions', '/account', '/organizations'];
for (const { label, viewport, scale } of WIDTHS.filter((w) => w.axe)) {
  buyerTest.describe(`${label}, signed in as a buyer`, () => {
    buyerTest.use({ viewport, deviceScaleFactor: scale, signedInAs: 'buyer' });
    for (const path of BUYER_PAGES) {
      buyerTest(`${path} fits the screen and passes axe`, async ({ page }, testInfo) => {
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(200);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(0);
        if (testInfo.project.use.javaScriptEnabled !== false) await expectNoAxeViolations(page, testInfo, `${label} ${path}`);
      });
    }
  });
}

// By keyboard: from the top of the page, how many key presses reach the page's main action
// when the visitor takes the first skip link (Tab, Enter on "Skip to main content", then Tab
// until the action). The skip links (to the content, to the results) keep it to a few at
// any width.
const MAIN_ACTIONS = [
  { path: '/', action: 'the search box', target: (page: Page) => searchBox(page) },
  {
    path: '/packages?q=health',
    action: 'the skip link to the results',
    target: (page: Page) => page.getByRole('link', { name: 'Skip to results' }),
  },
  {
    path: `/packages/${EAST_AFRICA_TELEMEDICINE.slug}`,
    action: 'Request an introduction',
    target: (page: Page) => page.getByRole('link', { name: 'Request an introduction', exact: true }),
  },
  { path: '/account/sign-in', action: 'the email field', target: (page: Page) => page.getByLabel('Email') },
];
// The search page's path: the breadcrumb, "Save this search", the box, its button, the skip link.
const MAX_PRESSES = 7;

/** Key presses to the target through the skip link to the main content. */
async function pressesTo(page: Page, target: Locator): Promise<number> {
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
  await page.keyboard.press('Enter');
  return 2 + (await tabsTo(page, target));
}

async function tabsTo(page: Page, target: Locator): Promise<number> {
  const handle = await target.elementHandle();
  for (let presses = 1; presses <= 40; presses++) {
    await page.keyboard.press('Tab');
    if (await handle!.evaluate((element) => element === document.activeElement)) return presses;
  }
  return Infinity;
}

for (const viewport of [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
]) {
  test.describe(`by keyboard at ${viewport.width} px`, () => {
    test.use({ viewport });
    for (const { path, action, target } of MAIN_ACTIONS) {
      test(`${path}: ${action} within ${MAX_PRESSES} key presses`, async ({ page }) => {
        await page.goto(path);
        const presses = await pressesTo(page, target(page));
        expect(presses, `key presses from the top to ${action}`).toBeLessThanOrEqual(MAX_PRESSES);
      });
    }
    test('the skip link to the results leads past the filters: the sort order, then the first result', async ({ page }) => {
      await page.goto('/packages?q=health');
      await pressesTo(page, page.getByRole('link', { name: 'Skip to results' }));
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      await expect(page.getByLabel('Sort by')).toBeFocused();
      const first = page.getByRole('region', { name: 'Search results' }).getByRole('link').first();
      expect(await tabsTo(page, first), 'Tab presses from the sort order to the first result').toBeLessThanOrEqual(2);
    });
  });
}
