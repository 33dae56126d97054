import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPackage } from '../../db/queries/packages.ts';
import type { Database } from '../../db/schema/index.ts';
import {
  moveIntroduction,
  requestIntroduction,
  type IntroductionServices,
  type IntroductionUser,
} from '../../src/lib/introductions/actions.ts';
import { businessDaysBetween } from '../../src/lib/introductions/state.ts';
import { Statistics, type Cell } from '../../src/lib/opendata/schemas.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';
import { median, programStatistics, statisticsRows } from '../../src/lib/statistics/figures.ts';
import { addConsortium } from '../fixtures/consortia.ts';
import { testDb } from '../fixtures/db.ts';
import { buildPackage } from '../fixtures/packages.ts';
import { addOrganization, addUser } from '../fixtures/people.ts';

// The program statistics (src/lib/statistics) from a known set of introductions, made with the
// site's own actions on dated moves: the figures must agree with what is in the database,
// counted here again with SQL, and with the numbers worked out by hand below. Counts of
// introductions and buyers from 1 to 4 are withheld (minimum 5).

const MIN = 5;
const NOW = new Date('2026-06-01T12:00:00Z');
const day = (d: string, h = 10) => new Date(`2026-03-${d}T${String(h).padStart(2, '0')}:00:00Z`);
const request = {
  needs: 'A national health data platform',
  timeline: 'Within a year',
  budgetBand: '10m-50m',
  deploymentModel: 'hybrid',
  financingInterest: 'yes',
  participants: 'The ministry',
};

const byKey = (cells: Cell[]) => Object.fromEntries(cells.map((c) => [c.key, c.withheld ? 'withheld' : c.count]));

