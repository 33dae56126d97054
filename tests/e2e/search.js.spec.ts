import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  DESIGNATED_TOTAL,
  EAST_AFRICA_TELEMEDICINE,
  facet,
  resultCount,
  resultLinks,
  searchBox,
  toggleFacet,
} from './support.ts';

// Search-as-you-type (<aix-search>) and keyboard use, with JavaScript on.

/** Counts full-page loads from now on (a pushState is not one). */
function countLoads(page: Page) {
  let loads = 0;
  page.on('load', () => loads++);
  return () => loads;
}

test.describe('search as you type', () => {
  test('typing updates the results, the heading, the address bar and the live region without a page load', async ({ page }) => {
    await page.goto('/packages');
    await expect(resultCount(page)).toHaveText(`${DESIGNATED_TOTAL} packages found`);
    const loads = countLoads(page);

    await searchBox(page).pressSequentially('telemedcine', { delay: 20 });

    await expect(page).toHaveURL(/\/packages\?q=telemedcine$/);
    await expect(resultCount(page)).toHaveText('3 packages found');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Packages matching “telemedcine”');
    await expect(page).toHaveTitle(/^Packages matching “telemedcine”/);
    await expect(page.getByRole('status')).toHaveText('3 packages found');
    await expect(resultLinks(page).first().locator('mark')).toHaveText(/^telemedicin/i);
    await expect(page.locator('#results')).not.toHaveAttribute('aria-busy', 'true');
    // Focus stays in the search box, and no page was loaded.
    await expect(searchBox(page)).toBeFocused();
    await expect(searchBox(page)).toHaveValue('telemedcine');
    expect(loads()).toBe(0);
  });

  test('ticking a filter updates the results and the URL without pressing a button, and keeps focus on the checkbox', async ({
    page,
  }) => {
    await page.goto('/packages');
    const loads = countLoads(page);
    await toggleFacet(page, 'Sector', 'Healthcare');
    await expect(page).toHaveURL(/\/packages\?sector=healthcare$/);
    await expect(resultCount(page)).toHaveText('3 packages found');
    await expect(page.getByRole('status')).toHaveText('3 packages found');
    await expect(facet(page, 'Sector', 'Healthcare')).toBeChecked();
    await expect(facet(page, 'Sector', 'Healthcare')).toBeFocused();
    expect(loads()).toBe(0);

    // Changing the sort also searches by itself.
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('newest');
    await expect(page).toHaveURL(/\/packages\?sector=healthcare&sort=newest$/);
    await expect(resultCount(page)).toHaveText('3 packages found');
    expect(loads()).toBe(0);
  });

  test('the back button restores the previous results, and forward the next ones', async ({ page }) => {
    await page.goto('/packages');
    await searchBox(page).pressSequentially('telemedcine', { delay: 20 });
    await expect(page).toHaveURL(/\?q=telemedcine$/);
    await expect(resultCount(page)).toHaveText('3 packages found');

    await searchBox(page).fill('gpu');
    await expect(page).toHaveURL(/\?q=gpu$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Packages matching “gpu”');
    const gpuCount = await resultCount(page).innerText();
    expect(gpuCount).not.toBe('3 packages found');

    await page.goBack();
    await expect(page).toHaveURL(/\?q=telemedcine$/);
    await expect(resultCount(page)).toHaveText('3 packages found');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Packages matching “telemedcine”');
    await expect(resultLinks(page)).toHaveCount(3);
    await expect(page.getByRole('link', { name: EAST_AFRICA_TELEMEDICINE.title, exact: true })).toBeVisible();

    await page.goBack();
    await expect(page).toHaveURL(/\/packages$/);
    await expect(resultCount(page)).toHaveText(`${DESIGNATED_TOTAL} packages found`);

    await page.goForward();
    await expect(page).toHaveURL(/\?q=telemedcine$/);
    await expect(resultCount(page)).toHaveText('3 packages found');
  });

  // Going back restores the earlier search's words in the search box too, even while the box has
  // focus (AixSearch.swap() leaves a focused box alone while typing, not when restoring history).
  test('after the back button, the search box shows the words of the restored search', async ({ page }) => {
    await page.goto('/packages');
    await searchBox(page).pressSequentially('telemedcine', { delay: 20 });
    await expect(page).toHaveURL(/\?q=telemedcine$/);
    await searchBox(page).fill('gpu');
    await expect(page).toHaveURL(/\?q=gpu$/);
    await page.goBack();
    await expect(resultCount(page)).toHaveText('3 packages found');
    await expect(searchBox(page)).toHaveValue('telemedcine');
  });

  test('the back button after ticking a filter unticks it again', async ({ page }) => {
    await page.goto('/packages');
    await toggleFacet(page, 'Sector', 'Healthcare');
    await expect(page).toHaveURL(/\?sector=healthcare$/);
    await expect(resultCount(page)).toHaveText('3 packages found');
    await page.goBack();
    await expect(page).toHaveURL(/\/packages$/);
    await expect(resultCount(page)).toHaveText(`${DESIGNATED_TOTAL} packages found`);
    await expect(facet(page, 'Sector', 'Healthcare')).not.toBeChecked();
  });
});

test.describe('search as you type, edge cases', () => {
  // The error summary of an invalid search sits in `.js-errors`, one of the parts AixSearch.swap()
  // replaces, so the next, valid search takes it (and its role="alert") off the page.
  test('after an invalid search, a new valid search removes the error summary', async ({ page }) => {
    const response = await page.goto('/packages?sector=spaceflight');
    expect(response?.status()).toBe(400);
    await expect(page.getByRole('alert')).toContainText('Unknown sector: spaceflight.');
    await searchBox(page).pressSequentially('gpu', { delay: 20 });
    await expect(page).toHaveURL(/\/packages\?q=gpu$/);
    await expect(resultCount(page)).toHaveText(/^\d+ packages? found$/);
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  // Following an in-page link (the skip link, or an error summary link such as #q) fires
  // `popstate` with only the hash changed: AixSearch.onPopState must not fetch the page again,
  // swap the results or re-announce the count in the live region.
  test('following an in-page link (the skip link) does not search again', async ({ page }) => {
    await page.goto('/packages?q=gpu');
    await expect(resultCount(page)).toHaveText(/^\d+ packages? found$/);
    const searches: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/packages') searches.push(request.url());
    });
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('main')).toBeFocused();
    await expect(page).toHaveURL(/#main-content$/);
    // The popstate of the hash change has been handled once the page answers a script run after
    // it (tasks run in order): a search it started would have sent its request by then.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(searches).toEqual([]);
    await expect(page.getByRole('status')).toHaveText('');
  });
});

// <aix-search> sets `hidden` on the "Apply filters" button (ticking a filter already applies it),
// and `[hidden]` must win over USWDS's `.usa-button { display: inline-flex }` so the button is
// neither shown nor in the Tab order.
test('with JavaScript the "Apply filters" button is hidden, before and after a search', async ({ page }) => {
  await page.goto('/packages');
  await expect(page.getByRole('button', { name: 'Apply filters' })).toBeHidden();
  await toggleFacet(page, 'Sector', 'Healthcare');
  await expect(resultCount(page)).toHaveText('3 packages found');
  await expect(page.getByRole('button', { name: 'Apply filters' })).toBeHidden();
});

test.describe('keyboard only', () => {
  test('skip link, search, and opening a result with the keyboard alone', async ({ page }, testInfo) => {
    await page.goto('/');

    // The first Tab reaches the skip link, which becomes visible and moves focus to <main>.
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('main')).toBeFocused();
    expect(page.url()).toMatch(/#main-content$/);

    // From <main>, Tab reaches the search box.
    await tabUntil(page, searchBox(page), 5);
    await page.keyboard.type('telemedcine');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/packages\?q=telemedcine$/);
    await expect(resultCount(page)).toHaveText('3 packages found');

    // Tab on to the first result and open it with Enter.
    const first = resultLinks(page).first();
    const title = await first.innerText();
    const presses = await tabUntil(page, first, 300);
    testInfo.annotations.push({
      type: 'Tab presses from the top of the results page to the first result',
      description: String(presses),
    });
    await expect(first).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/packages\/[a-z0-9-]+$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  });

  test('the focus is visible on the search box, a checkbox and a result link', async ({ page }) => {
    await page.goto('/packages');
    for (const target of [searchBox(page), facet(page, 'Sector', 'Healthcare'), resultLinks(page).first()]) {
      // Reach it with the keyboard (what :focus-visible and USWDS's focus ring respond to).
      await target.focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      await expect(target).toBeFocused();
      const indicator = await target.evaluate((el) => {
        // USWDS moves the checkbox off screen and draws it, and its focus ring, with the label's ::before.
        const isCheckbox = el instanceof HTMLInputElement && el.type === 'checkbox';
        const style = isCheckbox ? getComputedStyle(el.labels![0]!, '::before') : getComputedStyle(el);
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      expect(indicator.style, `outline of the focused ${target}`).not.toBe('none');
      expect(indicator.width, `outline width of the focused ${target}`).toBeGreaterThanOrEqual(2);
    }
  });
});

/** Presses Tab until `target` has the focus, at most `max` times; returns how many presses it took. */
async function tabUntil(page: Page, target: Locator, max: number): Promise<number> {
  const handle = await target.elementHandle();
  const focused = () => handle!.evaluate((el) => el === document.activeElement);
  for (let presses = 0; presses <= max; presses++) {
    if (await focused()) return presses;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${target} did not get the focus within ${max} Tab presses`);
}
