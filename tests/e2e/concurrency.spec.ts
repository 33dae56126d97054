import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEMO_EMAIL } from './auth-support.ts';
import { expectNoAxeViolations } from './support.ts';
import { signIn } from './workflow-support.ts';
import { newClientIp } from './auth-support.ts';

// Two sessions edit the same proposal section: the first saves, the second saves from its
// stale form. The second gets the conflict view (409) with what is saved now beside its own
// text, which stays in the form; saving again is a deliberate choice. With JavaScript on, the
// background save says so in its live region first, without touching the text.

const CONFLICT_HEADING = 'Someone else saved this after you opened it';

async function session(browser: Browser, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled, extraHTTPHeaders: { 'x-forwarded-for': newClientIp() } });
  const page = await context.newPage();
  await signIn(page, DEMO_EMAIL.supplier);
  return page;
}

for (const javaScriptEnabled of [true, false]) {
  test(`a stale save of a proposal section is refused and keeps the text (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({
    browser,
  }, testInfo) => {
    // Two sign-ins and a dozen page loads; a loaded machine is slow.
    test.setTimeout(180_000);
    const first = await session(browser, javaScriptEnabled);
    const second = await session(browser, javaScriptEnabled);
    const run = `${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now().toString(36)}`;

    // The first session starts a proposal; both open its overview.
    await first.goto('/proposals/new');
    await first.getByLabel('Consortium').selectOption({ index: 1 });
    await first.getByRole('button', { name: 'Start the proposal' }).click();
    await expect(first).toHaveURL(/\/proposals\/[0-9a-f-]{36}\/edit\/overview$/);
    const overview = new URL(first.url()).pathname;
    await second.goto(overview);

    // The first one saves.
    await first.getByLabel('Title', { exact: true }).fill(`Saved first ${run}`);
    await first.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(first.getByText('Saved.', { exact: true })).toBeVisible();

    // The second one types into its stale form.
    const title = second.getByLabel('Title', { exact: true });
    await title.fill(`Typed second ${run}`);
    if (javaScriptEnabled) {
      // The background save is refused: a polite message, and the text stays as typed.
      await expect(second.locator('.aix-autosave__status')).toHaveText(/someone else saved this section meanwhile/);
      await expect(title).toHaveValue(`Typed second ${run}`);
    }
    const response = second.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === overview);
    await second.getByRole('button', { name: 'Save', exact: true }).click();
    expect((await response).status()).toBe(409);

    // The conflict view: who saved, what is saved now beside what was typed; the text is kept.
    const conflict = second.getByRole('region', { name: CONFLICT_HEADING });
    await expect(conflict).toBeVisible();
    await expect(conflict).toContainText('Saved by Sam Supplier');
    const row = conflict.getByRole('row', { name: /Title/ });
    await expect(row).toContainText(`Saved first ${run}`);
    await expect(row).toContainText(`Typed second ${run}`);
    await expect(second.getByRole('alert')).toContainText('your changes were not saved');
    await expect(title).toHaveValue(`Typed second ${run}`);
    // The markup is the same either way; axe runs once.
    if (javaScriptEnabled) await expectNoAxeViolations(second, testInfo, `conflict-${run}`);

    // Saving again replaces the first save, deliberately.
    await second.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(second.getByText('Saved.', { exact: true })).toBeVisible();
    await first.reload();
    await expect(first.getByLabel('Title', { exact: true })).toHaveValue(`Typed second ${run}`);

    await first.context().close();
    await second.context().close();
  });
}
