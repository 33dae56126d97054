import { expect, test, type Page } from '@playwright/test';
import { DESIGNATED_TOTAL, EAST_AFRICA_TELEMEDICINE, facet, resultCount, resultLinks, searchBox } from './support.ts';

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
    await expect(page.getByRole('button', { name: 'Apply filters' })).toBeHidden();
    await facet(page, 'Sector', 'Healthcare').check();
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
    await searchBox(page).pressSequentially('telemedicine', { delay: 20 });
    await expect(page).toHaveURL(/\?q=telemedicine$/);
    await expect(resultCount(page)).toHaveText('3 packages found');

    await searchBox(page).fill('gpu');
    await expect(page).toHaveURL(/\?q=gpu$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Packages matching “gpu”');
    const gpuCount = await resultCount(page).innerText();
    expect(gpuCount).not.toBe('3 packages found');

    await page.goBack();
    await expect(page).toHaveURL(/\?q=telemedicine$/);
    await expect(resultCount(page)).toHaveText('3 packages found');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Packages matching “telemedicine”');
    await expect(resultLinks(page)).toHaveCount(3);
    await expect(page.getByRole('link', { name: EAST_AFRICA_TELEMEDICINE.title, exact: true })).toBeVisible();

    await page.goBack();
    await expect(page).toHaveURL(/\/packages$/);
    await expect(resultCount(page)).toHaveText(`${DESIGNATED_TOTAL} packages found`);

    await page.goForward();
    await expect(page).toHaveURL(/\?q=telemedicine$/);
    await expect(resultCount(page)).toHaveText('3 packages found');
  });

  test('after the back button, the search box shows the words of the restored search', async ({ page }) => {
    await page.goto('/packages');
    await searchBox(page).pressSequentially('telemedicine', { delay: 20 });
    await expect(page).toHaveURL(/\?q=telemedicine$/);
    await searchBox(page).fill('gpu');
    await expect(page).toHaveURL(/\?q=gpu$/);
    await page.goBack();
    await expect(resultCount(page)).toHaveText('3 packages found');
    await expect(searchBox(page)).toHaveValue('telemedicine');
  });

  test('the back button after ticking a filter unticks it again', async ({ page }) => {
    await page.goto('/packages');
    await facet(page, 'Sector', 'Healthcare').check();
    await expect(page).toHaveURL(/\?sector=healthcare$/);
    await expect(resultCount(page)).toHaveText('3 packages found');
    await page.goBack();
    await expect(page).toHaveURL(/\/packages$/);
    await expect(resultCount(page)).toHaveText(`${DESIGNATED_TOTAL} packages found`);
    await expect(facet(page, 'Sector', 'Healthcare')).not.toBeChecked();
  });
});

test.describe('keyboard only', () => {
  test('skip link, search, and opening a result with the keyboard alone', async ({ page }) => {
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
    await tabUntil(page, () => searchBox(page).evaluate((el) => el === document.activeElement), 5);
    await page.keyboard.type('telemedicine');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/packages\?q=telemedicine$/);
    await expect(resultCount(page)).toHaveText('3 packages found');

    // Tab on to the first result and open it with Enter.
    const first = resultLinks(page).first();
    const title = await first.innerText();
    await tabUntil(page, () => first.evaluate((el) => el === document.activeElement), 300);
    await expect(first).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/packages\/[a-z0-9-]+$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  });

  test('the focus is visible on links, the search box and checkboxes', async ({ page }) => {
    await page.goto('/packages');
    for (const target of [searchBox(page), facet(page, 'Sector', 'Healthcare'), resultLinks(page).first()]) {
      await tabUntil(page, () => target.evaluate((el) => el === document.activeElement), 300);
      const outline = await target.evaluate((el) => {
        // Checkboxes are visually hidden; USWDS draws the focus ring on the label's ::before.
        const shown = el instanceof HTMLInputElement && el.type === 'checkbox' ? (el.labels?.[0] ?? el) : el;
        const style = getComputedStyle(shown, shown === el ? null : '::before');
        const own = getComputedStyle(el);
        return {
          outline: own.outlineStyle !== 'none' && parseFloat(own.outlineWidth) > 0,
          shadow: style.boxShadow !== 'none' || own.boxShadow !== 'none',
        };
      });
      expect(outline.outline || outline.shadow, `focus indicator on ${target}`).toBe(true);
    }
  });
});

/** Presses Tab until `done()` holds, at most `max` times. */
async function tabUntil(page: Page, done: () => Promise<boolean>, max: number) {
  for (let i = 0; i < max; i++) {
    if (await done()) return;
    await page.keyboard.press('Tab');
  }
  expect(await done(), `reached the target within ${max} Tab presses`).toBe(true);
}
