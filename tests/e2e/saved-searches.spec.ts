import { expect, request, test, type Page } from '@playwright/test';
import { createUser, newClientIp, siteUrl } from './auth-support.ts';
import { readMail, waitForMail, type StoredMail } from './mail.ts';
import { expectNoAxeViolations, searchBox } from './support.ts';
import { actor, DEMO_EMAIL, signInStaff } from './workflow-support.ts';

// Saved searches with email alerts, end to end (issue 12): a buyer saves a search from the
// search page, a reviewer designates a package that matches (the demo catalog's suspended
// package, reinstated), the alerts job (every ALERTS_INTERVAL_SECONDS, 2 s in the tests) mails
// it, and the mail's link stops the alerts without signing in: its page asks first (a GET
// changes nothing), and a mail client's one-click POST works too. Once with JavaScript on, once
// off. It changes the catalog, so it runs in the "workflow" phase (tests/playwright.config.ts).

const TITLE = 'Andean Mining Autonomy and Ore Logistics AI';
const SLUG = 'andean-mining-autonomy-and-ore-logistics-ai';
const QUERY = 'andean ore logistics';

function notice(page: Page) {
  return page.getByRole('main').getByRole('status').and(page.locator('.usa-alert'));
}

async function openPackageProposal(r: Page): Promise<void> {
  await r.goto('/review');
  await r.getByRole('link', { name: TITLE }).click();
  await expect(r.getByRole('heading', { level: 1 })).toHaveText(TITLE);
}

async function decide(r: Page, move: 'Suspend' | 'Reinstate', reason: string): Promise<void> {
  await r.getByLabel('Reason (internal)').fill(reason);
  await r.getByLabel('Feedback for the consortium').fill(reason);
  await r.getByRole('button', { name: move, exact: true }).click();
  await expect(notice(r)).toHaveText(`Done: the proposal is now ${move === 'Suspend' ? 'Suspended' : 'Designated'}.`);
}

/** A control's name: its words, then (for screen readers) the saved search it acts on. */
function forThis(words: string, name: string): RegExp {
  return new RegExp(`^${words}\\s*: ${name}$`);
}

function unsubscribeLink(mail: StoredMail): string {
  const url = /https?:\/\/\S+\/alerts\/unsubscribe\?\S+/.exec(mail.text)?.[0];
  if (!url) throw new Error(`No unsubscribe link in:\n${mail.text}`);
  return url;
}

