import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, migrateToLatest } from '../../db/index.ts';
import { isAppError } from '../../db/errors.ts';
import {
  countPackages,
  designatedPackagesBatches,
  findPackageBySlug,
  getPackageBySlug,
  listDesignatedPackages,
  upsertPackage,
} from '../../db/queries/packages.ts';
import { seedDemo } from '../../db/seed/index.ts';
import { buildPackage } from '../fixtures/packages.ts';
import { testDb } from '../fixtures/db.ts';

describe(`packages on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  beforeAll(async () => {
    handle = await testDb();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('applies migrations once and again without change', async () => {
    const again = await migrateToLatest(handle.db);
    expect(again.results).toEqual([]);
  });

  it('stores a package and reads it back whole, with an outbox row for search', async () => {
    const pkg = buildPackage({ slug: 'round-trip', title: 'Round trip' });
    const row = await upsertPackage(handle.db, pkg);
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    const read = await getPackageBySlug(handle.db, 'round-trip');
    expect(read.title).toBe('Round trip');
    expect(read.content.layers.hardware.usOriginContentPct).toBe(70);
    expect(read.content.consortium.members).toHaveLength(2);
    expect(read.designatedAt).toBeInstanceOf(Date);
    const outbox = await handle.db.selectFrom('search_outbox').selectAll().where('documentId', '=', row.id).execute();
    expect(outbox.length).toBeGreaterThanOrEqual(1);
  });

  it('updates by slug instead of duplicating', async () => {
    await upsertPackage(handle.db, buildPackage({ slug: 'updated', title: 'First' }));
    await upsertPackage(handle.db, buildPackage({ slug: 'updated', title: 'Second' }));
    expect((await getPackageBySlug(handle.db, 'updated')).title).toBe('Second');
    const all = await handle.db.selectFrom('package').select('id').where('slug', '=', 'updated').execute();
    expect(all).toHaveLength(1);
  });

  it('says a missing package is missing', async () => {
    expect(await findPackageBySlug(handle.db, 'no-such-package')).toBeUndefined();
    await expect(getPackageBySlug(handle.db, 'no-such-package')).rejects.toSatisfy((e) => isAppError(e, 'NOT_FOUND'));
  });

  it('browses designated packages by sector, country and bloc, newest first, hiding suspended ones', async () => {
    await upsertPackage(
      handle.db,
      buildPackage({ slug: 'farm-ke', sectors: ['agriculture'], targetCountries: ['KE'], designatedAt: new Date('2026-03-01') }),
    );
    await upsertPackage(
      handle.db,
      buildPackage({
        slug: 'farm-asean',
        sectors: ['agriculture'],
        targetCountries: [],
        targetRegions: ['asean'],
        designatedAt: new Date('2026-04-01'),
      }),
    );
    await upsertPackage(handle.db, buildPackage({ slug: 'farm-gone', sectors: ['agriculture'], status: 'suspended' }));

    const farms = await listDesignatedPackages(handle.db, { sector: 'agriculture' });
    expect(farms.rows.map((r) => r.slug)).toEqual(['farm-asean', 'farm-ke']);
    expect(farms.total).toBe(2);

    const vietnam = await listDesignatedPackages(handle.db, { countries: ['VN'], regions: ['asean'] });
    expect(vietnam.rows.map((r) => r.slug)).toContain('farm-asean');
    expect(vietnam.rows.map((r) => r.slug)).not.toContain('farm-ke');
  });

  it('walks every designated package in batches', async () => {
    const seen: string[] = [];
    for await (const batch of designatedPackagesBatches(handle.db, 2)) {
      expect(batch.length).toBeLessThanOrEqual(2);
      seen.push(...batch.map((r) => r.slug));
    }
    const { total } = await listDesignatedPackages(handle.db, { limit: 1000 });
    expect(new Set(seen).size).toBe(total);
    expect(seen).not.toContain('farm-gone');
  });

  it('loads the demo catalog, valid against the schema', async () => {
    const before = await countPackages(handle.db);
    const written = await seedDemo(handle.db);
    expect(written).toBeGreaterThanOrEqual(26);
    expect(await countPackages(handle.db)).toBe(before + written);
    const { total } = await listDesignatedPackages(handle.db);
    expect(total).toBeGreaterThanOrEqual(24);
  });
});

describe('the embedded database directory', () => {
  it('refuses a second opener with a message that says what to do, and lets go on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aix-lock-'));
    try {
      const first = await createDb({ dataDir: dir, purpose: 'the test site' });
      const second = createDb({ dataDir: dir, purpose: 'a seed' });
      await expect(second).rejects.toSatisfy(
        (e) => isAppError(e, 'DATA_DIR_LOCKED') && /stop the site first/.test((e as Error).message),
      );
      await first.close();
      const third = await createDb({ dataDir: dir });
      await third.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
