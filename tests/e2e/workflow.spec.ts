import { expect, test, type Locator, type Page } from '@playwright/test';
import { createUser, type FreshUser } from './auth-support.ts';
import { waitForMail } from './mail.ts';
import { resultLinks } from './support.ts';
import { DEMO_EMAIL, actor, expectInSearch, option, searchFor, signIn, signInStaff, tick, tinyPdf } from './workflow-support.ts';

// The designation workflow end to end, in the browser (issue 4, "Pages and tests"): a supplier
// forms a consortium and writes a complete proposal through the section forms and submits it; a
// reviewer (two-factor sign-in) declares no conflict, takes it, scores it, records the four
// agency consultations and returns it with feedback; the supplier sees the feedback (never the
// internal reason), revises and submits version 2; the reviewer designates it; an anonymous
// visitor finds it by a search with a typo; the reviewer suspends it and it leaves search, its
// page answering 410. Along the way: nobody outside the consortium or the reviewers sees the
// proposal or its attachment.
//
// One serial test: every step builds on the one before. It runs twice, with JavaScript on
// (project "workflow") and off ("workflow-no-js"): the forms are plain POST forms that the
// islands only enhance. Each run has names of its own (RUN).

const RUN = Date.now().toString(36).slice(-6);
const TITLE = `Andromeda Sovereign Fisheries AI ${RUN}`;
const TYPO_QUERY = 'Andromda Fisheries';
const CONSORTIUM = `Andromeda Fisheries Consortium ${RUN}`;
const ANCHOR = 'Prairie Compute Systems Inc. (demo)';
/** The second company, as the anchor enters it in the invitation. */
const PARTNER_LEGAL_NAME = `Bayou Data Labeling LLC ${RUN}`;
const INTERNAL_REASON = `INTERNAL ${RUN}: War flagged the port-sensor vendor informally`;
const ENERGY_CONDITIONS = `ENERGY ${RUN}: grid study before the second landing site`;
const FEEDBACK = `Name the landing sites and the cold-chain partners (${RUN}).`;
const REVISED_SUMMARY = `Catch forecasting, vessel monitoring and cold-chain AI for sovereign fisheries agencies, first at the Bitung and General Santos landing sites (${RUN}).`;
const CRITERIA = [
  'Completeness of the full stack',
  'U.S. content and manufacturing',
  'Fit to target markets',
  'Business and operational model',
  'Security of models and systems',
  'Export-control and end-use compliance',
];
const AGENCIES = [
  { name: 'Department of State', position: 'Concurs' },
  { name: 'Department of War', position: 'Concurs' },
  { name: 'Department of Energy', position: 'Concurs with conditions', comments: ENERGY_CONDITIONS },
  { name: 'Office of Science and Technology Policy', position: 'Concurs' },
];

/** The page's success notice (USWDS slim alert, role=status). */
function notice(page: Page): Locator {
  return page.getByRole('main').getByRole('status').and(page.locator('.usa-alert'));
}

