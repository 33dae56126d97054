import type { APIRequestContext, Page, TestInfo } from '@playwright/test';
import { DEMO_EMAIL, apiContext, createUser, expect, redirectTarget, signedInApi, test, type FreshUser } from './auth-support.ts';
import {
  browserAs,
  ensureScreened,
  makeMove,
  officerOutsideTerritory,
  sendMessage,
  signUpBuyer,
  submitForm,
  threadMessages,
} from './introductions-support.ts';
import { readMail, waitForMail } from './mail.ts';
import { EAST_AFRICA_TELEMEDICINE, expectNoAxeViolations } from './support.ts';

// Vetting foreign buyers and brokering introductions (issue 5), in the browser: a new buyer is
// screened and verified by the officer of its territory, requests an introduction, the officer
// brokers it, the consortium's anchor (the demo supplier) accepts, messages flow, and it is
// closed with an outcome; a buyer named like a list entry is held for the officer; nobody
// outside the introduction sees it; axe-core on every page of the flow.
//
// The pages are plain forms: both projects run this, with JavaScript on and off (axe-core runs
// inside the page, so the scans are left to the project with JavaScript on).

const jsOn = (testInfo: TestInfo) => testInfo.project.use.javaScriptEnabled !== false;

const PACKAGE = EAST_AFRICA_TELEMEDICINE;

/** Asks for verification on /buyer/verification, as the signed-in buyer of `page`. */
async function askForVerification(page: Page, alternateNames: string): Promise<void> {
  await page.goto('/buyer/verification');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Buyer verification');
  await expect(page.getByText('Your organization has not asked to be verified yet.')).toBeVisible();
  await page.getByLabel('Alternate names (optional)').fill(alternateNames);
  await page.getByLabel('Intended end use', { exact: true }).fill('Telemedicine triage for county referral hospitals in Kenya.');
  await page.getByLabel('End users', { exact: true }).fill('Our ministry and 12 county hospitals (named in the annex).');
  expect(await submitForm(page, page.getByRole('button', { name: 'Send the request', exact: true }))).toBe(303);
  await expect(page).toHaveURL(/done=requested/);
  await expect(page.getByRole('status')).toContainText('Your request was sent to the commercial service officers');
}

