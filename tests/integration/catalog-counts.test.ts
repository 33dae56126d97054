import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { upsertPackage } from '../../db/queries/packages.ts';
import { demoCatalog } from '../../db/seed/index.ts';
import { syntheticPackages } from '../../bench/synthetic.ts';
import { connectSearch, type SearchClients } from '../../search/client.ts';
import { PACKAGES_INDEX } from '../../search/indexes/packages.ts';
import { reindexPackages } from '../../search/reindex.ts';
import { searchPackages } from '../../search/query.ts';
import { getCatalogVersion } from '../../db/queries/catalog-version.ts';
import { catalogCounts, type CatalogCounts } from '../../src/lib/catalog/counts.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';
import { buildPackage } from '../fixtures/packages.ts';
import { testDb } from '../fixtures/db.ts';

// The browse pages count designated packages from the database (src/lib/catalog/counts.ts) and
// keep the counts until the catalog's version moves; the search page counts them with
// Meilisearch facets. Two countings of the same catalog must agree, bloc membership included,
// and a write to the catalog must be seen by the next count.

const asObject = (map: Map<string, number>) => Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)));

describe('catalog counts for the browse pages', () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let clients: SearchClients;
  let ref: Reference;
  let counts: CatalogCounts;

  beforeAll(async () => {
    handle = await testDb();
    ref = await loadReference();
    clients = await connectSearch(inject('meiliUrl'), inject('meiliMasterKey'));
    await clients.admin.deleteIndex(PACKAGES_INDEX).waitTask();
    const packages = [
      ...demoCatalog(),
      ...syntheticPackages(150, 7),
      // Reaches Saudi Arabia only through its bloc, and the GCC only through a member.
      buildPackage({ slug: 'gcc-only', sectors: ['energy'], targetCountries: [], targetRegions: ['gcc'] }),
      buildPackage({ slug: 'qatar-only', sectors: ['energy'], targetCountries: ['QA'], targetRegions: [] }),
      // Listed under Saudi Arabia and the GCC once, though it names both.
      buildPackage({ slug: 'gcc-and-saudi', sectors: ['energy'], targetCountries: ['SA'], targetRegions: ['gcc'] }),
      buildPackage({ slug: 'gone', sectors: ['energy'], targetCountries: ['SA'], status: 'suspended' }),
    ];
    const noHardware = buildPackage({ slug: 'no-hardware', sectors: ['energy'], targetCountries: ['QA'] });
    noHardware.layers.hardware.supplied = false;
    packages.push(noHardware);
    for (const pkg of packages) await upsertPackage(handle.db, pkg);
    await reindexPackages(handle.db, clients.admin, ref);
    counts = await catalogCounts({ db: handle.db, reference: ref });
  });
  afterAll(async () => {
    await handle.close();
  });

  it('agree with the search facets for every sector, country, bloc and layer', async () => {
    const { facets, total } = await searchPackages(clients.search, {
      q: '',
      filters: {},
      sort: 'relevance',
      page: 1,
      perPage: 1,
    });
    const designated = await handle.db
      .selectFrom('package')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'designated')
      .executeTakeFirstOrThrow();
    expect(total).toBe(Number(designated.n));
    expect(asObject(counts.sectors)).toEqual(facets.sectors);
    expect(asObject(counts.countries)).toEqual(facets.countries);
    expect(asObject(counts.regions)).toEqual(facets.regions);
    expect(asObject(counts.layers)).toEqual(facets.layers);
    expect(counts.countries.size).toBeGreaterThan(30);
    expect(counts.regions.size).toBe(ref.regions.size);
  });

  it('counts each package once under a bloc and a country, named directly or through the bloc', async () => {
    const rows = await handle.db
      .selectFrom('package')
      .select(['slug', 'sectors', 'targetCountries', 'targetRegions', 'content'])
      .where('status', '=', 'designated')
      .execute();
    const gcc = ref.regions.get('gcc')!.members;
    const byHand = (test: (r: (typeof rows)[number]) => boolean) => rows.filter(test).length;
    expect(counts.countries.get('SA')).toBe(byHand((r) => r.targetCountries.includes('SA') || r.targetRegions.includes('gcc')));
    expect(counts.regions.get('gcc')).toBe(
      byHand((r) => r.targetRegions.includes('gcc') || r.targetCountries.some((c) => gcc.includes(c))),
    );
    expect(counts.sectors.get('energy')).toBe(byHand((r) => r.sectors.includes('energy')));
    expect(counts.layers.get('hardware')).toBe(byHand((r) => r.content.layers.hardware.supplied));
    expect(counts.layers.get('hardware')).toBeLessThan(rows.length);
    expect(counts.layers.get('models')).toBe(rows.length);
  });

  it('are kept while the catalog does not change, and made again after any write to it', async () => {
    const services = { db: handle.db, reference: ref };
    const version = await getCatalogVersion(handle.db);
    expect(await catalogCounts(services)).toBe(counts);
    expect(await getCatalogVersion(handle.db)).toBe(version);

    // A write that another process might make: straight to the table, no call into the site.
    const before = counts.sectors.get('energy')!;
    await handle.db.updateTable('package').set({ status: 'revoked' }).where('slug', '=', 'gcc-and-saudi').execute();
    expect(await getCatalogVersion(handle.db)).not.toBe(version);
    const after = await catalogCounts(services);
    expect(after).not.toBe(counts);
    expect(after.sectors.get('energy')).toBe(before - 1);
    expect(after.countries.get('SA')).toBe(counts.countries.get('SA')! - 1);

    // A transaction that is rolled back moves nothing.
    const moved = await getCatalogVersion(handle.db);
    await expect(
      handle.db.transaction().execute(async (tx) => {
        await tx.deleteFrom('package').execute();
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await getCatalogVersion(handle.db)).toBe(moved);
    expect(await catalogCounts(services)).toBe(after);
  });
});