describe(`program statistics on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let db: Kysely<Database>;
  let reference: Reference;
  let app: IntroductionServices;
  let stats: Statistics;

  beforeAll(async () => {
    handle = await testDb();
    db = handle.db;
    reference = await loadReference();
    app = { db, reference, mailer: { send: async () => {} }, config: { siteUrl: 'http://localhost:4321' } };
    const admin: IntroductionUser = await addUser(db, 'admin', 'Statistics Admin');

    const supplier = await addOrganization(db, { kind: 'supplier', legalName: 'Anchor Stats Inc.', country: 'US' });
    const consortiumId = await addConsortium(db, { name: 'Stats Consortium', anchorOrganizationId: supplier.organizationId });
    const proposal = await db
      .insertInto('proposal')
      .values({ consortiumId, state: 'designated', draft: '{}', packageId: null, changeState: null, submittedAt: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const pkg = await upsertPackage(
      db,
      buildPackage({ slug: 'stats-package', sectors: ['healthcare'], targetCountries: ['KE', 'ID', 'BR'] }),
      { proposalId: proposal.id },
    );
    await db.updateTable('proposal').set({ packageId: pkg.id }).where('id', '=', proposal.id).execute();
    // Two more designated packages, and one suspended that no figure counts.
    await upsertPackage(
      db,
      buildPackage({ slug: 'stats-energy', sectors: ['energy'], targetCountries: ['ID'], designatedAt: new Date('2026-01-15') }),
    );
    await upsertPackage(db, buildPackage({ slug: 'stats-gone', sectors: ['energy'], status: 'suspended' }));

    // 20 verified buyers who ask (12 in Kenya, 6 in Indonesia, 2 in Brazil), one verified buyer in
    // Japan (in no listed bloc) who does not, and one whose verification lapsed.
    const countries = [...Array(12).fill('KE'), ...Array(6).fill('ID'), 'BR', 'BR'] as string[];
    const buyers: IntroductionUser[] = [];
    const verify = async (organizationId: string, expiresAt: Date) =>
      db
        .insertInto('vetting')
        .values({
          organizationId,
          state: 'verified',
          requestedBy: null,
          alternateNames: [],
          endUse: 'Hospitals',
          endUsers: 'Staff',
          countryFlags: '[]',
          screening: '{}',
          officerId: admin.id,
          decisionReason: 'Clean',
          decidedAt: new Date('2026-01-05T00:00:00Z'),
          expiresAt,
          reminderSentAt: null,
        })
        .execute();
    for (const [i, country] of countries.entries()) {
      const org = await addOrganization(db, { kind: 'buyer', legalName: `Buyer ${i} ${country}`, country });
      await verify(org.organizationId, new Date('2099-01-01T00:00:00Z'));
      buyers.push(org.owner);
    }
    const japan = await addOrganization(db, { kind: 'buyer', legalName: 'Buyer Japan', country: 'JP' });
    await verify(japan.organizationId, new Date('2099-01-01T00:00:00Z'));
    const lapsed = await addOrganization(db, { kind: 'buyer', legalName: 'Buyer Lapsed', country: 'KE' });
    await verify(lapsed.organizationId, new Date('2026-02-01T00:00:00Z'));

    // Every request on Monday 2 March 2026.
    const ids: string[] = [];
    for (const buyer of buyers) {
      const made = await requestIntroduction(app, buyer, 'stats-package', request, day('02'));
      if (!made.ok) throw new Error(`request refused: ${JSON.stringify(made)}`);
      ids.push(made.id);
    }
    const move = async (actor: IntroductionUser, id: string, input: Record<string, unknown>, at: Date) => {
      const moved = await moveIntroduction(app, actor, id, input, at);
      if (!moved.ok) throw new Error(`${String(input.move)} refused: ${JSON.stringify(moved)}`);
    };
    const consortium = supplier.owner;
    // 3 withdrawn by their buyer, 2 declined by the officer (1 business day).
    for (const i of [0, 1, 2]) await move(buyers[i]!, ids[i]!, { move: 'withdraw' }, day('03'));
    for (const i of [3, 4]) await move(admin, ids[i]!, { move: 'decline', note: 'Out of scope' }, day('03'));
    // 10 taken in 2 business days, 5 in 5 (late: the target is 3).
    for (let i = 5; i < 15; i++) await move(admin, ids[i]!, { move: 'take' }, day('04'));
    for (let i = 15; i < 20; i++) await move(admin, ids[i]!, { move: 'take' }, day('09'));
    // 13 brokered on Tuesday 10 March (the last two taken stay taken).
    for (let i = 5; i < 18; i++) await move(admin, ids[i]!, { move: 'broker', note: 'Brief' }, day('10'));
    // 8 accepted in 2 business days, 2 refused in 8 (late: the target is 5), 3 left waiting.
    for (let i = 5; i < 13; i++) await move(consortium, ids[i]!, { move: 'accept', note: 'Tuesday?' }, day('12'));
    for (const i of [13, 14]) await move(consortium, ids[i]!, { move: 'refuse', note: 'No capacity' }, day('20'));
    // 7 meetings held 3 business days after acceptance, each closed 2 business days later.
    for (let i = 5; i < 12; i++) await move(admin, ids[i]!, { move: 'hold-meeting' }, day('17'));
    const outcomes = [
      'deal-signed',
      'deal-signed',
      'deal-signed',
      'deal-signed',
      'deal-signed',
      'in-negotiation',
      'in-negotiation',
    ];
    for (let i = 5; i < 12; i++) await move(admin, ids[i]!, { move: 'close', outcome: outcomes[i - 5] }, day('19'));

    stats = await programStatistics({ db, reference, config: { siteUrl: 'http://localhost:4321' } } as never, {
      minCount: MIN,
      now: NOW,
    });
  }, 180_000);

  afterAll(async () => {
    await handle?.close();
  });

  it('has the shape the API documents', () => {
    expect(Statistics.safeParse(stats).success).toBe(true);
    expect(stats.minCount).toBe(MIN);
  });

  it('counts the designated packages as the database holds them', async () => {
    const { n } = await db
      .selectFrom('package')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'designated')
      .executeTakeFirstOrThrow();
    expect(stats.packages.total).toBe(Number(n));
    expect(stats.packages.total).toBe(2);
    expect(byKey(stats.packages.bySector)).toEqual({ healthcare: 1, energy: 1 });
    expect(stats.packages.byRegion.find((c) => c.key === 'asean')?.count).toBe(2);
    const months = stats.packages.designatedOverTime;
    expect(months[0]).toMatchObject({ month: '2026-01', designated: 1, cumulative: 1 });
    expect(months.at(-1)!.cumulative).toBe(2);
    // Every month between, none skipped.
    for (let i = 1; i < months.length; i++) expect(months[i]!.month > months[i - 1]!.month).toBe(true);
  });

  it('follows the funnel as the introductions and their events say', async () => {
    const reached = async (state: string) => {
      const row = await db
        .selectFrom('introduction_event')
        .select(sql<number>`count(distinct "introductionId")`.as('n'))
        .where('toState', '=', state)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const { n: requested } = await db
      .selectFrom('introduction')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(byKey(stats.introductions.funnel)).toEqual({
      requested: Number(requested),
      brokered: await reached('brokered'),
      accepted: await reached('accepted'),
      'meeting-held': await reached('meeting-held'),
      outcome: await reached('closed'),
    });
    expect(byKey(stats.introductions.funnel)).toEqual({
      requested: 20,
      brokered: 13,
      accepted: 8,
      'meeting-held': 7,
      outcome: 7,
    });
  });

  it('withholds small counts, and one more where a total would give one away', () => {
    // 5 deals signed are published; 2 in negotiation are withheld, and with them the 0 of
    // "no fit", since 7 closed minus 5 would tell the 2.
    expect(byKey(stats.introductions.outcomes)).toEqual({
      'deal-signed': 5,
      'in-negotiation': 'withheld',
      'no-fit': 'withheld',
    });
    expect(byKey(stats.introductions.ended)).toEqual({ declined: 'withheld', refused: 'withheld', withdrawn: 'withheld' });
    for (const cell of [...stats.introductions.outcomes, ...stats.introductions.ended]) {
      if (cell.withheld) expect(cell.count).toBeNull();
    }
    const csv = statisticsRows(stats).filter((row) => row[0] === 'outcomes');
    expect(csv).toContainEqual(['outcomes', 'in-negotiation', 'In negotiation', null, 'true']);
  });

  it('times each stage in business days, with the share within the targets', async () => {
    // Requested → taken (or declined): 2 × 1 day, 10 × 2, 5 × 5; 12 of 17 within 3 days.
    const taken = stats.introductions.stages.find((s) => s.key === 'taken')!;
    expect(taken).toMatchObject({ cases: 17, medianBusinessDays: 2, targetBusinessDays: 3, withinTargetShare: 0.706 });
    // The same from the events in the database.
    const rows = await db
      .selectFrom('introduction')
      .innerJoin('introduction_event', 'introduction_event.introductionId', 'introduction.id')
      .select(['introduction.createdAt', 'introduction_event.at'])
      .where('introduction_event.move', 'in', ['take', 'decline'])
      .execute();
    const days = rows.map((r) => businessDaysBetween(new Date(r.createdAt), new Date(r.at)));
    expect(taken.cases).toBe(days.length);
    expect(taken.medianBusinessDays).toBe(median(days));

    const byStage = Object.fromEntries(stats.introductions.stages.map((s) => [s.key, s]));
    expect(byStage.brokered).toMatchObject({
      cases: 13,
      medianBusinessDays: 4,
      targetBusinessDays: null,
      withinTargetShare: null,
    });
    // Brokered → answered: 8 × 2 days, 2 × 8; 3 still waiting past the 5 days count as missed: 8 of 13.
    expect(byStage.answered).toMatchObject({ cases: 10, medianBusinessDays: 2, targetBusinessDays: 5, withinTargetShare: 0.615 });
    expect(byStage['meeting-held']).toMatchObject({ cases: 7, medianBusinessDays: 3 });
    expect(byStage.closed).toMatchObject({ cases: 7, medianBusinessDays: 2 });
  });

  it('counts buyers verified today by the blocs of their country', async () => {
    expect(reference.regionsOf('KE')).toEqual(['african-union']);
    expect(reference.regionsOf('JP')).toEqual([]);
    const { n } = await db
      .selectFrom('vetting')
      .select(sql<number>`count(distinct "organizationId")`.as('n'))
      .where('state', '=', 'verified')
      .where('expiresAt', '>', NOW)
      .executeTakeFirstOrThrow();
    expect(stats.buyers.verified).toMatchObject({ count: Number(n), withheld: false });
    expect(stats.buyers.verified.count).toBe(21);
    expect(byKey(stats.buyers.byRegion)).toMatchObject({
      'african-union': 12,
      asean: 6,
      mercosur: 'withheld',
      other: 'withheld',
      eu: 0,
      gcc: 0,
    });
  });

  it('withholds every introduction figure when the minimum is above them', async () => {
    const strict = await programStatistics({ db, reference, config: { siteUrl: 'http://localhost:4321' } } as never, {
      minCount: 50,
      now: NOW,
    });
    expect(strict.introductions.funnel.every((c) => c.withheld && c.count === null)).toBe(true);
    expect(strict.introductions.stages.every((s) => s.withheld && s.medianBusinessDays === null)).toBe(true);
    expect(strict.buyers.verified.withheld).toBe(true);
    // Packages are public: never withheld.
    expect(strict.packages.bySector.every((c) => !c.withheld)).toBe(true);
  });
});