async function saveAndNext(page: Page, next: string): Promise<void> {
  await page.getByRole('button', { name: `Save and go to ${next}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(next);
}

/** One layer section: supplied, a summary and an offering or two. */
async function fillLayer(
  page: Page,
  layer: { summary: string; offerings: { name: string; description: string; sector?: string }[] },
) {
  await tick(page, option(page, 'Does the consortium supply this layer?', 'Yes, the consortium supplies it', 'radio'));
  await page.getByLabel('Summary', { exact: true }).fill(layer.summary);
  for (const [i, offering] of layer.offerings.entries()) {
    const row = page.getByRole('group', { name: `Offering ${i + 1}`, exact: true });
    await row.getByLabel('Name', { exact: true }).fill(offering.name);
    await row.getByLabel('Description', { exact: true }).fill(offering.description);
    if (offering.sector) await row.getByLabel('Sector', { exact: true }).selectOption(offering.sector);
  }
}

/** The status code a signed-in (or anonymous) person gets for a URL, redirects not followed. */
async function statusOf(page: Page, url: string): Promise<number> {
  const response = await page.context().request.get(url, { maxRedirects: 0 });
  return response.status();
}

test.describe.serial('consortium, proposal, review and designation', () => {
  test.use({ actionTimeout: 10_000, navigationTimeout: 15_000 });

  test('a proposal goes from consortium to designation and suspension; outsiders never see it', async ({ browser }) => {
    // The whole journey, through every role, on a two-core machine that also runs the site and search.
    test.setTimeout(300_000);
    const supplier = await actor(browser);
    const reviewer = await actor(browser);
    const buyer = await actor(browser);
    const partner = await actor(browser);
    const anonymous = await actor(browser);
    const s = supplier.page;
    const r = reviewer.page;
    const p = partner.page;
    const a = anonymous.page;

    let consortiumId = '';
    let proposalId = '';
    let attachmentUrl = '';
    let packagePath = '';
    let partnerUser: FreshUser | undefined;

    await test.step('everyone signs in; the reviewer sets up two-factor sign-in; a second supplier signs up', async () => {
      await Promise.all([
        signIn(s, DEMO_EMAIL.supplier),
        signInStaff(r, DEMO_EMAIL.reviewer),
        signIn(buyer.page, DEMO_EMAIL.buyer),
        (async () => {
          // The sign-up form, then the link of the verification mail.
          partnerUser = await createUser('supplier', 'partner');
          await signIn(p, partnerUser.email, partnerUser.password);
        })(),
      ]);
    });

    await test.step('the supplier creates a consortium as its anchor and invites a second company', async () => {
      await s.goto('/consortia');
      await s.getByRole('link', { name: 'Create a consortium' }).click();
      await expect(s.getByRole('heading', { level: 1 })).toHaveText('Create a consortium');
      await s.getByLabel('Name of the consortium').fill(CONSORTIUM);
      // The demo supplier owns several supplier organizations: choose which one anchors.
      const anchor = s.getByLabel('Anchor organization');
      const value = await anchor
        .getByRole('option', { name: new RegExp(`^${ANCHOR.replace(/[().]/g, '\\$&')}`) })
        .getAttribute('value');
      await anchor.selectOption(value!);
      await tick(s, option(s, 'Is the company owned or controlled from a country of concern?', 'No', 'radio'));
      const layers = 'Layers of the AI stack the company supplies';
      for (const layer of ['Hardware and infrastructure', 'AI models and systems', 'AI applications'])
        await tick(s, option(s, layers, layer));
      await s.getByRole('button', { name: 'Create the consortium' }).click();

      await expect(s.getByRole('heading', { level: 1 })).toHaveText(CONSORTIUM);
      await expect(notice(s)).toHaveText('The consortium is created, with your organization as its anchor member.');
      consortiumId = /\/consortia\/([0-9a-f-]{36})/.exec(s.url())![1]!;
      const members = s.getByRole('table', { name: `Members of ${CONSORTIUM}` });
      await expect(members.getByRole('row', { name: new RegExp(`^${ANCHOR.replace(/[().]/g, '\\$&')}`) })).toContainText(
        'Anchor member',
      );

      const invite = s.getByRole('region', { name: 'Invite a company' });
      await invite.getByLabel('Email address of the person to invite').fill(partnerUser!.email);
      await invite.getByLabel('Legal name of the company').fill(PARTNER_LEGAL_NAME);
      await invite.getByLabel('Country of incorporation').selectOption('US');
      await invite.getByLabel('Country of headquarters').selectOption('US');
      await tick(s, option(invite, 'Is the company owned or controlled from a country of concern?', 'No', 'radio'));
      for (const layer of ['Data pipelines and labeling', 'Security and cybersecurity'])
        await tick(s, option(invite, layers, layer));
      await invite.getByRole('button', { name: 'Send the invitation' }).click();
      await expect(notice(s)).toHaveText('The invitation is sent.');
      await expect(members.getByRole('row', { name: new RegExp(PARTNER_LEGAL_NAME) })).toContainText('Invited');
    });

    await test.step('the supplier starts a proposal; submitting an incomplete one is refused with reasons', async () => {
      await s.goto('/proposals');
      await s.getByRole('link', { name: 'Start a proposal' }).click();
      await s.getByLabel('Consortium').selectOption({ label: CONSORTIUM });
      await s.getByRole('button', { name: 'Start the proposal' }).click();
      await expect(s).toHaveURL(/\/proposals\/[0-9a-f-]{36}\/edit\/overview$/);
      proposalId = /\/proposals\/([0-9a-f-]{36})\//.exec(s.url())![1]!;

      await expect(s.getByRole('heading', { level: 1 })).toHaveText('Overview');
      await s.getByLabel('Title', { exact: true }).fill(TITLE);
      await s
        .getByLabel('Summary', { exact: true })
        .fill(`Catch forecasting, vessel monitoring and cold-chain AI for sovereign fisheries agencies (${RUN}).`);
      await s
        .getByLabel('Description', { exact: true })
        .fill(
          'An in-country compute cluster, a labeled catch and vessel-track data pipeline, fine-tuned forecasting models, a secured operations center and applications for fisheries inspectors and cooperatives.',
        );
      await tick(s, option(s, 'Sectors', 'Agriculture'));
      await s.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(notice(s)).toHaveText('Saved.');

      await s.getByRole('link', { name: 'Back to the proposal' }).click();
      await expect(s.getByRole('heading', { level: 1 })).toHaveText(TITLE);
      await expect(s.getByText('Draft: not yet submitted')).toBeVisible();
      await s.getByRole('button', { name: 'Submit the proposal' }).click();
      const refusal = s.getByRole('alert').filter({ hasText: 'The proposal was not submitted' });
      await expect(refusal).toContainText('These sections are incomplete:');
      await expect(refusal.getByRole('link', { name: 'A. Hardware and infrastructure' })).toBeVisible();
      await expect(refusal.getByRole('link', { name: 'Compliance and attestation' })).toBeVisible();
      await expect(refusal.getByRole('link', { name: 'Overview' })).toHaveCount(0);
    });

    await test.step('the supplier fills every section through the forms', async () => {
      await s.getByRole('link', { name: 'Edit A. Hardware and infrastructure' }).click();
      await expect(s.getByRole('heading', { level: 1 })).toHaveText('A. Hardware and infrastructure');
      await fillLayer(s, {
        summary: 'A liquid-cooled compute cluster in the national fisheries data center, with edge units at the landing sites.',
        offerings: [{ name: 'Fisheries compute cluster', description: 'Racks, storage and networking built in Iowa and Texas.' }],
      });
      await s
        .getByLabel('U.S. manufacturing: where and how much')
        .fill('Servers assembled in Des Moines, Iowa; switches from Austin, Texas.');
      await s.getByLabel('U.S.-origin share of hardware value (%)').fill('72');
      await s.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(notice(s)).toHaveText('Saved.');
      // The 51% presumption, shown plainly.
      await expect(s.getByText('Met: 72% of the hardware layer’s value is of U.S. origin (51% or more).')).toBeVisible();
      await saveAndNext(s, 'B. Data pipelines and labeling');

      await fillLayer(s, {
        summary: 'Catch records, vessel tracks and satellite imagery, cleaned and labeled in country.',
        offerings: [
          {
            name: 'Catch and vessel-track pipeline',
            description: 'Ingestion, cleaning and labeling of landing records and AIS tracks.',
          },
        ],
      });
      await saveAndNext(s, 'C. AI models and systems');
      await fillLayer(s, {
        summary: 'Stock and catch forecasting models, fine-tuned on the national records.',
        offerings: [{ name: 'Catch forecasting models', description: 'Seasonal forecasts by species and fishing ground.' }],
      });
      await saveAndNext(s, 'D. Security and cybersecurity');
      await fillLayer(s, {
        summary: 'A secured operations center, model access control and audit logging.',
        offerings: [
          { name: 'Operations security center', description: 'Monitoring, access control and incident response for the stack.' },
        ],
      });
      await saveAndNext(s, 'E. AI applications');
      await fillLayer(s, {
        summary: 'Applications for fisheries inspectors, cooperatives and the ministry.',
        offerings: [
          { name: 'Inspector assistant', description: 'Flags likely illegal landings for inspection.', sector: 'agriculture' },
          {
            name: 'Cooperative catch planner',
            description: 'Plans fishing trips against forecasts and cold-chain capacity.',
            sector: 'agriculture',
          },
        ],
      });
      await saveAndNext(s, 'Target countries and blocs');

      await s.getByLabel('Target countries').selectOption(['ID', 'PH']);
      await tick(s, option(s, 'Regional blocs', 'Association of Southeast Asian Nations'));
      await saveAndNext(s, 'Business and operational model');

      await tick(s, option(s, 'Deployment model', 'Hybrid', 'radio'));
      await s.getByLabel('Who builds the data centers and infrastructure').fill('The anchor member with a local contractor.');
      await s.getByLabel('Who owns them').fill('The national fisheries agency.');
      await s.getByLabel('Who operates them').fill('A joint operations company, trained by the consortium.');
      await s
        .getByLabel('Description', { exact: true })
        .fill('Build, transfer and operate for five years, then hand over to the agency.');
      await saveAndNext(s, 'Federal support requested');

      const first = s.getByRole('group', { name: 'Request 1', exact: true });
      await first.getByLabel('Financing tool').selectOption('exim-direct-loans');
      await first.getByLabel('What it is for').fill('The compute cluster and the edge units.');
      await first.getByLabel('Amount in U.S. dollars (optional)').fill('25000000');
      const second = s.getByRole('group', { name: 'Request 2', exact: true });
      await second.getByLabel('Financing tool').selectOption('ustda-feasibility-studies');
      await second.getByLabel('What it is for').fill('A feasibility study of the second landing site.');
      await saveAndNext(s, 'Compliance and attestation');

      await s
        .getByLabel('Export controls (ECRA and the EAR)')
        .fill('Classified under the EAR; no license needed for the target countries.');
      await s.getByLabel('Outbound investment rules').fill('No covered transaction.');
      await s.getByLabel('End-user and end-use policies').fill('Civil fisheries management only; no military end users.');
      await s.getByLabel('Name of the person attesting').fill('Sam Supplier');
      await s.getByLabel('Their title').fill('Chief Executive Officer');
      await tick(s, s.getByRole('checkbox', { name: 'I confirm that the statements on compliance are true and complete.' }));
      await saveAndNext(s, 'Contacts');

      const contact = s.getByRole('group', { name: 'Contact 1', exact: true });
      await contact.getByLabel('Name', { exact: true }).fill('Sam Supplier');
      await contact.getByLabel('Title', { exact: true }).fill('Chief Executive Officer');
      await contact.getByLabel('Organization', { exact: true }).fill(ANCHOR);
      await contact.getByLabel('Email address', { exact: true }).fill('sam@prairie-compute.example.com');
      await contact.getByLabel('Phone (optional)').fill('+1 515 555 0100');
      await s.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(notice(s)).toHaveText('Saved.');

      await s.getByRole('link', { name: 'Back to the proposal' }).click();
      const checklist = s.getByRole('region', { name: 'Checklist' });
      await expect(checklist.getByText('Complete', { exact: true })).toHaveCount(11);
      await expect(checklist.getByText('Incomplete', { exact: true })).toHaveCount(0);
    });

    await test.step('the supplier attaches a PDF (checked by content, not by name)', async () => {
      await s.getByRole('link', { name: 'Add or view attachments' }).click();
      await expect(s.getByRole('heading', { level: 1 })).toHaveText('Attachments');
      await s
        .getByLabel('PDF file')
        .setInputFiles({ name: 'not-really.pdf', mimeType: 'application/pdf', buffer: Buffer.from('just text, not a PDF') });
      await s.getByRole('button', { name: 'Upload' }).click();
      await expect(
        s.getByText('The file is not a PDF. Only PDF files can be attached, whatever the file is called.').first(),
      ).toBeVisible();

      await s
        .getByLabel('PDF file')
        .setInputFiles({ name: 'landing-sites.pdf', mimeType: 'application/pdf', buffer: tinyPdf(`Landing sites ${RUN}`) });
      await s.getByRole('button', { name: 'Upload' }).click();
      await expect(notice(s)).toHaveText('The file was added.');
      const link = s.getByRole('link', { name: 'landing-sites.pdf' });
      attachmentUrl = (await link.getAttribute('href'))!;
      expect(attachmentUrl).toMatch(new RegExp(`^/proposals/${proposalId}/attachments/[0-9a-f-]+$`));
      const download = await s.context().request.get(attachmentUrl);
      expect(download.status()).toBe(200);
      expect(download.headers()['content-type']).toBe('application/pdf');
    });

    await test.step('nobody outside the consortium sees the draft or its attachment', async () => {
      const proposalPath = `/proposals/${proposalId}`;
      // A visitor is sent to sign in.
      for (const path of [proposalPath, attachmentUrl]) {
        const response = await a.context().request.get(path, { maxRedirects: 0 });
        expect(response.status(), path).toBe(303);
        expect(response.headers().location, path).toMatch(/^\/account\/sign-in\?next=/);
      }
      // A buyer may not use the proposal pages at all.
      for (const path of [proposalPath, attachmentUrl, `${proposalPath}/attachments`]) {
        expect([403, 404], path).toContain(await statusOf(buyer.page, path));
      }
      const asBuyer = await buyer.page.goto(proposalPath);
      expect([403, 404]).toContain(asBuyer?.status());
      await expect(buyer.page.getByText(TITLE)).toHaveCount(0);
      // Another supplier, invited but not yet a member: the proposal does not exist for it.
      for (const path of [
        proposalPath,
        attachmentUrl,
        `${proposalPath}/attachments`,
        `${proposalPath}/edit/overview`,
        `/consortia/${consortiumId}`,
      ]) {
        expect(await statusOf(p, path), path).toBe(404);
      }
      const asOutsider = await p.goto(proposalPath);
      expect(asOutsider?.status()).toBe(404);
      await expect(p.getByText(TITLE)).toHaveCount(0);
      // Reviewers see proposals once submitted, not drafts.
      expect(await statusOf(r, proposalPath)).toBe(404);
      expect(await statusOf(r, attachmentUrl)).toBe(404);
      expect(await statusOf(r, `/review/${proposalId}`)).toBe(404);
    });

    await test.step('the invited company accepts; its people read the proposal but cannot change it', async () => {
      await p.goto('/consortia');
      await p.getByRole('link', { name: `${CONSORTIUM}: invitation for ${PARTNER_LEGAL_NAME}` }).click();
      await expect(p.getByRole('heading', { level: 1 })).toHaveText(`Invitation to join ${CONSORTIUM}`);
      await p.getByRole('button', { name: 'Accept and join' }).click();
      await expect(notice(p)).toHaveText('Your organization has joined the consortium.');

      const response = await p.goto(`/proposals/${proposalId}`);
      expect(response?.status()).toBe(200);
      await expect(p.getByRole('heading', { level: 1 })).toHaveText(TITLE);
      await expect(
        p.getByText('You can read this proposal. Only owners and administrators of the anchor member can change or submit it.'),
      ).toBeVisible();
      await expect(p.getByRole('button', { name: 'Submit the proposal' })).toHaveCount(0);
      await expect(p.getByRole('link', { name: /^Edit / })).toHaveCount(0);
      expect(await statusOf(p, `/proposals/${proposalId}/edit/overview`)).toBe(404);
      expect(await statusOf(p, attachmentUrl)).toBe(200);
    });

    await test.step('the supplier submits: version 1', async () => {
      await s.goto(`/proposals/${proposalId}`);
      await s.getByRole('button', { name: 'Submit the proposal' }).click();
      await expect(notice(s)).toHaveText('The proposal was submitted. Version 1 is now with the reviewers.');
      await expect(s.getByText('Submitted: waiting for a reviewer')).toBeVisible();
      await expect(s.getByRole('link', { name: /^Edit / })).toHaveCount(0);
    });

    await test.step('the reviewer declares no conflict, takes it, scores it, records the consultations and returns it', async () => {
      await r.goto('/review');
      await r.getByRole('combobox', { name: 'State', exact: true }).selectOption('submitted');
      await r.getByRole('button', { name: 'Filter' }).click();
      await r.getByRole('link', { name: TITLE }).click();
      await expect(r.getByRole('heading', { level: 1 })).toHaveText(TITLE);
      await expect(r.getByText('Declare any conflict of interest before you review this proposal.')).toBeVisible();
      await expect(
        r.getByText('U.S.-origin share of the hardware value: 72% The 51% U.S.-content presumption is met.'),
      ).toBeVisible();

      await tick(r, option(r, 'Do you have a conflict of interest?', 'No, I have no conflict of interest', 'radio'));
      await r.getByRole('button', { name: 'Declare' }).click();
      await expect(notice(r)).toHaveText('Your declaration is recorded.');
      await r.getByRole('button', { name: 'Take for review' }).click();
      await expect(notice(r)).toHaveText('Done: the proposal is now Under review.');

      for (const criterion of CRITERIA) await r.getByLabel(criterion, { exact: true }).selectOption('4');
      await r.getByLabel('Comment for the other reviewers').fill('Strong hardware layer; landing sites unclear.');
      await r.getByRole('button', { name: 'Save scores' }).click();
      await expect(notice(r)).toHaveText('Your scores are saved.');
      await expect(r.getByRole('table', { name: 'Every reviewer’s scores' })).toContainText('Rafael Reviewer');

      for (const agency of AGENCIES) {
        const form = r.locator('form').filter({ has: r.getByRole('group', { name: agency.name, exact: true }) });
        await tick(r, option(form, agency.name, agency.position, 'radio'));
        if (agency.comments) await form.getByLabel('Comments').fill(agency.comments);
        await form.getByRole('button', { name: `Record the position of ${agency.name}` }).click();
        await expect(notice(r)).toHaveText('The consultation is recorded.');
      }
      const record = r.getByRole('table', { name: 'Consultation record' });
      await expect(record.getByRole('row', { name: /^Department of Energy/ })).toContainText('Concurs with conditions');
      await expect(record.getByRole('row', { name: /^Department of Energy/ })).toContainText(ENERGY_CONDITIONS);

      await r.getByLabel('Reason (internal)').fill(INTERNAL_REASON);
      await r.getByLabel('Feedback for the consortium').fill(FEEDBACK);
      await r.getByRole('button', { name: 'Return for revision' }).click();
      await expect(notice(r)).toHaveText('Done: the proposal is now Returned for revision.');
    });

    await test.step('the supplier sees the feedback (not the internal notes), revises and submits version 2', async () => {
      await s.goto(`/proposals/${proposalId}`);
      await expect(s.getByRole('region', { name: 'Status' })).toContainText('Returned for revision');
      const history = s.getByRole('region', { name: 'History' });
      await expect(history).toContainText('Returned for revision');
      await expect(history.getByText(FEEDBACK)).toBeVisible();
      await expect(s.locator('body')).not.toContainText(INTERNAL_REASON);
      await expect(s.locator('body')).not.toContainText(ENERGY_CONDITIONS);
      // The email says the same, and no more.
      const mail = await waitForMail(DEMO_EMAIL.supplier, `Your proposal “${TITLE}”: Returned for revision`);
      expect(mail.text).toContain(FEEDBACK);
      expect(mail.text).not.toContain(INTERNAL_REASON);
      expect(mail.text).not.toContain(ENERGY_CONDITIONS);

      await s.goto(`/proposals/${proposalId}`);
      await s.getByRole('link', { name: 'Edit Overview' }).click();
      await s.getByLabel('Summary', { exact: true }).fill(REVISED_SUMMARY);
      await s.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(notice(s)).toHaveText('Saved.');
      await s.getByRole('link', { name: 'Back to the proposal' }).click();
      await s.getByRole('button', { name: 'Submit the proposal' }).click();
      await expect(notice(s)).toHaveText('The proposal was submitted. Version 2 is now with the reviewers.');

      await s.getByRole('link', { name: 'Compare with version 1' }).click();
      await expect(s.getByRole('heading', { name: 'Version 1 compared with version 2' })).toBeVisible();
      await expect(s.getByText(REVISED_SUMMARY)).toBeVisible();
    });

    await test.step('the reviewer takes version 2 and designates it', async () => {
      await r.goto(`/review/${proposalId}`);
      await expect(r.getByText('State: Submitted')).toBeVisible();
      await expect(r.getByText(/^Version 2 of 2, frozen /)).toBeVisible();
      await r.getByRole('button', { name: 'Take for review' }).click();
      await expect(notice(r)).toHaveText('Done: the proposal is now Under review.');
      await r.getByLabel('Reason (internal)').fill('Meets every criterion after the revision.');
      await r.getByLabel('Feedback for the consortium').fill('Congratulations: the package is designated.');
      await r.getByRole('button', { name: 'Designate' }).click();
      await expect(notice(r)).toHaveText('Done: the proposal is now Designated.');
      const pkg = r.getByRole('link', { name: /^andromeda-sovereign-fisheries-ai/ });
      packagePath = (await pkg.getAttribute('href'))!;
      expect(packagePath).toMatch(/^\/packages\/andromeda-sovereign-fisheries-ai-[a-z0-9-]+$/);
    });

    await test.step('an anonymous visitor finds it with a typo and opens its page', async () => {
      await expectInSearch(a, TYPO_QUERY, TITLE, true);
      const hit = await searchFor(a, TYPO_QUERY, TITLE);
      await expect(hit).toHaveCount(1, { timeout: 15_000 });
      await hit.click();
      await expect(a).toHaveURL(packagePath);
      await expect(a.getByRole('heading', { level: 1 })).toHaveText(TITLE);
      await expect(a.getByText(REVISED_SUMMARY).first()).toBeVisible();
    });

    await test.step('the reviewer suspends it: gone from search, its page answers 410', async () => {
      await r.getByLabel('Reason (internal)').fill('A landing-site operator is under compliance review.');
      await r.getByLabel('Feedback for the consortium').fill('Suspended pending a compliance review of a landing-site operator.');
      await r.getByRole('button', { name: 'Suspend' }).click();
      await expect(notice(r)).toHaveText('Done: the proposal is now Suspended.');

      await expectInSearch(a, TYPO_QUERY, TITLE, false);
      await expect(resultLinks(a).filter({ hasText: TITLE })).toHaveCount(0);
      const gone = await a.goto(packagePath);
      expect(gone?.status()).toBe(410);
      await expect(a.getByRole('heading', { level: 1 })).toHaveText('This package is no longer offered');
      await expect(a.getByRole('heading', { level: 2, name: TITLE })).toBeVisible();

      await s.goto(`/proposals/${proposalId}`);
      await expect(s.getByRole('region', { name: 'Status' })).toContainText('Designation suspended');
    });

    for (const who of [supplier, reviewer, buyer, partner, anonymous]) await who.context.close();
  });
});
