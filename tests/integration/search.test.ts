import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Meilisearch } from 'meilisearch';
import { upsertPackage } from '../../db/queries/packages.ts';
import { connectSearch, type SearchClients } from '../../search/client.ts';
import { applySettings } from '../../search/apply-settings.ts';
import { PACKAGES_INDEX, packageSettings } from '../../search/indexes/packages.ts';
import { reindexPackages } from '../../search/reindex.ts';
import { searchPackages, type PackageQuery } from '../../search/query.ts';
import { drainOutbox } from '../../search/sync.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';
import { buildPackage } from '../fixtures/packages.ts';
import { testDb } from '../fixtures/db.ts';

const query = (over: Partial<PackageQuery> = {}): PackageQuery => ({
  q: '',
  filters: {},
  sort: 'relevance',
  page: 1,
  perPage: 20,
  ...over,
});

describe('catalog search on a real Meilisearch', () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let clients: SearchClients;
  let ref: Reference;

  beforeAll(async () => {
    handle = await testDb();
    ref = await loadReference();
    clients = await connectSearch(inject('meiliUrl'), inject('meiliMasterKey'));
    await clients.admin.deleteIndex(PACKAGES_INDEX).waitTask();
    await upsertPackage(
      handle.db,
      buildPackage({
        slug: 'clinic-kenya',
        title: 'Telemedicine network for rural clinics',
        summary: 'Telemedicine and triage for district hospitals.',
        sectors: ['healthcare'],
        targetCountries: ['KE'],
      }),
    );
    await upsertPackage(
      handle.db,
      buildPackage({
        slug: 'arabic-llm',
        title: 'Arabic large language model platform',
        summary: 'An Arabic LLM for government services.',
        sectors: ['public-services'],
        targetCountries: [],
        targetRegions: ['gcc'],
        designatedAt: new Date('2026-09-01'),
      }),
    );
    await upsertPackage(
      handle.db,
      buildPackage({
        slug: 'crop-brazil',
        title: 'Crop forecasting for cooperatives',
        summary: 'Yield forecasts for farmers.',
        sectors: ['agriculture'],
        targetCountries: ['BR'],
        financing: [{ tool: 'dfc-equity', note: 'Equity.' }],
      }),
    );
    await upsertPackage(
      handle.db,
      buildPackage({ slug: 'suspended-one', title: 'Suspended telemedicine package', status: 'suspended' }),
    );
    const result = await reindexPackages(handle.db, clients.admin, ref);
    expect(result.documents).toBe(3);
    await handle.db.deleteFrom('search_outbox').execute();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('applies settings idempotently: the second time nothing differs', async () => {
    const diff = await applySettings(clients.admin, PACKAGES_INDEX, packageSettings);
    expect(diff).toEqual({});
    const settings = await clients.admin.index(PACKAGES_INDEX).getSettings();
    expect(settings.filterableAttributes).toEqual(
      expect.arrayContaining(['sectors', 'countries', 'regions', 'layers', 'financing']),
    );
    expect(settings.synonyms?.gpu).toContain('accelerator');
  });

  it('finds a package despite a typo, with the match highlighted and escaped', async () => {
    const results = await searchPackages(clients.search, query({ q: 'telemedicne' }));
    expect(results.hits.map((h) => h.slug)).toEqual(['clinic-kenya']);
    expect(results.hits[0]!.highlights.title).toMatch(/^<mark>Telemedicin/);
  });

  it('never returns suspended packages', async () => {
    const results = await searchPackages(clients.search, query({ q: 'suspended' }));
    expect(results.hits.map((h) => h.slug)).not.toContain('suspended-one');
  });

  it('expands synonyms: LLM finds “large language model”', async () => {
    const results = await searchPackages(clients.search, query({ q: 'llm' }));
    expect(results.hits.map((h) => h.slug)).toContain('arabic-llm');
  });

  it('finds a package under a member of the bloc it targets, and under the bloc of a country it targets', async () => {
    const qatar = await searchPackages(clients.search, query({ filters: { countries: ['QA'] } }));
    expect(qatar.hits.map((h) => h.slug)).toEqual(['arabic-llm']);
    const mercosur = await searchPackages(clients.search, query({ filters: { regions: ['mercosur'] } }));
    expect(mercosur.hits.map((h) => h.slug)).toEqual(['crop-brazil']);
  });

  it('counts facets disjunctively: choosing a sector keeps the other sectors’ counts', async () => {
    const results = await searchPackages(clients.search, query({ filters: { sectors: ['healthcare'] } }));
    expect(results.total).toBe(1);
    expect(results.facets.sectors).toMatchObject({ healthcare: 1, agriculture: 1, 'public-services': 1 });
    expect(results.facets.financing).toEqual({ 'exim-direct-loans': 1 });
  });

  it('combines facets with AND across and OR within', async () => {
    const both = await searchPackages(clients.search, query({ filters: { sectors: ['healthcare', 'agriculture'] } }));
    expect(both.total).toBe(2);
    const none = await searchPackages(clients.search, query({ filters: { sectors: ['healthcare'], financing: ['dfc-equity'] } }));
    expect(none.total).toBe(0);
  });

  it('sorts by newest and pages', async () => {
    const newest = await searchPackages(clients.search, query({ sort: 'newest', perPage: 1 }));
    expect(newest.hits[0]!.slug).toBe('arabic-llm');
    expect(newest.total).toBe(3);
    const second = await searchPackages(clients.search, query({ sort: 'newest', perPage: 1, page: 2 }));
    expect(second.hits).toHaveLength(1);
    expect(second.hits[0]!.slug).not.toBe('arabic-llm');
  });

  it('gives the site a key that can search but cannot write', async () => {
    const key = (await clients.admin.getKey('5f0c2b8e-3a9d-4e61-9c1f-0d6a2b7e4c11')).key;
    const searchOnly = new Meilisearch({ host: inject('meiliUrl'), apiKey: key });
    await expect(searchOnly.index(PACKAGES_INDEX).search('crop')).resolves.toBeTruthy();
    await expect(searchOnly.index(PACKAGES_INDEX).addDocuments([{ id: 'x' }])).rejects.toThrow();
    await expect(searchOnly.getKeys()).rejects.toThrow();
  });

  it('follows the outbox: a suspension removes the document, a new designation adds one', async () => {
    const suspended = buildPackage({
      slug: 'clinic-kenya',
      title: 'Telemedicine network for rural clinics',
      status: 'suspended',
    });
    await upsertPackage(handle.db, suspended);
    await upsertPackage(handle.db, buildPackage({ slug: 'grid-ai', title: 'Grid balancing AI', sectors: ['energy'] }));
    expect(await drainOutbox(handle.db, clients.admin, ref)).toBe(2);
    const results = await searchPackages(clients.search, query());
    expect(results.hits.map((h) => h.slug).sort()).toEqual(['arabic-llm', 'crop-brazil', 'grid-ai']);
    expect(await handle.db.selectFrom('search_outbox').selectAll().execute()).toEqual([]);
  });

  it('rebuilds the index by swapping, leaving no build index behind', async () => {
    const result = await reindexPackages(handle.db, clients.admin, ref);
    expect(result.documents).toBe(3);
    const { results } = await clients.admin.getIndexes();
    expect(results.map((i) => i.uid).filter((uid) => uid.startsWith(`${PACKAGES_INDEX}_build`))).toEqual([]);
  });
});
