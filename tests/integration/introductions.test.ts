import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema/index.ts';
import type { PackageRow } from '../../db/schema/package.ts';
import { upsertPackage } from '../../db/queries/packages.ts';
import {
  findIntroduction,
  listIntroductionEvents,
  listIntroductionMessages,
  listIntroductionAttachments,
} from '../../db/queries/introductions.ts';
import type { MailMessage } from '../../src/lib/mail/index.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';
import { LocalDiskStore } from '../../src/lib/files/index.ts';
import { uploadRequest } from '../fixtures/files.ts';
import {
  addIntroductionAttachment,
  introductionAccess,
  introductionsFor,
  moveIntroduction,
  postMessage,
  requestEligibility,
  requestIntroduction,
  type IntroductionServices,
  type IntroductionUser,
} from '../../src/lib/introductions/actions.ts';
import { remindWaiting } from '../../src/lib/introductions/jobs.ts';
import { queueByState } from '../../src/lib/introductions/queue.ts';
import { MAX_OPEN_REQUESTS } from '../../src/lib/introductions/state.ts';
import { packagesFor } from '../../src/lib/matching/index.ts';
import { addConsortium } from '../fixtures/consortia.ts';
import { testDb } from '../fixtures/db.ts';
import { buildPackage } from '../fixtures/packages.ts';
import { addOfficer, addOrganization, addUser } from '../fixtures/people.ts';

const validRequest = {
  needs: 'Telemedicine and clinic triage for district hospitals',
  timeline: 'Pilot within 6 months',
  budgetBand: '10m-50m',
  deploymentModel: 'hybrid',
  financingInterest: 'yes',
  participants: 'Our CIO and the Ministry of Health',
};