/** The officer's vetting queue row of an organization, and its request page opened from it. */
async function openVettingRequest(page: Page, organization: string): Promise<string> {
  await page.goto('/officer/vetting');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vetting queue');
  const row = page.getByRole('row', { name: new RegExp(organization) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Waiting for an officer');
  await row.getByRole('link', { name: organization }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(organization);
  const path = new URL(page.url()).pathname;
  await ensureScreened(page);
  await expect(page).toHaveURL(new RegExp(`${path}(\\?|$)`));
  return path;
}

test.describe.serial('a buyer is vetted, then an introduction is brokered to its outcome', () => {
  let buyer: FreshUser;
  let buyerApi: APIRequestContext;
  let officerApi: APIRequestContext;
  let supplierApi: APIRequestContext;
  let vettingPath: string;
  let introPath: string;

  test.beforeAll(async () => {
    [buyer, officerApi, supplierApi] = await Promise.all([
      signUpBuyer(`Mombasa County Health Department ${Date.now().toString(36)}`),
      signedInApi(DEMO_EMAIL.officer),
      signedInApi(DEMO_EMAIL.supplier),
    ]);
    buyerApi = await signedInApi(buyer.email, buyer.password);
  });

  test.afterAll(async () => {
    await Promise.all([buyerApi, officerApi, supplierApi].map((api) => api?.dispose()));
  });

  test('the new buyer asks for verification; the officer sees the screening evidence and verifies it', async ({ browser }) => {
    const buyerContext = await browserAs(browser, buyerApi);
    const officerContext = await browserAs(browser, officerApi);
    const buyerPage = await buyerContext.newPage();
    const officerPage = await officerContext.newPage();

    // Not verified yet: the package page says how to get there.
    await buyerPage.goto(`/packages/${PACKAGE.slug}`);
    const box = buyerPage.getByRole('region', { name: 'Request an introduction' });
    await expect(box).toContainText('must be verified by a commercial service officer');
    await expect(box.getByRole('link', { name: 'Get your organization verified' })).toHaveAttribute(
      'href',
      '/buyer/verification',
    );

    await askForVerification(buyerPage, 'MCHD\nMombasa Health');
    await expect(buyerPage.getByText('Waiting for an officer.')).toBeVisible();

    vettingPath = await openVettingRequest(officerPage, buyer.organization);
    // The evidence: the names screened, the list file with its dates, the source lists.
    await expect(officerPage.getByText('State: Waiting for an officer')).toBeVisible();
    const screening = officerPage.locator('section', {
      has: officerPage.getByRole('heading', { name: 'Restricted-party screening' }),
    });
    await expect(screening).toContainText(/Screened on \w+ \d+, \d{4} against .+ \(imported \w+ \d+, \d{4}, \d+ entries\)/);
    await expect(screening).toContainText('MCHD');
    await expect(screening).toContainText('Mombasa Health');
    const sources = officerPage.getByRole('table', { name: 'Source lists used' });
    await expect(sources.getByRole('rowheader', { name: /Entity List \(EL\)/ })).toBeVisible();
    await expect(sources.getByRole('rowheader', { name: /Specially Designated Nationals/ })).toBeVisible();
    await expect(sources.getByRole('row', { name: /Entity List \(EL\)/ })).toContainText(/2026-03-02/);
    await expect(screening).toContainText('No list entry');

    // A decision needs a reason.
    const reasonBox = officerPage.getByLabel('Reason', { exact: true });
    expect(await submitForm(officerPage, officerPage.getByRole('button', { name: 'Verify', exact: true }))).toBe(400);
    await reasonBox.fill('No list match; ministry confirmed by the embassy in Nairobi.');
    expect(await submitForm(officerPage, officerPage.getByRole('button', { name: 'Verify', exact: true }))).toBe(303);
    await expect(officerPage.getByRole('status')).toContainText('Recorded: Verify.');
    await expect(officerPage.getByText('State: Verified')).toBeVisible();
    await expect(officerPage.getByRole('heading', { name: 'History' }).locator('..')).toContainText(
      'No list match; ministry confirmed by the embassy in Nairobi.',
    );

    // The buyer sees "verified" until a date about 12 months away.
    await buyerPage.goto('/buyer/verification');
    const status = buyerPage.locator('section', { has: buyerPage.getByRole('heading', { name: 'Status' }) });
    await expect(status).toContainText('Verified.');
    const expiry = /Your organization is verified until (\w+ \d+, \d{4})\./.exec(await status.innerText())?.[1];
    expect(expiry, 'the expiry date shown').toBeTruthy();
    const days = (Date.parse(`${expiry} UTC`) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(360);
    expect(days).toBeLessThan(370);
    await buyerPage.goto('/buyer');
    await expect(
      buyerPage.getByText(`Your organization is verified until ${expiry}: it can request introductions.`),
    ).toBeVisible();

    await buyerContext.close();
    await officerContext.close();
  });

  test('the buyer requests an introduction; the officer brokers it; the consortium accepts; messages flow; it closes with a deal', async ({
    browser,
  }) => {
    const buyerContext = await browserAs(browser, buyerApi);
    const officerContext = await browserAs(browser, officerApi);
    const supplierContext = await browserAs(browser, supplierApi);
    const buyerPage = await buyerContext.newPage();
    const officerPage = await officerContext.newPage();
    const supplierPage = await supplierContext.newPage();

    // The request, from the package page.
    await buyerPage.goto(`/packages/${PACKAGE.slug}`);
    const box = buyerPage.getByRole('region', { name: 'Request an introduction' });
    await box
      .getByLabel('What you need', { exact: true })
      .fill('Swahili clinical triage and telemedicine for 12 county hospitals.');
    await box.getByLabel('Timeline', { exact: true }).fill('Pilot within 6 months, full deployment in 2 years.');
    await box.getByLabel('Budget band (U.S. dollars)').selectOption('10m-50m');
    await box.getByLabel('Preferred deployment model').selectOption('in-country-sovereign');
    await box.locator('label[for="financingInterest-yes"]').click();
    await box.getByLabel('Who should take part (optional)').fill('Dr. Achieng (CIO), two county health directors.');
    expect(await submitForm(buyerPage, box.getByRole('button', { name: 'Send the request', exact: true }))).toBe(303);
    await expect(buyerPage).toHaveURL(/\/introductions\/[^/?]+\?done=requested$/);
    introPath = new URL(buyerPage.url()).pathname;
    await expect(buyerPage.getByRole('heading', { level: 1 })).toHaveText(`Introduction: ${PACKAGE.title}`);
    await expect(buyerPage.locator('.usa-intro')).toHaveText('Requested');
    const facts = buyerPage.locator('dl.aix-facts');
    await expect(facts).toContainText('Pilot within 6 months');
    await expect(facts).toContainText('In-country sovereign deployment');
    await expect(facts).toContainText('Dr. Achieng (CIO)');

    // The officer of the territory: in the queue, takes it, brokers it with a brief.
    await officerPage.goto('/officer/introductions');
    const row = officerPage.getByRole('row', { name: new RegExp(buyer.organization) });
    await expect(row).toContainText('Requested');
    await row.getByRole('link', { name: PACKAGE.title }).click();
    await expect(officerPage).toHaveURL(new RegExp(`${introPath}$`));
    await makeMove(officerPage, 'Take this request', 'take');
    await expect(officerPage.locator('.usa-intro')).toHaveText('Taken by an officer');
    const brief = 'Verified Kenyan ministry; 12 county hospitals; EXIM financing interest. Please propose a meeting.';
    await makeMove(officerPage, 'Broker the introduction', 'broker', brief);
    await expect(officerPage.locator('.usa-intro')).toHaveText('Brokered to the consortium');

    // The anchor's owner sees it under /introductions, with the brief, and accepts.
    await supplierPage.goto('/introductions');
    await supplierPage
      .getByRole('row', { name: new RegExp(buyer.organization) })
      .getByRole('link', { name: PACKAGE.title })
      .click();
    await expect(supplierPage).toHaveURL(new RegExp(`${introPath}$`));
    await expect(supplierPage.locator('dl.aix-facts')).toContainText(brief);
    const meeting = 'Video call on March 3, 15:00 EAT; our CTO and clinical lead attend.';
    await makeMove(supplierPage, 'Accept and propose a meeting', 'accept', meeting);
    await expect(supplierPage.locator('.usa-intro')).toHaveText('Accepted: meeting proposed');

    // The buyer sees the proposal, but not the officer's brief; writes in the thread.
    await buyerPage.goto(introPath);
    await expect(buyerPage.locator('dl.aix-facts')).toContainText(meeting);
    await expect(buyerPage.locator('body')).not.toContainText(brief);
    const question = 'March 3 suits us. Could you bring a Swahili triage demo?';
    await sendMessage(buyerPage, question);
    await expect(threadMessages(buyerPage)).toHaveCount(1);

    // The officer and the consortium see it; the consortium replies; the buyer sees the reply.
    await officerPage.goto(introPath);
    await expect(threadMessages(officerPage).filter({ hasText: question })).toContainText('(buyer)');
    await supplierPage.goto(introPath);
    await expect(threadMessages(supplierPage).filter({ hasText: question })).toHaveCount(1);
    const reply = 'Yes: a live demo in Swahili with your triage protocols.';
    await sendMessage(supplierPage, reply);
    await buyerPage.goto(introPath);
    await expect(threadMessages(buyerPage)).toHaveCount(2);
    await expect(threadMessages(buyerPage).filter({ hasText: reply })).toContainText('(consortium)');
    await officerPage.goto(introPath);
    await expect(threadMessages(officerPage)).toHaveCount(2);

    // The officer marks the meeting held and closes it: deal signed.
    await makeMove(officerPage, 'Mark the meeting as held', 'hold-meeting', 'Met on March 3 by video.');
    await expect(officerPage.locator('.usa-intro')).toHaveText('Meeting held');
    const mailBefore = readMail().length;
    await makeMove(officerPage, 'Close with an outcome', 'close', 'Pilot contract signed for 3 hospitals.', 'deal-signed');
    await expect(officerPage.locator('.usa-intro')).toHaveText('Closed · Deal signed');
    await expect(officerPage.locator('#moves')).toContainText('Nothing is waiting on you.');
    await expect(officerPage.locator('#moves form')).toHaveCount(0);

    // The buyer's dashboard shows the outcome; the buyer was told by email.
    await buyerPage.goto('/buyer');
    const requestRow = buyerPage
      .getByRole('table', { name: 'Your requests' })
      .getByRole('row', { name: new RegExp(PACKAGE.title) });
    await expect(requestRow).toContainText('Closed');
    await expect(requestRow).toContainText('Deal signed');
    await waitForMail(buyer.email, /./, { after: mailBefore });

    await Promise.all([buyerContext.close(), officerContext.close(), supplierContext.close()]);
  });

  test('nobody outside the introduction sees it: other buyers, anonymous visitors, other officers, other consortia', async () => {
    expect(introPath, 'the introduction of the previous test').toBeTruthy();
    const [otherBuyer, otherSupplier, outsider] = await Promise.all([
      createUser('buyer', 'obuyer'),
      createUser('supplier', 'osupplier'),
      createUser('buyer', 'oofficer'),
    ]);
    const anonymous = await apiContext();
    const contexts: APIRequestContext[] = [anonymous];
    try {
      const anon = await anonymous.get(introPath, { maxRedirects: 0 });
      if (anon.status() !== 404) expect(redirectTarget(anon), `anonymous GET ${introPath}`).toMatch(/^\/account\/sign-in/);

      const [buyerApi2, supplierApi2, officerApi2] = await Promise.all([
        signedInApi(otherBuyer.email, otherBuyer.password),
        signedInApi(otherSupplier.email, otherSupplier.password),
        officerOutsideTerritory(outsider.email),
      ]);
      contexts.push(buyerApi2, supplierApi2, officerApi2);
      for (const [who, api] of [
        ['another buyer', buyerApi2],
        ['another supplier', supplierApi2],
        ['an officer outside the territory', officerApi2],
      ] as const) {
        const page = await api.get(introPath, { maxRedirects: 0 });
        expect(page.status(), `${who}: GET ${introPath}`).toBe(404);
        const message = await api.post(introPath, { form: { intent: 'message', body: 'Let me in' }, maxRedirects: 0 });
        expect(message.status(), `${who}: POST a message`).toBe(404);
        const list = await api.get('/introductions');
        expect(list.status()).toBe(200);
        expect(await list.text(), `${who}: /introductions lists nothing of it`).not.toContain(introPath);
      }
      const queue = await officerApi2.get('/officer/introductions');
      expect(queue.status()).toBe(200);
      expect(await queue.text()).not.toContain(introPath);
      const vetting = await officerApi2.get(vettingPath, { maxRedirects: 0 });
      expect(vetting.status(), 'the vetting request, for an officer outside the territory').toBe(404);
    } finally {
      await Promise.all(contexts.map((c) => c.dispose()));
    }
  });

  test('axe: verification, vetting queue and request, introduction and dashboards', async ({ browser }, testInfo) => {
    test.skip(!jsOn(testInfo), 'axe-core runs in the page: the chromium project scans these pages');
    expect(introPath, 'the introduction of the earlier test').toBeTruthy();
    const pages: [APIRequestContext, string][] = [
      [buyerApi, '/buyer/verification'],
      [buyerApi, '/buyer'],
      [buyerApi, introPath],
      [officerApi, '/officer/vetting'],
      [officerApi, vettingPath],
      [officerApi, '/officer'],
      [officerApi, '/officer/introductions'],
      [officerApi, introPath],
      [supplierApi, '/introductions'],
      [supplierApi, introPath],
    ];
    for (const [api, path] of pages) {
      const context = await browserAs(browser, api);
      const page = await context.newPage();
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      await expectNoAxeViolations(page, testInfo, path);
      await context.close();
    }
  });
});

test('a buyer named like a list entry is held for the officer, who sees the candidate with its list and score', async ({
  browser,
}, testInfo) => {
  const [buyer, officerApi] = await Promise.all([
    signUpBuyer('Nairobi Digital Health Agency', 'ndha'),
    signedInApi(DEMO_EMAIL.officer),
  ]);
  const buyerApi = await signedInApi(buyer.email, buyer.password);
  const buyerContext = await browserAs(browser, buyerApi);
  const officerContext = await browserAs(browser, officerApi);
  try {
    const buyerPage = await buyerContext.newPage();
    await askForVerification(buyerPage, '');
    await expect(buyerPage.getByText('Waiting for an officer.')).toBeVisible();

    const officerPage = await officerContext.newPage();
    // The queue row of this very request (another run of the test may have made one by the same name).
    await officerPage.goto('/officer/vetting');
    const rows = officerPage.getByRole('row', { name: /Nairobi Digital Health Agency/ });
    await expect(rows.first()).toContainText('Waiting for an officer');
    await rows.first().getByRole('link').click();
    await ensureScreened(officerPage);
    await expect(officerPage.getByText('State: Waiting for an officer')).toBeVisible();
    const candidate = officerPage.getByRole('article', { name: /Nairobi Digitel Health Agency Ltd/ });
    await expect(candidate).toBeVisible();
    await expect(candidate.locator('dt', { hasText: 'Source list' }).locator('+ dd')).toHaveText(
      'Unverified List (UVL) - Bureau of Industry and Security',
    );
    await expect(candidate).toContainText(
      /Best score \d+(\.\d+)?: “Nairobi Digitel Health Agency Ltd” against “Nairobi Digital Health Agency”/,
    );
    await expect(candidate.getByRole('table', { name: 'Score per alias' })).toContainText('NDHA Kenya');
    if (jsOn(testInfo)) await expectNoAxeViolations(officerPage, testInfo, 'vetting request with a candidate');
    // The queue flags the match.
    await officerPage.goto('/officer/vetting');
    await expect(rows.first()).toContainText(/\d+ list match/);

    // Still pending for the buyer: no introduction can be requested.
    await buyerPage.goto('/buyer/verification');
    await expect(buyerPage.getByText('Waiting for an officer.')).toBeVisible();
    await expect(buyerPage.getByText(/verified until/)).toHaveCount(0);
    await buyerPage.goto(`/packages/${PACKAGE.slug}`);
    await expect(buyerPage.getByRole('region', { name: 'Request an introduction' })).toContainText('must be verified');
  } finally {
    await Promise.all([buyerContext.close(), officerContext.close(), buyerApi.dispose(), officerApi.dispose()]);
  }
});
