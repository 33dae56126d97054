import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../../db/schema/index.ts';
import { currentVerification, findVetting, insertVetting, listVettingEvents, vettingQueue } from '../../db/queries/vetting.ts';
import { connectSearch, type SearchClients } from '../../search/client.ts';
import type { MailMessage } from '../../src/lib/mail/index.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';
import { importScreeningList } from '../../src/lib/screening/import.ts';
import { DEFAULT_MIN_SCORE } from '../../src/lib/screening/match.ts';
import {
  decideVetting,
  provideInfo,
  requestState,
  requestVetting,
  vettingForOfficer,
  type VettingActor,
} from '../../src/lib/vetting/actions.ts';
import { addDays, addMonths, validityMonths } from '../../src/lib/vetting/config.ts';
import { readEvidence } from '../../src/lib/vetting/evidence.ts';
import { readFlags } from '../../src/lib/vetting/flags.ts';
import { expireVettings, remindRenewals, rescreenVerified } from '../../src/lib/vetting/jobs.ts';
import type { VettingServices } from '../../src/lib/vetting/services.ts';
import { isVerified } from '../../src/lib/vetting/state.ts';
import { coveredCountries } from '../../src/lib/vetting/territory.ts';
import { testDb } from '../fixtures/db.ts';
import { addOfficer, addOrganization, addUser } from '../fixtures/people.ts';

const demoList = readFileSync(new URL('../../db/seed/csl-demo.json', import.meta.url), 'utf8');