test('a buyer saves a search, a matching package is designated, the alert arrives and its link unsubscribes', async ({
  browser,
}, testInfo) => {
  // A fresh account, a staff sign-in, two catalog decisions and five axe scans on the way.
  test.setTimeout(240_000);
  const js = testInfo.project.use.javaScriptEnabled !== false;
  // axe runs inside the page, which a context without JavaScript cannot do: the run with
  // JavaScript scans these pages (their markup is the same either way).
  const scan = (page: Page, label: string) => (js ? expectNoAxeViolations(page, testInfo, label) : Promise.resolve());
  const name = `Andean mining ${js ? 'with' : 'without'} JavaScript`;
  const user = await createUser('buyer', js ? 'alerts-js' : 'alerts-nojs');
  const buyer = await actor(browser);
  const reviewer = await actor(browser);
  const b = buyer.page;
  const r = reviewer.page;

  await test.step('the package is not offered now (suspended)', async () => {
    await signInStaff(r, DEMO_EMAIL.reviewer);
    await openPackageProposal(r);
    // The run with JavaScript on reinstated it; the run without suspends it again first.
    if ((await r.getByRole('button', { name: 'Suspend', exact: true }).count()) > 0) {
      await decide(r, 'Suspend', 'Suspended again for the saved-search test.');
    }
    await expect(r.getByRole('button', { name: 'Reinstate', exact: true })).toBeVisible();
  });

  await test.step('signed out, the search page offers to sign in and come back to the search', async () => {
    await b.goto(`/packages?q=${encodeURIComponent(QUERY)}`);
    const signIn = b.getByRole('link', { name: 'Sign in to save this search' });
    await expect(signIn).toHaveAttribute(
      'href',
      `/account/sign-in?next=${encodeURIComponent(`/packages?q=${QUERY.replaceAll(' ', '+')}`)}`,
    );
    await signIn.click();
    await b.getByLabel('Email address').fill(user.email);
    await b.getByLabel('Password', { exact: true }).fill(user.password);
    await b.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(b).toHaveURL(/\/packages\?q=andean\+ore\+logistics$/);
  });

  await test.step('the buyer saves the search from the search page', async () => {
    if (js) {
      // The results change in place as the buyer types; the search saved follows them.
      await b.goto('/packages');
      await searchBox(b).pressSequentially(QUERY, { delay: 20 });
      await expect(b).toHaveURL(/[?&]q=andean(\+|%20)ore(\+|%20)logistics(&|$)/);
      await expect(b.locator('#results')).not.toHaveAttribute('aria-busy', 'true');
    }
    await b.getByText('Save this search and get email alerts').click();
    await b.getByLabel('Name of this search').fill(name);
    await b.getByLabel('Email me').selectOption({ label: 'As soon as a package matches' });
    await scan(b, 'search page with the save form');
    await b.getByRole('button', { name: 'Save this search' }).click();
    await expect(b).toHaveURL(/\/buyer\/searches\?done=saved#search-/);
    await expect(notice(b)).toContainText('Search saved.');
    const item = b.getByRole('listitem').filter({ has: b.getByRole('heading', { name }) });
    await expect(item.getByText('“andean ore logistics”')).toBeVisible();
    await expect(item.getByRole('link', { name: forThis('Atom feed', name) })).toHaveAttribute(
      'href',
      '/packages.atom?q=andean+ore+logistics',
    );
    await expect(item.getByRole('link', { name: forThis('Show the results', name) })).toHaveAttribute(
      'href',
      '/packages?q=andean+ore+logistics',
    );
    await scan(b, 'saved searches');
    // The buyer's dashboard links here.
    await b.goto('/buyer');
    await b.getByRole('link', { name: 'Saved searches and email alerts' }).click();
    await expect(b.getByRole('heading', { level: 1 })).toHaveText('Saved searches');
  });

  const before = readMail().length;
  await test.step('a reviewer reinstates the package: the alert arrives, once', async () => {
    await openPackageProposal(r);
    await decide(r, 'Reinstate', 'Compliance review closed.');
    const mail = await waitForMail(user.email, `New package for “${name}”`, { after: before, timeout: 30_000 });
    expect(mail.subject).toBe(`New package for “${name}”: ${TITLE}`);
    expect(mail.text).toContain(`${siteUrl()}/packages/${SLUG}`);
    const headers = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
    expect(headers).toContain(`List-Unsubscribe: <${unsubscribeLink(mail)}>`);
    expect(headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    // A few more runs of the job: no second mail.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(
      readMail()
        .slice(before)
        .filter((m) => m.to.includes(user.email.toLowerCase())),
    ).toHaveLength(1);
  });

  await test.step('the link asks before it unsubscribes, without signing in; a changed link is refused', async () => {
    const mail = await waitForMail(user.email, `New package for “${name}”`, { after: before });
    const link = unsubscribeLink(mail);
    const visitor = await actor(browser);
    const v = visitor.page;
    const forged = await v.goto(link.replace(/t=./, (m) => (m === 't=A' ? 't=B' : 't=A')));
    expect(forged?.status()).toBe(400);
    await expect(v.getByRole('alert')).toContainText('This link is not valid');

    await v.goto(link);
    await expect(v.getByRole('heading', { level: 1 })).toHaveText('Stop alert emails');
    await expect(v.getByText(`Stop the emails of the saved search “${name}”?`)).toBeVisible();
    await scan(v, 'unsubscribe');
    // Opening the link changed nothing.
    await b.goto('/buyer/searches');
    await expect(b.getByLabel('Email', { exact: true })).toHaveValue('immediate');

    await v.getByRole('button', { name: 'Stop these emails' }).click();
    await expect(notice(v)).toHaveText(`You will get no more emails for “${name}”.`);
    await scan(v, 'unsubscribed');
    await b.goto('/buyer/searches');
    await expect(b.getByLabel('Email', { exact: true })).toHaveValue('off');
    await visitor.context.close();
  });

  await test.step('the buyer turns the mail on again; a mail client’s one-click POST turns it off', async () => {
    await b.getByLabel('Email', { exact: true }).selectOption('immediate');
    await b.getByRole('button', { name: forThis('Save changes', name) }).click();
    await expect(notice(b)).toHaveText('Changes saved.');
    await expect(b.getByLabel('Email', { exact: true })).toHaveValue('immediate');

    const mail = await waitForMail(user.email, `New package for “${name}”`, { after: before });
    // As a mail provider's server posts it (RFC 8058): no Origin, no cookie.
    const provider = await request.newContext({ extraHTTPHeaders: { 'x-forwarded-for': newClientIp() } });
    try {
      const response = await provider.post(unsubscribeLink(mail), {
        form: { 'List-Unsubscribe': 'One-Click' },
        maxRedirects: 0,
      });
      expect(response.status()).toBe(303);
    } finally {
      await provider.dispose();
    }
    await b.reload();
    await expect(b.getByLabel('Email', { exact: true })).toHaveValue('off');
  });

  await test.step('the buyer deletes the saved search', async () => {
    await b.getByRole('button', { name: forThis('Delete', name) }).click();
    await expect(notice(b)).toHaveText('Saved search deleted.');
    await expect(b.getByRole('heading', { name })).toHaveCount(0);
  });

  await buyer.context.close();
  await reviewer.context.close();
});
