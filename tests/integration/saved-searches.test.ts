import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { upsertPackage } from '../../db/queries/packages.ts';
import { exportUserData } from '../../src/lib/account/data.ts';
import { findSavedSearch, listSavedSearches } from '../../db/queries/saved-searches.ts';
import type { PackageContent } from '../../db/schema/package.ts';
import type { AlertFrequency } from '../../db/schema/saved-search.ts';
import { connectSearch, type SearchClients } from '../../search/client.ts';
import { applySettings } from '../../search/apply-settings.ts';
import { PACKAGES_INDEX, packageSettings } from '../../search/indexes/packages.ts';
import { drainOutbox } from '../../search/sync.ts';
import { useTranslations } from '../../src/i18n/index.ts';
import { claimMails, composeMails, MAIL_LEASE_MS, runAlerts, type AlertServices } from '../../src/lib/alerts/job.ts';
import { MAX_SAVED_SEARCHES, postSavedSearches, type SavedSearchContext } from '../../src/lib/alerts/page.ts';
import { loadUnsubscribe, postUnsubscribe } from '../../src/lib/alerts/unsubscribe.ts';
import { createMailer } from '../../src/lib/mail/index.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';
import { parseMessage, type StoredMail } from '../e2e/mail.ts';
import { testAuth } from '../fixtures/accounts.ts';
import { testDb } from '../fixtures/db.ts';
import { buildPackage } from '../fixtures/packages.ts';
import { addUser, type TestUser } from '../fixtures/people.ts';
import { startSmtp } from '../fixtures/smtp.ts';

// Issue 12: a buyer saves a search; a package designated or updated that matches it is mailed
// once (immediately, or in a daily or weekly digest), with a signed unsubscribe link; the job
// survives being run twice and a crash between its claim and its send.
const SITE = 'http://alerts.test';
const DAY = 24 * 60 * 60_000;