describe(`buyer vetting on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'} and a real Meilisearch`, () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let db: Kysely<Database>;
  let clients: SearchClients;
  let reference: Reference;
  let app: VettingServices;
  const outbox: MailMessage[] = [];
  const mailTo = (email: string) => outbox.filter((m) => m.to === email);

  let officerKe: VettingActor;
  let officerAu: VettingActor;
  let officerFr: VettingActor;
  let officerIr: VettingActor;
  let admin: VettingActor;

  /** A buyer organization with its owner (and a plain member). */
  const buyerOrg = (legalName: string, country: string) =>
    addOrganization(db, {
      kind: 'buyer',
      legalName,
      country,
      organizationType: 'hospital',
      registrationNumber: 'REG-1',
      website: 'https://example.org',
      address: '1 Test Road',
      sectors: ['healthcare'],
    });

  const request = (org: { organizationId: string; owner: VettingActor }, fields: Record<string, string> = {}, now?: Date) =>
    requestVetting(
      app,
      org.owner,
      org.organizationId,
      { alternateNames: '', endUse: 'Telemedicine for district hospitals', endUsers: 'Our own hospitals', ...fields },
      now,
    );

  beforeAll(async () => {
    handle = await testDb();
    db = handle.db;
    clients = await connectSearch(inject('meiliUrl'), inject('meiliMasterKey'));
    reference = await loadReference();
    app = {
      db,
      admin: clients.admin,
      reference,
      mailer: { send: async (m) => void outbox.push(m) },
      config: { siteUrl: 'http://localhost:4321' },
    };
    await importScreeningList(db, clients.admin, demoList, { filename: 'csl-demo.json', importedBy: 'test' });
    officerKe = await addOfficer(db, 'Officer Kenya', 'country', 'KE');
    officerAu = await addOfficer(db, 'Officer African Union', 'region', 'african-union');
    officerFr = await addOfficer(db, 'Officer France', 'country', 'FR');
    officerIr = await addOfficer(db, 'Officer Iran Desk', 'country', 'IR');
    admin = await addUser(db, 'admin', 'Site Admin');
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
  });

  it('reads the validity from VETTING_VALIDITY_MONTHS, 12 by default', () => {
    expect(validityMonths({})).toBe(12);
    expect(validityMonths({ VETTING_VALIDITY_MONTHS: '6' })).toBe(6);
    expect(() => validityMonths({ VETTING_VALIDITY_MONTHS: 'soon' })).toThrow(/VETTING_VALIDITY_MONTHS/);
    expect(addMonths(new Date('2026-01-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
  });

  it('a clean buyer: requested → pending (never automatic), verified by the officer for 12 months', async () => {
    const org = await buyerOrg('Savanna Telehealth Cooperative', 'KE');
    outbox.length = 0;
    const requested = await request(
      org,
      { alternateNames: 'STC Kenya\n\n  STC Kenya \nSavanna Health' },
      new Date('2026-06-14T09:00:00Z'),
    );
    expect(requested).toMatchObject({ ok: true, embargoed: false, candidates: 0 });
    if (!requested.ok) throw new Error('refused');
    const row = (await findVetting(db, requested.id))!;
    expect(row.state).toBe('pending');
    expect(row.alternateNames).toEqual(['STC Kenya', 'Savanna Health']);
    expect(row.requestedBy).toBe(org.owner.id);
    const evidence = readEvidence(row.screening);
    expect(evidence.list).toMatchObject({ filename: 'csl-demo.json', entryCount: 26 });
    expect(evidence.names).toEqual(['Savanna Telehealth Cooperative', 'STC Kenya', 'Savanna Health']);
    expect(evidence.candidates).toEqual([]);
    expect(readFlags(row.countryFlags)).toEqual([]);
    // The officers covering Kenya, directly and through the African Union, are told; nobody else.
    expect(mailTo(officerKe.email)).toHaveLength(1);
    expect(mailTo(officerAu.email)).toHaveLength(1);
    expect(mailTo(officerFr.email)).toHaveLength(0);
    expect(mailTo(officerKe.email)[0]!.text).toContain(`/officer/vetting/${requested.id}`);

    // A second request while one is open is refused; a plain member cannot ask; bad input is 400.
    expect(await request(org)).toMatchObject({ ok: false, status: 409 });
    expect(await requestVetting(app, org.member, org.organizationId, { endUse: 'x', endUsers: 'y' })).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await requestVetting(app, officerFr, org.organizationId, { endUse: 'x', endUsers: 'y' })).toMatchObject({
      ok: false,
      status: 404,
    });
    const other = await buyerOrg('Lakeside Clinics Group', 'KE');
    const bad = await requestVetting(app, other.owner, other.organizationId, {
      alternateNames: 'x'.repeat(300),
      endUse: ' ',
      endUsers: '',
    });
    expect(bad).toMatchObject({ ok: false, status: 400 });
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(['alternateNames', 'endUse', 'endUsers']);

    // The reason is required; the buyer cannot decide.
    expect(await decideVetting(app, officerKe, requested.id, { move: 'verify', reason: '  ' })).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(await decideVetting(app, org.owner, requested.id, { move: 'verify', reason: 'me' })).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(await decideVetting(app, officerKe, requested.id, { move: 'expire', reason: 'x' })).toMatchObject({
      ok: false,
      status: 409,
    });

    outbox.length = 0;
    const now = new Date('2026-06-15T09:00:00Z');
    const verified = await decideVetting(
      app,
      officerKe,
      requested.id,
      { move: 'verify', reason: 'Screened clean; registration confirmed.' },
      now,
    );
    expect(verified).toMatchObject({ ok: true, state: 'verified' });
    const after = (await findVetting(db, requested.id))!;
    expect(after).toMatchObject({
      state: 'verified',
      officerId: officerKe.id,
      decisionReason: 'Screened clean; registration confirmed.',
      newMatches: false,
    });
    expect(after.decidedAt!.toISOString()).toBe(now.toISOString());
    expect(after.expiresAt!.toISOString()).toBe('2027-06-15T09:00:00.000Z');
    expect(isVerified('verified', after.expiresAt, now)).toBe(true);
    expect(await currentVerification(db, org.organizationId, now)).toMatchObject({ id: requested.id });
    // The buyer's owner hears of it (not the plain member).
    expect(mailTo(org.owner.email)).toHaveLength(1);
    expect(mailTo(org.owner.email)[0]!.subject).toMatch(/verified/i);
    expect(mailTo(org.member.email)).toHaveLength(0);
    const events = await listVettingEvents(db, requested.id);
    expect(events.map((e) => [e.move, e.fromState, e.toState, e.actorId])).toEqual([
      ['request', 'none', 'pending', org.owner.id],
      ['verify', 'pending', 'verified', officerKe.id],
    ]);
    const audit = await db
      .selectFrom('audit_event')
      .select(['action', 'actorId'])
      .where('subjectId', '=', requested.id)
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'vetting-requested', actorId: org.owner.id },
      { action: 'vetting-decided', actorId: officerKe.id },
    ]);
    // Deciding again is refused by the state machine.
    expect(await decideVetting(app, officerKe, requested.id, { move: 'reject', reason: 'again' })).toMatchObject({
      ok: false,
      status: 409,
    });
  });

  it('a near match is held pending with the candidate and its scores, for the officer to decide', async () => {
    const org = await buyerOrg('Nairobi Digital Health Agency', 'KE');
    const requested = await request(org);
    expect(requested).toMatchObject({ ok: true, candidates: 1 });
    if (!requested.ok) throw new Error('refused');
    const row = (await findVetting(db, requested.id))!;
    expect(row.state).toBe('pending');
    const evidence = readEvidence(row.screening);
    // The default minimum score (SCREENING_MIN_SCORE unset), chosen from npm run screening:eval.
    expect(evidence.minScore).toBe(DEFAULT_MIN_SCORE);
    const [candidate] = evidence.candidates;
    expect(candidate).toMatchObject({
      entryId: 'demo-uvl-0002',
      matchedAlias: 'Nairobi Digitel Health Agency Ltd',
      matchedQuery: 'Nairobi Digital Health Agency',
      source: 'Unverified List (UVL) - Bureau of Industry and Security',
    });
    expect(candidate!.score).toBeGreaterThanOrEqual(DEFAULT_MIN_SCORE);
    expect(candidate!.score).toBeLessThan(1);
    expect(candidate!.scores.map((s) => s.alias)).toContain('NDHA Kenya');
    expect(evidence.list!.sources.length).toBeGreaterThan(0);
    const queue = await vettingQueue(db, { countries: await coveredCountries(db, reference, officerKe) });
    expect(queue.find((q) => q.id === requested.id)).toMatchObject({ state: 'pending', candidateCount: 1, listImported: true });
    expect(
      await decideVetting(app, officerKe, requested.id, { move: 'reject', reason: 'Same party as the UVL entry.' }),
    ).toMatchObject({ ok: true, state: 'rejected' });
    // Rejected: the buyer may ask again.
    expect((await requestState(db, org.organizationId)).canRequest).toBe(true);
  });

  it('a buyer in an embargoed destination is recorded with the flag and cannot be verified', async () => {
    const org = await buyerOrg('Zagros Medical Informatics', 'IR');
    const requested = await request(org);
    expect(requested).toMatchObject({ ok: true, embargoed: true });
    if (!requested.ok) throw new Error('refused');
    const row = (await findVetting(db, requested.id))!;
    expect(row.state).toBe('pending');
    const flags = readFlags(row.countryFlags);
    expect(flags).toContainEqual({ flag: 'embargoed' });
    expect(flags).toContainEqual({ flag: 'country-group', group: 'E:1' });
    expect(flags).toContainEqual({ flag: 'country-group', group: 'D:5' });
    const refused = await decideVetting(app, officerIr, requested.id, { move: 'verify', reason: 'Looks fine' });
    expect(refused).toMatchObject({ ok: false, status: 409 });
    if (!refused.ok) expect(refused.errors.move).toMatch(/embargoed/);
    expect((await findVetting(db, requested.id))!.state).toBe('pending');
    expect(await decideVetting(app, officerIr, requested.id, { move: 'reject', reason: 'Embargoed destination.' })).toMatchObject(
      { ok: true, state: 'rejected' },
    );
  });

  it('ask-info → provide-info → verify', async () => {
    const org = await buyerOrg('Mombasa Port Analytics', 'KE');
    const requested = await request(org);
    if (!requested.ok) throw new Error('refused');
    outbox.length = 0;
    expect(
      await decideVetting(app, officerAu, requested.id, { move: 'ask-info', reason: 'Who owns the company?' }),
    ).toMatchObject({ ok: true, state: 'info-requested' });
    expect(mailTo(org.owner.email)[0]!.text).toContain('Who owns the company?');
    expect(await decideVetting(app, officerAu, requested.id, { move: 'verify', reason: 'too early' })).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(await provideInfo(app, org.owner, requested.id, { answer: '' })).toMatchObject({ ok: false, status: 400 });
    expect(await provideInfo(app, org.member, requested.id, { answer: 'x' })).toMatchObject({ ok: false, status: 403 });
    expect(await provideInfo(app, officerFr, requested.id, { answer: 'x' })).toMatchObject({ ok: false, status: 404 });
    outbox.length = 0;
    expect(await provideInfo(app, org.owner, requested.id, { answer: 'The Port Authority, 100%.' })).toMatchObject({ ok: true });
    expect((await findVetting(db, requested.id))!.state).toBe('pending');
    // The officer who asked hears the answer.
    expect(mailTo(officerAu.email)[0]!.text).toContain('The Port Authority, 100%.');
    expect(await decideVetting(app, officerAu, requested.id, { move: 'verify', reason: 'Ownership confirmed.' })).toMatchObject({
      ok: true,
      state: 'verified',
    });
    const events = await listVettingEvents(db, requested.id);
    expect(events.map((e) => e.move)).toEqual(['request', 'ask-info', 'provide-info', 'verify']);
    expect(events[2]!.reason).toBe('The Port Authority, 100%.');
  });

  it('an officer outside the territory neither sees nor acts; an administrator sees all', async () => {
    const org = await buyerOrg('Kisumu Water Data Trust', 'KE');
    const requested = await request(org);
    if (!requested.ok) throw new Error('refused');
    expect(await vettingForOfficer(app, officerFr, requested.id)).toBeUndefined();
    expect(await decideVetting(app, officerFr, requested.id, { move: 'reject', reason: 'not mine' })).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(await vettingForOfficer(app, org.owner, requested.id)).toBeUndefined();
    expect(await vettingForOfficer(app, officerKe, requested.id)).toMatchObject({ id: requested.id });
    expect(await vettingForOfficer(app, admin, requested.id)).toMatchObject({ id: requested.id });
    const frQueue = await vettingQueue(db, { countries: await coveredCountries(db, reference, officerFr) });
    expect(frQueue.map((q) => q.id)).not.toContain(requested.id);
    expect(await coveredCountries(db, reference, admin)).toBeNull();
    const all = await vettingQueue(db, { countries: null });
    expect(all.map((q) => q.id)).toContain(requested.id);
    // Waiting requests first, oldest first.
    const states = all.map((q) => q.state);
    const firstDecided = states.findIndex((s) => s !== 'pending' && s !== 'info-requested');
    expect(states.slice(firstDecided).every((s) => s !== 'pending' && s !== 'info-requested')).toBe(true);
    expect((await findVetting(db, requested.id))!.state).toBe('pending');
  });

  it('a request made before any list was imported cannot be verified until screened again', async () => {
    const org = await buyerOrg('Thika Imaging Centre', 'KE');
    const row = await insertVetting(db, {
      organizationId: org.organizationId,
      requestedBy: org.owner.id,
      alternateNames: [],
      endUse: 'Radiology',
      endUsers: 'Patients',
      countryFlags: [],
      screening: {
        screenedAt: new Date().toISOString(),
        names: ['Thika Imaging Centre'],
        minScore: 0.85,
        list: null,
        via: 'search',
        candidates: [],
      },
    });
    const refused = await decideVetting(app, officerKe, row.id, { move: 'verify', reason: 'Looks fine' });
    expect(refused).toMatchObject({ ok: false, status: 409 });
    if (!refused.ok) expect(refused.errors.move).toMatch(/not screened/);
    expect(await decideVetting(app, officerKe, row.id, { move: 'screen-again' })).toMatchObject({
      ok: true,
      move: 'screen-again',
    });
    const after = (await findVetting(db, row.id))!;
    expect(readEvidence(after.screening).list).toMatchObject({ filename: 'csl-demo.json' });
    expect(after.newMatches).toBe(false);
    expect((await listVettingEvents(db, row.id)).map((e) => e.move)).toEqual(['screen-again']);
    expect(await decideVetting(app, officerFr, row.id, { move: 'screen-again' })).toMatchObject({ ok: false, status: 404 });
    expect(await decideVetting(app, officerKe, row.id, { move: 'verify', reason: 'Screened clean.' })).toMatchObject({
      ok: true,
      state: 'verified',
    });
  });

  it('reminds before expiry once, expires lapsed verifications, and lets the buyer renew', async () => {
    const org = await buyerOrg('Eldoret Agritech Union', 'KE');
    const decided = new Date('2026-02-01T12:00:00Z');
    const requested = await request(org, {}, decided);
    if (!requested.ok) throw new Error('refused');
    await decideVetting(app, officerKe, requested.id, { move: 'verify', reason: 'Clean.' }, decided);
    const expiresAt = (await findVetting(db, requested.id))!.expiresAt!;
    expect(expiresAt.toISOString()).toBe('2027-02-01T12:00:00.000Z');

    // Too early to renew; not yet reminded.
    expect(await requestState(db, org.organizationId, addDays(expiresAt, -90))).toMatchObject({
      canRequest: false,
      refusal: 'verified',
    });
    expect(await request(org, {}, addDays(expiresAt, -90))).toMatchObject({ ok: false, status: 409 });
    outbox.length = 0;
    expect((await remindRenewals(app, addDays(expiresAt, -45))).changed).toBe(0);
    const reminded = await remindRenewals(app, addDays(expiresAt, -20));
    expect(reminded.changed).toBeGreaterThanOrEqual(1);
    expect(mailTo(org.owner.email)).toHaveLength(1);
    expect(mailTo(org.owner.email)[0]!.subject).toMatch(/lapses soon/);
    expect((await findVetting(db, requested.id))!.reminderSentAt).not.toBeNull();
    expect((await remindRenewals(app, addDays(expiresAt, -10))).changed).toBe(0);
    expect(mailTo(org.owner.email)).toHaveLength(1);
    expect((await requestState(db, org.organizationId, addDays(expiresAt, -20))).canRequest).toBe(true);

    // Nothing lapses before its date; afterwards the state machine's expire is applied once.
    const before = await expireVettings(app, addDays(expiresAt, -1));
    expect((await findVetting(db, requested.id))!.state).toBe('verified');
    expect(before.changed).toBe(0);
    const expired = await expireVettings(app, addDays(expiresAt, 1));
    expect(expired.changed).toBeGreaterThanOrEqual(1);
    expect((await findVetting(db, requested.id))!.state).toBe('expired');
    expect((await listVettingEvents(db, requested.id)).at(-1)).toMatchObject({
      move: 'expire',
      fromState: 'verified',
      toState: 'expired',
      actorId: null,
    });
    expect(await currentVerification(db, org.organizationId, addDays(expiresAt, 1))).toBeUndefined();
    expect((await expireVettings(app, addDays(expiresAt, 2))).changed).toBe(0);
    expect((await requestState(db, org.organizationId, addDays(expiresAt, 1))).canRequest).toBe(true);
    expect(await request(org, {}, addDays(expiresAt, 1))).toMatchObject({ ok: true });
  });

  it('a re-import with a new matching entry re-screens and flags new matches to the officer', { timeout: 180_000 }, async () => {
    const org = await buyerOrg('Rift Valley Cloud Services', 'KE');
    const requested = await request(org);
    if (!requested.ok) throw new Error('refused');
    await decideVetting(app, officerKe, requested.id, { move: 'verify', reason: 'Clean.' });
    expect(readEvidence((await findVetting(db, requested.id))!.screening).candidates).toEqual([]);

    // The same list again: nothing new.
    expect((await rescreenVerified(app)).flagged).not.toContain(requested.id);

    const list = JSON.parse(demoList) as { results: Record<string, unknown>[]; total: number };
    const template = list.results[0]!;
    list.results.push({
      ...template,
      id: 'demo-el-9001',
      name: 'Rift Valley Cloud Services Ltd',
      alt_names: ['RVCS'],
      addresses: [{ address: '1 Ngong Road', city: 'Nairobi', state: null, postal_code: null, country: 'KE' }],
      start_date: '2026-04-01',
    });
    list.total = list.results.length;
    await importScreeningList(db, clients.admin, JSON.stringify(list), { filename: 'csl-2026-04.json', importedBy: 'test' });
    outbox.length = 0;
    const result = await rescreenVerified(app);
    expect(result.flagged).toContain(requested.id);
    const row = (await findVetting(db, requested.id))!;
    expect(row.newMatches).toBe(true);
    expect(row.state).toBe('verified');
    const evidence = readEvidence(row.screening);
    expect(evidence.list!.filename).toBe('csl-2026-04.json');
    expect(evidence.newEntryIds).toEqual(['demo-el-9001']);
    expect(evidence.candidates[0]).toMatchObject({ entryId: 'demo-el-9001', score: 1 });
    expect(evidence.history[0]).toMatchObject({ list: { filename: 'csl-demo.json' }, candidates: [] });
    expect(mailTo(officerKe.email).some((m) => m.subject.includes('Rift Valley Cloud Services'))).toBe(true);
    expect(mailTo(officerFr.email)).toHaveLength(0);
    const queue = await vettingQueue(db, { countries: ['KE'] });
    expect(queue.find((q) => q.id === requested.id)).toMatchObject({ newMatches: true, candidateCount: 1 });

    // Re-screening again finds nothing new: no second mail, the flag stays until reviewed.
    outbox.length = 0;
    expect((await rescreenVerified(app)).flagged).not.toContain(requested.id);
    expect(mailTo(officerKe.email)).toHaveLength(0);
    expect((await findVetting(db, requested.id))!.newMatches).toBe(true);
    expect(await decideVetting(app, officerKe, requested.id, { move: 'review-matches', reason: '' })).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(
      await decideVetting(app, officerKe, requested.id, {
        move: 'review-matches',
        reason: 'Different company: registered in 2019 under another number.',
      }),
    ).toMatchObject({ ok: true });
    expect((await findVetting(db, requested.id))!.newMatches).toBe(false);
  });
});