describe(`introductions on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let db: Kysely<Database>;
  let reference: Reference;
  let app: IntroductionServices;
  let filesDir: string;
  const outbox: MailMessage[] = [];
  const mailTo = (email: string) => outbox.filter((m) => m.to === email);

  let officerKe: IntroductionUser;
  let officerAu: IntroductionUser;
  let officerFr: IntroductionUser;
  let admin: IntroductionUser;
  let buyer: { organizationId: string; owner: IntroductionUser; member: IntroductionUser };
  let otherBuyer: { organizationId: string; owner: IntroductionUser; member: IntroductionUser };
  let unverified: { organizationId: string; owner: IntroductionUser; member: IntroductionUser };
  let supplier: { organizationId: string; owner: IntroductionUser; consortiumId: string };
  let otherSupplier: { organizationId: string; owner: IntroductionUser; consortiumId: string };
  let healthPackage: PackageRow;
  const extraPackages: PackageRow[] = [];

  async function verify(organizationId: string, expiresAt = new Date('2099-01-01T00:00:00Z')) {
    await db
      .insertInto('vetting')
      .values({
        organizationId,
        state: 'verified',
        requestedBy: null,
        alternateNames: [],
        endUse: 'Hospitals',
        endUsers: 'Own staff',
        countryFlags: '[]',
        screening: '{}',
        officerId: officerKe.id,
        decisionReason: 'Clean',
        decidedAt: new Date(),
        expiresAt,
        reminderSentAt: null,
      })
      .execute();
  }

  /** A designated package published from a designated proposal of the consortium. */
  async function designated(consortiumId: string, overrides: Parameters<typeof buildPackage>[0] = {}) {
    const proposal = await db
      .insertInto('proposal')
      .values({ consortiumId, state: 'designated', draft: '{}', packageId: null, changeState: null, submittedAt: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await upsertPackage(db, buildPackage(overrides), { proposalId: proposal.id });
    await db.updateTable('proposal').set({ packageId: row.id }).where('id', '=', proposal.id).execute();
    return row;
  }

  beforeAll(async () => {
    handle = await testDb();
    db = handle.db;
    reference = await loadReference();
    filesDir = mkdtempSync(join(tmpdir(), 'aix-intro-files-'));
    app = { db, reference, mailer: { send: async (m) => void outbox.push(m) }, config: { siteUrl: 'http://localhost:4321' } };
    officerKe = await addOfficer(db, 'Officer Kenya', 'country', 'KE');
    officerAu = await addOfficer(db, 'Officer African Union', 'region', 'african-union');
    officerFr = await addOfficer(db, 'Officer France', 'country', 'FR');
    admin = await addUser(db, 'admin', 'Site Admin');

    buyer = await addOrganization(db, {
      kind: 'buyer',
      legalName: 'Savanna Telehealth Cooperative',
      country: 'KE',
      sectors: ['healthcare'],
    });
    otherBuyer = await addOrganization(db, {
      kind: 'buyer',
      legalName: 'Lakeside Clinics Group',
      country: 'KE',
      sectors: ['healthcare'],
    });
    unverified = await addOrganization(db, { kind: 'buyer', legalName: 'Unvetted Hospitals Ltd', country: 'KE' });
    await verify(buyer.organizationId);
    await verify(otherBuyer.organizationId);
    // A lapsed verification does not count.
    await verify(unverified.organizationId, new Date('2020-01-01T00:00:00Z'));

    const s = await addOrganization(db, { kind: 'supplier', legalName: 'Anchor Health Systems Inc.', country: 'US' });
    supplier = {
      organizationId: s.organizationId,
      owner: s.owner,
      consortiumId: await addConsortium(db, { name: 'Health Stack Consortium', anchorOrganizationId: s.organizationId }),
    };
    const o = await addOrganization(db, { kind: 'supplier', legalName: 'Other Anchor Inc.', country: 'US' });
    otherSupplier = {
      organizationId: o.organizationId,
      owner: o.owner,
      consortiumId: await addConsortium(db, { name: 'Other Consortium', anchorOrganizationId: o.organizationId }),
    };

    healthPackage = await designated(supplier.consortiumId, {
      slug: 'kenya-telehealth',
      title: 'Kenya telehealth stack',
      targetCountries: ['KE'],
      sectors: ['healthcare'],
    });
    for (let i = 0; i < MAX_OPEN_REQUESTS; i++) {
      extraPackages.push(
        await designated(i % 2 ? supplier.consortiumId : otherSupplier.consortiumId, {
          slug: `extra-${i}`,
          title: `Extra package ${i}`,
          targetCountries: ['FR'],
          targetRegions: [],
          sectors: ['energy'],
        }),
      );
    }
  }, 180_000);

  afterAll(async () => {
    await handle?.close();
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
  });

  let introId = '';

  it('tells who may request: verified buyers only', async () => {
    expect(await requestEligibility(db, undefined)).toEqual({ kind: 'anonymous' });
    expect(await requestEligibility(db, officerKe)).toEqual({ kind: 'not-buyer' });
    expect((await requestEligibility(db, unverified.owner)).kind).toBe('unverified');
    expect(await requestEligibility(db, buyer.member)).toMatchObject({
      kind: 'eligible',
      organizations: [{ organizationId: buyer.organizationId }],
    });
  });

  it('refuses an unverified buyer, bad input, other roles and unknown packages', async () => {
    expect(await requestIntroduction(app, unverified.owner, healthPackage.slug, validRequest)).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(await requestIntroduction(app, supplier.owner, healthPackage.slug, validRequest)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await requestIntroduction(app, buyer.owner, 'no-such-package', validRequest)).toMatchObject({
      ok: false,
      status: 404,
    });
    const bad = await requestIntroduction(app, buyer.owner, healthPackage.slug, {
      needs: ' ',
      timeline: '',
      budgetBand: 'lots',
      deploymentModel: '',
      financingInterest: 'maybe',
    });
    expect(bad).toMatchObject({ ok: false, status: 400 });
    if (!bad.ok)
      expect(Object.keys(bad.errors).sort()).toEqual(['budgetBand', 'deploymentModel', 'financingInterest', 'needs', 'timeline']);
    expect(await db.selectFrom('introduction').select('id').execute()).toHaveLength(0);
  });

  it('a verified buyer requests: recorded, audited, the officers of the territory emailed', async () => {
    outbox.length = 0;
    const requested = await requestIntroduction(
      app,
      buyer.member,
      healthPackage.slug,
      validRequest,
      new Date('2026-06-01T09:00:00Z'),
    );
    expect(requested).toMatchObject({ ok: true });
    if (!requested.ok) throw new Error('refused');
    introId = requested.id;
    const intro = (await findIntroduction(db, introId))!;
    expect(intro).toMatchObject({
      state: 'requested',
      buyerOrganizationId: buyer.organizationId,
      packageId: healthPackage.id,
      requestedBy: buyer.member.id,
      budgetBand: '10m-50m',
      deploymentModel: 'hybrid',
      financingInterest: true,
      anchorOrganizationId: supplier.organizationId,
      consortiumName: 'Health Stack Consortium',
    });
    expect(intro.waitingSince.toISOString()).toBe('2026-06-01T09:00:00.000Z');
    expect((await listIntroductionEvents(db, introId)).map((e) => e.move)).toEqual(['request']);
    const audit = await db.selectFrom('audit_event').selectAll().where('subjectId', '=', introId).execute();
    expect(audit.map((a) => a.action)).toEqual(['introduction-requested']);
    expect(mailTo(officerKe.email)).toHaveLength(1);
    expect(mailTo(officerAu.email)).toHaveLength(1);
    expect(mailTo(officerFr.email)).toHaveLength(0);
    expect(mailTo(supplier.owner.email)).toHaveLength(0);
    expect(mailTo(officerKe.email)[0]!.text).toContain(`/introductions/${introId}`);
  });

  it('refuses a second open request for the same package', async () => {
    const again = await requestIntroduction(app, buyer.owner, healthPackage.slug, validRequest);
    expect(again).toMatchObject({ ok: false, status: 409 });
    if (!again.ok) expect(again.errors.form).toMatch(/already has an open request/);
  });

  it('keeps the introduction from everyone outside it', async () => {
    expect(await introductionAccess(app, officerKe, introId)).toMatchObject({ side: 'officer', moves: ['take', 'decline'] });
    expect(await introductionAccess(app, officerAu, introId)).toMatchObject({ side: 'officer' });
    expect(await introductionAccess(app, admin, introId)).toMatchObject({ side: 'officer' });
    expect(await introductionAccess(app, buyer.member, introId)).toMatchObject({ side: 'buyer', moves: ['withdraw'] });
    expect(await introductionAccess(app, officerFr, introId)).toBeUndefined();
    expect(await introductionAccess(app, otherBuyer.owner, introId)).toBeUndefined();
    // The consortium sees nothing until the introduction is brokered to it.
    expect(await introductionAccess(app, supplier.owner, introId)).toBeUndefined();
    expect(await introductionAccess(app, otherSupplier.owner, introId)).toBeUndefined();
    expect(await introductionAccess(app, undefined, introId)).toBeUndefined();
    expect(await introductionAccess(app, officerKe, 'not-a-uuid')).toBeUndefined();
    expect((await introductionsFor(app, officerFr)).map((r) => r.id)).not.toContain(introId);
    expect((await introductionsFor(app, otherBuyer.owner)).map((r) => r.id)).not.toContain(introId);
    expect((await introductionsFor(app, supplier.owner)).map((r) => r.id)).not.toContain(introId);
    expect((await introductionsFor(app, officerKe)).map((r) => r.id)).toContain(introId);
    expect((await introductionsFor(app, buyer.owner)).map((r) => r.id)).toContain(introId);
    expect(await moveIntroduction(app, officerFr, introId, { move: 'take' })).toMatchObject({ ok: false, status: 404 });
    expect(await postMessage(app, otherBuyer.owner, introId, { body: 'hello' })).toMatchObject({ ok: false, status: 404 });
  });

  it('flags the queue after 3 business days and reminds the officer after 5, once', async () => {
    const intro = (await findIntroduction(db, introId))!;
    // Requested Monday 1 June 2026; Thursday is 3 business days later.
    const rows = await introductionsFor(app, officerKe);
    const groups = queueByState(rows, new Date('2026-06-03T12:00:00Z'));
    expect(groups.find((g) => g.state === 'requested')!.rows.find((r) => r.id === introId)).toMatchObject({
      flagged: false,
      age: 2,
    });
    expect(queueByState(rows, new Date('2026-06-04T12:00:00Z')).find((g) => g.state === 'requested')!.rows[0]).toMatchObject({
      flagged: true,
      age: 3,
    });

    outbox.length = 0;
    expect(await remindWaiting(app, new Date('2026-06-05T12:00:00Z'))).toMatchObject({ reminded: 0 });
    const due = await remindWaiting(app, new Date('2026-06-08T12:00:00Z'));
    expect(due).toMatchObject({ reminded: 1 });
    expect(mailTo(officerKe.email)).toHaveLength(1);
    expect(mailTo(officerAu.email)).toHaveLength(1);
    expect(mailTo(buyer.member.email)).toHaveLength(0);
    expect(mailTo(officerKe.email)[0]!.subject).toMatch(/waiting on you/);
    expect(await remindWaiting(app, new Date('2026-06-09T12:00:00Z'))).toMatchObject({ reminded: 0 });
    expect((await findIntroduction(db, introId))!.remindedAt?.toISOString()).toBe('2026-06-08T12:00:00.000Z');
    expect(intro.remindedAt).toBeNull();
  });

  it('follows the full path: taken → asked → answered → brokered → accepted → meeting held → closed', async () => {
    // The buyer cannot take; a note is required to ask; moves out of order are refused.
    expect(await moveIntroduction(app, buyer.owner, introId, { move: 'take' })).toMatchObject({ ok: false, status: 403 });
    expect(await moveIntroduction(app, officerKe, introId, { move: 'broker', note: 'x' })).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(await moveIntroduction(app, officerKe, introId, { move: 'fly' })).toMatchObject({ ok: false, status: 400 });

    outbox.length = 0;
    const takenAt = new Date('2026-06-10T09:00:00Z');
    expect(await moveIntroduction(app, officerKe, introId, { move: 'take' }, takenAt)).toMatchObject({
      ok: true,
      state: 'taken',
    });
    let intro = (await findIntroduction(db, introId))!;
    expect(intro).toMatchObject({ state: 'taken', officerId: officerKe.id, remindedAt: null });
    expect(intro.waitingSince.toISOString()).toBe(takenAt.toISOString());
    // The buyer (requester and owner) hears of it; the officer who acted does not.
    expect(mailTo(buyer.member.email)).toHaveLength(1);
    expect(mailTo(buyer.owner.email)).toHaveLength(1);
    expect(mailTo(officerKe.email)).toHaveLength(0);
    expect(mailTo(supplier.owner.email)).toHaveLength(0);

    expect(await moveIntroduction(app, officerKe, introId, { move: 'ask-buyer', note: '  ' })).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(
      await moveIntroduction(
        app,
        officerKe,
        introId,
        { move: 'ask-buyer', note: 'How many clinics?' },
        new Date('2026-06-10T10:00:00Z'),
      ),
    ).toMatchObject({ ok: true, state: 'info-requested' });
    outbox.length = 0;
    expect(
      await moveIntroduction(
        app,
        buyer.owner,
        introId,
        { move: 'answer', note: 'Forty-two clinics.' },
        new Date('2026-06-10T11:00:00Z'),
      ),
    ).toMatchObject({ ok: true, state: 'taken' });
    // Once taken, the officer in charge hears of the answer (not every officer of the territory).
    expect(mailTo(officerKe.email)).toHaveLength(1);
    expect(mailTo(officerAu.email)).toHaveLength(0);

    outbox.length = 0;
    expect(
      await moveIntroduction(
        app,
        officerKe,
        introId,
        { move: 'broker', note: 'A vetted hospital group; strong fit.' },
        new Date('2026-06-11T09:00:00Z'),
      ),
    ).toMatchObject({ ok: true, state: 'brokered' });
    expect(mailTo(supplier.owner.email)).toHaveLength(1);
    expect(mailTo(supplier.owner.email)[0]!.text).toContain('A vetted hospital group');
    expect(mailTo(otherSupplier.owner.email)).toHaveLength(0);

    // Now the anchor's owner sees it; another consortium and a plain member of nothing still do not.
    expect(await introductionAccess(app, supplier.owner, introId)).toMatchObject({
      side: 'consortium',
      moves: ['accept', 'refuse'],
    });
    expect(await introductionAccess(app, otherSupplier.owner, introId)).toBeUndefined();
    expect((await introductionsFor(app, supplier.owner)).map((r) => r.id)).toContain(introId);
    expect((await introductionsFor(app, otherSupplier.owner)).map((r) => r.id)).not.toContain(introId);
    expect(await moveIntroduction(app, otherSupplier.owner, introId, { move: 'accept', note: 'us!' })).toMatchObject({
      ok: false,
      status: 404,
    });

    expect(await moveIntroduction(app, supplier.owner, introId, { move: 'accept' })).toMatchObject({ ok: false, status: 400 });
    outbox.length = 0;
    expect(
      await moveIntroduction(
        app,
        supplier.owner,
        introId,
        { move: 'accept', note: 'Nairobi, 2 July, 10:00.' },
        new Date('2026-06-12T09:00:00Z'),
      ),
    ).toMatchObject({ ok: true, state: 'accepted' });
    expect(mailTo(buyer.owner.email)).toHaveLength(1);
    expect(mailTo(officerKe.email)).toHaveLength(1);
    expect(mailTo(supplier.owner.email)).toHaveLength(0);
    expect((await findIntroduction(db, introId))!.meetingProposal).toBe('Nairobi, 2 July, 10:00.');

    expect(
      await moveIntroduction(app, supplier.owner, introId, { move: 'hold-meeting' }, new Date('2026-07-02T12:00:00Z')),
    ).toMatchObject({ ok: true, state: 'meeting-held' });
    expect(await moveIntroduction(app, supplier.owner, introId, { move: 'close', outcome: 'deal-signed' })).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await moveIntroduction(app, officerKe, introId, { move: 'close', outcome: 'a-lot' })).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(
      await moveIntroduction(
        app,
        officerKe,
        introId,
        { move: 'close', outcome: 'in-negotiation', note: 'Term sheet under discussion.' },
        new Date('2026-07-03T12:00:00Z'),
      ),
    ).toMatchObject({
      ok: true,
      state: 'closed',
    });
    intro = (await findIntroduction(db, introId))!;
    expect(intro).toMatchObject({
      state: 'closed',
      outcome: 'in-negotiation',
      outcomeNote: 'Term sheet under discussion.',
      brief: 'A vetted hospital group; strong fit.',
    });
    const events = await listIntroductionEvents(db, introId);
    expect(events.map((e) => `${e.move}:${e.fromState}>${e.toState}`)).toEqual([
      'request:none>requested',
      'take:requested>taken',
      'ask-buyer:taken>info-requested',
      'answer:info-requested>taken',
      'broker:taken>brokered',
      'accept:brokered>accepted',
      'hold-meeting:accepted>meeting-held',
      'close:meeting-held>closed',
    ]);
    const audit = await db
      .selectFrom('audit_event')
      .select(['action', 'details'])
      .where('subjectId', '=', introId)
      .where('action', '=', 'introduction-moved')
      .execute();
    expect(audit).toHaveLength(7);
    // Closed: nothing more to do, and nobody is reminded.
    expect(await introductionAccess(app, officerKe, introId)).toMatchObject({ moves: [] });
    expect(await remindWaiting(app, new Date('2026-12-01T12:00:00Z'))).toMatchObject({ reminded: 0 });
  });

  it('carries a message thread among the three sides, and PDF files', async () => {
    outbox.length = 0;
    expect(await postMessage(app, buyer.owner, introId, { body: '   ' })).toMatchObject({ ok: false, status: 400 });
    expect(await postMessage(app, buyer.owner, introId, { body: '<script>alert(1)</script> Thanks!' })).toMatchObject({
      ok: true,
    });
    expect(await postMessage(app, supplier.owner, introId, { body: 'Looking forward.' })).toMatchObject({ ok: true });
    expect(await postMessage(app, officerKe, introId, { body: 'Noted.' })).toMatchObject({ ok: true });
    const messages = await listIntroductionMessages(db, introId);
    expect(messages.map((m) => [m.side, m.body])).toEqual([
      ['buyer', '<script>alert(1)</script> Thanks!'],
      ['consortium', 'Looking forward.'],
      ['officer', 'Noted.'],
    ]);
    // Each message goes to the two other sides.
    expect(
      mailTo(supplier.owner.email)
        .map((m) => m.text)
        .join(),
    ).toContain('Thanks!');
    expect(mailTo(officerKe.email)).toHaveLength(2);
    expect(mailTo(buyer.owner.email)).toHaveLength(2);
    expect(
      await db
        .selectFrom('audit_event')
        .select('id')
        .where('subjectId', '=', introId)
        .where('action', '=', 'introduction-message')
        .execute(),
    ).toHaveLength(3);

    const intake = { store: new LocalDiskStore(filesDir), tempDir: join(filesDir, 'uploads') };
    const pdf = () => uploadRequest(new TextEncoder().encode('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n'), 'meeting notes.pdf');
    const notPdf = uploadRequest(new TextEncoder().encode('hello world, not a pdf'), 'x.pdf');
    expect(await addIntroductionAttachment(app, intake, buyer.owner, introId, notPdf)).toMatchObject({ ok: false, status: 400 });
    expect(await addIntroductionAttachment(app, intake, otherBuyer.owner, introId, pdf())).toMatchObject({
      ok: false,
      status: 404,
    });
    const added = await addIntroductionAttachment(app, intake, supplier.owner, introId, pdf());
    expect(added).toMatchObject({ ok: true });
    const files = await listIntroductionAttachments(db, introId);
    expect(files).toMatchObject([{ filename: 'meeting notes.pdf' }]);
  });

  it('refuses the 11th open request of an organization', async () => {
    for (const [i, pkg] of extraPackages.slice(0, MAX_OPEN_REQUESTS).entries()) {
      const result = await requestIntroduction(app, otherBuyer.owner, pkg.slug, { ...validRequest, needs: `Need ${i}` });
      expect(result, `request ${i + 1}`).toMatchObject({ ok: true });
    }
    const eleventh = await requestIntroduction(app, otherBuyer.owner, healthPackage.slug, validRequest);
    expect(eleventh).toMatchObject({ ok: false, status: 409 });
    if (!eleventh.ok) expect(eleventh.errors.form).toMatch(/10 open requests/);
    // Withdrawing one frees a place.
    const mine = await introductionsFor(app, otherBuyer.owner);
    expect(mine).toHaveLength(MAX_OPEN_REQUESTS);
    expect(await moveIntroduction(app, otherBuyer.member, mine[0]!.id, { move: 'withdraw' })).toMatchObject({
      ok: true,
      state: 'withdrawn',
    });
    expect(await requestIntroduction(app, otherBuyer.owner, healthPackage.slug, validRequest)).toMatchObject({ ok: true });
    // A closed request does not block a new one for the same package either.
    expect(await requestIntroduction(app, buyer.owner, healthPackage.slug, validRequest)).toMatchObject({ ok: true });
  });

  it('reminds the consortium when a brokered introduction waits on it', async () => {
    const fresh = await requestIntroduction(
      app,
      buyer.owner,
      extraPackages[1]!.slug,
      validRequest,
      new Date('2026-08-03T09:00:00Z'),
    );
    if (!fresh.ok) throw new Error('refused');
    await moveIntroduction(app, officerKe, fresh.id, { move: 'take' }, new Date('2026-08-03T10:00:00Z'));
    await moveIntroduction(app, officerKe, fresh.id, { move: 'broker', note: 'Brief.' }, new Date('2026-08-03T11:00:00Z'));
    outbox.length = 0;
    const result = await remindWaiting(app, new Date('2026-08-10T12:00:00Z'));
    expect(result.reminded).toBeGreaterThanOrEqual(1);
    expect(mailTo(supplier.owner.email).filter((m) => m.text.includes(fresh.id))).toHaveLength(1);
    expect(mailTo(buyer.owner.email).filter((m) => m.text.includes(fresh.id))).toHaveLength(0);
  });

  it('suggests packages for a buyer with reasons (database, search down)', async () => {
    const profile = { country: 'KE', sectors: ['healthcare'] };
    const suggestions = await packagesFor(app, profile, { limit: 5 });
    expect(suggestions[0]).toMatchObject({ slug: 'kenya-telehealth' });
    expect(suggestions[0]!.reasonTexts).toEqual(['Targets Kenya', 'In your sector: Healthcare']);
    // Packages for France only, in energy, have no reason to be suggested to a Kenyan hospital.
    expect(suggestions.map((s) => s.slug)).not.toContain('extra-0');
    const withNeeds = await packagesFor(app, profile, { needs: 'clinic triage assistant', exclude: [healthPackage.id] });
    expect(withNeeds.map((s) => s.slug)).not.toContain('kenya-telehealth');
    expect(withNeeds[0]!.reasonTexts.some((r) => r.startsWith('Matches your needs: '))).toBe(true);
    const regional = await designated(otherSupplier.consortiumId, {
      slug: 'au-grid',
      title: 'African Union grid AI',
      targetCountries: [],
      targetRegions: ['african-union'],
      sectors: ['energy'],
    });
    const withRegion = await packagesFor(app, profile, { limit: 10 });
    expect(withRegion.find((s) => s.slug === regional.slug)!.reasonTexts).toEqual(['Available through the African Union']);
  });
});