describe('saved searches and alerts', () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let clients: SearchClients;
  let ref: Reference;
  let app: AlertServices;
  let buyer: TestUser;
  let other: TestUser;
  let counter = 0;

  beforeAll(async () => {
    handle = await testDb();
    ref = await loadReference();
    smtp = await startSmtp();
    clients = await connectSearch(inject('meiliUrl'), inject('meiliMasterKey'));
    await applySettings(clients.admin, PACKAGES_INDEX, packageSettings);
    const db = handle.db;
    app = {
      db,
      mailer: createMailer({ db, smtpUrl: smtp.url, from: 'Test <test@example.com>' }),
      auth: testAuth(db, SITE),
      config: { siteUrl: SITE },
      search: { clients: () => clients },
    };
    buyer = await addUser(db, 'buyer', 'Amina Wanjiru');
    other = await addUser(db, 'buyer', 'Budi Santoso');
  });
  afterAll(async () => {
    await smtp?.stop();
    await handle?.close();
  });
  beforeEach(async () => {
    // Each test starts from no saved search and no queued change.
    await handle.db.deleteFrom('saved_search').execute();
    await handle.db.deleteFrom('package_change').execute();
  });

  const ctx = (user: TestUser): SavedSearchContext => ({ db: handle.db, reference: ref, userId: user.id, lang: 'en' });
  const form = (fields: Record<string, string>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    return f;
  };
  async function save(user: TestUser, query: string, frequency: AlertFrequency = 'immediate', name = 'Flood forecasting') {
    const result = await postSavedSearches(ctx(user), form({ intent: 'create', name, frequency, query }));
    expect(result).toMatchObject({ ok: true });
    const rows = await listSavedSearches(handle.db, user.id);
    return rows.at(-1)!;
  }
  /** A package designated (or, with the slug of one, updated), then indexed as the outbox worker does. */
  async function designate(overrides: Partial<PackageContent>, index = true) {
    counter++;
    const row = await upsertPackage(handle.db, buildPackage({ slug: `alerts-package-${counter}`, ...overrides }));
    if (index) while ((await drainOutbox(handle.db, clients.admin, ref)) > 0);
    return row;
  }
  const mailTo = (user: TestUser): StoredMail[] =>
    smtp.messages.filter((m) => m.to.includes(user.email)).map((m) => parseMessage(m.raw, m.to));
  const unsubscribeLink = (mail: StoredMail) => {
    const match = /(http:\/\/alerts\.test\/alerts\/unsubscribe\?\S+)/.exec(mail.text);
    expect(match, `an unsubscribe link in:\n${mail.text}`).not.toBeNull();
    return new URL(match![1]!);
  };
  const flood = (title: string) => ({
    title,
    summary: 'Flood forecasting and early warning for river basins.',
    sectors: ['energy'],
    targetCountries: ['KE'],
  });

  it('mails a matching package once, with a working one-click unsubscribe, and nothing for one that does not match', async () => {
    const before = mailTo(buyer).length;
    const search = await save(buyer, 'q=flood&sector=energy');
    const match = await designate(flood('Tana River Flood Forecasting'));
    await designate({ title: 'Clinic Triage for Rural Hospitals', summary: 'Triage.', sectors: ['healthcare'] });
    // Flood words but another sector: not this search.
    await designate({ ...flood('Coastal Flood Warning for Clinics'), sectors: ['healthcare'] });

    const first = await runAlerts(app);
    expect(first).toMatchObject({ matched: 1, composed: 1, sent: 1, failed: 0 });
    const mails = mailTo(buyer).slice(before);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toBe('New package for “Flood forecasting”: Tana River Flood Forecasting');
    expect(mail.text).toContain(`${SITE}/packages/${match.slug}`);
    expect(mail.text).not.toContain('Clinic');
    const link = unsubscribeLink(mail);
    const headers = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
    expect(headers.split(/\r?\n/)).toEqual(
      expect.arrayContaining([`List-Unsubscribe: <${link.href}>`, 'List-Unsubscribe-Post: List-Unsubscribe=One-Click']),
    );

    // Run again: nothing more.
    expect(await runAlerts(app)).toMatchObject({ matched: 0, composed: 0, sent: 0 });
    expect(mailTo(buyer).slice(before)).toHaveLength(1);

    // The link's GET only asks; the one-click POST (to the link itself) turns the mail off.
    expect(await loadUnsubscribe(app, link.searchParams.get('s')!, link.searchParams.get('t')!)).toMatchObject({
      kind: 'confirm',
      name: 'Flood forecasting',
    });
    expect((await findSavedSearch(handle.db, search.id))!.frequency).toBe('immediate');
    const oneClick = await postUnsubscribe(app, link, form({ 'List-Unsubscribe': 'One-Click' }));
    expect(oneClick).toMatchObject({ kind: 'off' });
    expect((await findSavedSearch(handle.db, search.id))!.frequency).toBe('off');

    // Off: a new match sends nothing.
    await designate(flood('Nzoia Basin Flood Forecasting'));
    expect(await runAlerts(app)).toMatchObject({ sent: 0 });
    expect(mailTo(buyer).slice(before)).toHaveLength(1);
  });

  it('mails in the language the search was saved in, with links to the pages in that language', async () => {
    const before = mailTo(buyer).length;
    const result = await postSavedSearches(
      { ...ctx(buyer), lang: 'es' },
      form({ intent: 'create', name: 'Inundaciones', frequency: 'immediate', query: 'q=flood&sector=energy' }),
    );
    expect(result).toMatchObject({ ok: true });
    const match = await designate(flood('Rufiji Flood Forecasting'));
    expect(await runAlerts(app)).toMatchObject({ matched: 1, sent: 1 });
    const [mail] = mailTo(buyer).slice(before);
    const spanish = useTranslations('es');
    expect(mail!.subject).toBe(spanish('alerts.mail.subject.one', { name: 'Inundaciones', title: match.title }));
    expect(mail!.subject).not.toBe(
      useTranslations('en')('alerts.mail.subject.one', { name: 'Inundaciones', title: match.title }),
    );
    expect(mail!.text).toContain(`${SITE}/es/packages/${match.slug}`);
    expect(mail!.text).toContain(`${SITE}/es/buyer/searches`);
    // The unsubscribe link works whatever the language (it is not a page in a language).
    expect(unsubscribeLink(mail!).pathname).toBe('/alerts/unsubscribe');
  });

  it('refuses an unsubscribe link whose signature does not hold, and changes nothing', async () => {
    const search = await save(buyer, 'q=flood');
    const before = mailTo(buyer).length;
    await designate(flood('Athi River Flood Forecasting'));
    await runAlerts(app);
    const link = unsubscribeLink(mailTo(buyer).slice(before)[0]!);
    const token = link.searchParams.get('t')!;
    const forged = `${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}`;
    const bad = new URL(link);
    bad.searchParams.set('t', forged);
    expect(await postUnsubscribe(app, bad, undefined)).toEqual({ kind: 'invalid' });
    // Another saved search's id with this one's signature.
    const mine = await save(other, 'q=grid');
    const swapped = new URL(link);
    swapped.searchParams.set('s', mine.id);
    expect(await postUnsubscribe(app, swapped, undefined)).toEqual({ kind: 'invalid' });
    expect(await loadUnsubscribe(app, 'not-a-uuid', token)).toEqual({ kind: 'invalid' });
    expect((await findSavedSearch(handle.db, search.id))!.frequency).toBe('immediate');
    expect((await findSavedSearch(handle.db, mine.id))!.frequency).toBe('immediate');
    // The form's fields serve as well as the URL's (the confirmation page's button).
    const page = await postUnsubscribe(app, new URL(`${SITE}/alerts/unsubscribe`), form({ s: search.id, t: token }));
    expect(page).toMatchObject({ kind: 'off' });
  });

  it('waits for the search index before matching, so a change is never skipped', async () => {
    const before = mailTo(buyer).length;
    await save(buyer, 'q=flood');
    await designate(flood('Rufiji Flood Forecasting'), false);
    expect(await runAlerts(app)).toMatchObject({ changes: 0, sent: 0 });
    expect(await handle.db.selectFrom('package_change').select('id').execute()).toHaveLength(1);
    // Search down: the change waits too.
    const down = { ...app, search: { clients: () => undefined } };
    while ((await drainOutbox(handle.db, clients.admin, ref)) > 0);
    expect(await runAlerts(down)).toMatchObject({ changes: 0, sent: 0 });
    expect(await runAlerts(app)).toMatchObject({ changes: 1, matched: 1, sent: 1 });
    expect(
      mailTo(buyer)
        .slice(before)
        .map((m) => m.subject),
    ).toEqual(['New package for “Flood forecasting”: Rufiji Flood Forecasting']);
  });

  it('never sends twice: run twice at once, and after a crash between claim and send', async () => {
    const before = mailTo(buyer).length;
    await save(buyer, 'q=flood');
    await designate(flood('Limpopo Flood Forecasting'));
    const [a, b] = await Promise.all([runAlerts(app), runAlerts(app)]);
    expect(a.sent + b.sent).toBe(1);
    expect(mailTo(buyer).slice(before)).toHaveLength(1);

    // A crash: the mail is composed and claimed, and the process dies before sending it.
    const now = new Date();
    await designate(flood('Zambezi Flood Forecasting'));
    expect(await runAlerts({ ...app, mailer: { send: () => Promise.reject(new Error('not this run')) } }, now)).toMatchObject({
      composed: 1,
      failed: 1,
    });
    // The failed send is retried later (back-off); first, simulate a claim whose process dies.
    await handle.db.updateTable('saved_search_mail').set({ availableAt: now }).where('sentAt', 'is', null).execute();
    expect(await claimMails(handle.db, now)).toHaveLength(1);
    // Within the lease nothing is sent (the claim may still be sending)…
    expect(await runAlerts(app, new Date(now.getTime() + 1000))).toMatchObject({ sent: 0 });
    expect(mailTo(buyer).slice(before)).toHaveLength(1);
    // …after it, the mail goes, once.
    const later = new Date(now.getTime() + MAIL_LEASE_MS + 1000);
    expect(await runAlerts(app, later)).toMatchObject({ sent: 1 });
    expect(await runAlerts(app, new Date(later.getTime() + MAIL_LEASE_MS + 1000))).toMatchObject({ sent: 0 });
    const subjects = mailTo(buyer)
      .slice(before)
      .map((m) => m.subject);
    expect(subjects).toEqual([
      'New package for “Flood forecasting”: Limpopo Flood Forecasting',
      'New package for “Flood forecasting”: Zambezi Flood Forecasting',
    ]);
    // The same match is recorded once, whatever ran.
    expect(await composeMails(app, later)).toBe(0);
  });

  it('mails an updated package again, once per version', async () => {
    const before = mailTo(buyer).length;
    await save(buyer, 'q=flood');
    const pkg = await designate(flood('Mekong Flood Forecasting'));
    await runAlerts(app);
    await designate({ ...flood('Mekong Flood Forecasting and Dam Operations'), slug: pkg.slug });
    expect(await runAlerts(app)).toMatchObject({ matched: 1, sent: 1 });
    expect(await runAlerts(app)).toMatchObject({ sent: 0 });
    expect(
      mailTo(buyer)
        .slice(before)
        .map((m) => m.subject),
    ).toEqual([
      'New package for “Flood forecasting”: Mekong Flood Forecasting',
      'New package for “Flood forecasting”: Mekong Flood Forecasting and Dam Operations',
    ]);
  });

  it('batches daily and weekly alerts into one mail when the period has passed', async () => {
    const before = mailTo(buyer).length;
    const daily = await save(buyer, 'q=flood', 'daily', 'Daily floods');
    const weekly = await save(buyer, 'q=flood', 'weekly', 'Weekly floods');
    const start = new Date(daily.createdAt.getTime() + 1000);
    await designate(flood('Niger Flood Forecasting'));
    await designate(flood('Volta Flood Forecasting'));
    expect(await runAlerts(app, start)).toMatchObject({ matched: 4, composed: 0, sent: 0 });

    const day1 = new Date(start.getTime() + DAY);
    expect(await runAlerts(app, day1)).toMatchObject({ composed: 1, sent: 1 });
    let mails = mailTo(buyer).slice(before);
    expect(mails.map((m) => m.subject)).toEqual(['2 new packages for “Daily floods”']);
    expect(mails[0]!.text).toContain('Niger Flood Forecasting');
    expect(mails[0]!.text).toContain('Volta Flood Forecasting');

    // A third package: the daily digest waits a day from its last mail; the weekly one a week.
    await designate(flood('Senegal Flood Forecasting'));
    expect(await runAlerts(app, new Date(day1.getTime() + 60 * 60_000))).toMatchObject({ composed: 0 });
    expect(await runAlerts(app, new Date(day1.getTime() + DAY))).toMatchObject({ composed: 1, sent: 1 });
    expect(await runAlerts(app, new Date(start.getTime() + 7 * DAY))).toMatchObject({ composed: 1, sent: 1 });
    mails = mailTo(buyer).slice(before);
    expect(mails.map((m) => m.subject)).toEqual([
      '2 new packages for “Daily floods”',
      'New package for “Daily floods”: Senegal Flood Forecasting',
      '3 new packages for “Weekly floods”',
    ]);
    expect((await findSavedSearch(handle.db, weekly.id))!.lastMailedAt).not.toBeNull();
  });

  it('keeps each buyer to their own saved searches, refuses stale forms, long names and more than the limit', async () => {
    const mine = await save(buyer, 'q=flood&country=KE');
    // Another buyer sees none of it and can change none of it.
    expect((await listSavedSearches(handle.db, other.id)).map((s) => s.id)).not.toContain(mine.id);
    const theirs = ctx(other);
    expect(
      await postSavedSearches(
        theirs,
        form({ intent: 'update', id: mine.id, version: String(mine.version), name: 'Mine now', frequency: 'off' }),
      ),
    ).toMatchObject({ ok: false, status: 404 });
    expect(await postSavedSearches(theirs, form({ intent: 'delete', id: mine.id }))).toMatchObject({ ok: false, status: 404 });
    expect(await findSavedSearch(handle.db, mine.id)).toMatchObject({ name: 'Flood forecasting', frequency: 'immediate' });

    // The owner renames it; a form made from the older version is refused with 409, nothing lost.
    const renamed = await postSavedSearches(
      ctx(buyer),
      form({ intent: 'update', id: mine.id, version: String(mine.version), name: 'Kenya floods', frequency: 'daily' }),
    );
    expect(renamed).toMatchObject({ ok: true });
    const stale = await postSavedSearches(
      ctx(buyer),
      form({ intent: 'update', id: mine.id, version: String(mine.version), name: 'Old tab', frequency: 'weekly' }),
    );
    expect(stale).toMatchObject({
      ok: false,
      status: 409,
      values: { name: 'Old tab', frequency: 'weekly', version: String(mine.version + 1) },
    });
    expect(await findSavedSearch(handle.db, mine.id)).toMatchObject({ name: 'Kenya floods', frequency: 'daily' });

    const long = await postSavedSearches(
      ctx(buyer),
      form({ intent: 'create', name: 'x'.repeat(101), frequency: 'daily', query: 'q=grid' }),
    );
    expect(long).toMatchObject({ ok: false, status: 400, errors: { name: expect.any(String) } });
    const badQuery = await postSavedSearches(
      ctx(buyer),
      form({ intent: 'create', name: 'Bad', frequency: 'daily', query: 'sector=not-a-sector' }),
    );
    expect(badQuery).toMatchObject({ ok: false, status: 400, errors: { query: expect.any(String) } });
    const badFrequency = await postSavedSearches(
      ctx(buyer),
      form({ intent: 'create', name: 'Bad', frequency: 'hourly', query: 'q=grid' }),
    );
    expect(badFrequency).toMatchObject({ ok: false, status: 400, errors: { frequency: expect.any(String) } });

    for (let i = (await listSavedSearches(handle.db, buyer.id)).length; i < MAX_SAVED_SEARCHES; i++) {
      await save(buyer, `q=grid${i}`, 'off', `Search ${i}`);
    }
    const over = await postSavedSearches(
      ctx(buyer),
      form({ intent: 'create', name: 'One more', frequency: 'daily', query: 'q=x' }),
    );
    expect(over).toMatchObject({ ok: false, status: 409, values: { name: 'One more' } });
    expect(await listSavedSearches(handle.db, buyer.id)).toHaveLength(MAX_SAVED_SEARCHES);

    // The buyer's data export holds them; the other buyer's does not.
    expect((await exportUserData(handle.db, buyer.id)).savedSearches.map((x) => x.name)).toContain('Kenya floods');
    expect((await exportUserData(handle.db, other.id)).savedSearches.map((x) => x.name)).not.toContain('Kenya floods');

    // The owner deletes it (and deleting it again is done, not an error).
    expect(await postSavedSearches(ctx(buyer), form({ intent: 'delete', id: mine.id }))).toMatchObject({ ok: true });
    expect(await postSavedSearches(ctx(buyer), form({ intent: 'delete', id: mine.id }))).toMatchObject({ ok: true });
    expect(await findSavedSearch(handle.db, mine.id)).toBeUndefined();
  });
});
