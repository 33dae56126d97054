import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, filterRecords, recordsToCsv } from '../../src/lib/opendata/catalog.ts';
import { packagesFeed, tagUri } from '../../src/lib/opendata/feed.ts';
import { etagOf, notModified } from '../../src/lib/opendata/http.ts';
import { openApiDocument } from '../../src/lib/opendata/openapi.ts';
import { paramSchemas, readParams, toPackageQuery } from '../../src/lib/opendata/params.ts';
import type { CatalogRecord } from '../../src/lib/opendata/schemas.ts';
import { robotsTxt, sitemapXml } from '../../src/lib/opendata/sitemap.ts';
import { suppress } from '../../src/lib/statistics/suppress.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';
import { validateAtom } from '../fixtures/atom.ts';

let ref: Reference;
beforeAll(async () => {
  ref = await loadReference();
});

const record = (overrides: Partial<CatalogRecord> = {}): CatalogRecord => ({
  slug: 'solar-grid',
  title: 'Solar grid',
  summary: 'A grid.',
  url: 'http://localhost:4321/packages/solar-grid',
  consortium: 'Grid Consortium',
  anchorMember: 'Anchor Inc.',
  sectors: ['energy'],
  targetCountries: ['KE'],
  targetRegions: ['asean'],
  countries: ['KE', 'ID'],
  regions: ['african-union', 'asean'],
  layers: ['hardware', 'models'],
  financing: ['exim-loans'],
  deploymentModel: 'hybrid',
  usOriginContentPct: 60,
  designatedAt: '2026-01-02T00:00:00.000Z',
  updatedAt: '2026-02-03T00:00:00.000Z',
  ...overrides,
});

describe('request parameters (zod)', () => {
  const read = (qs: string) => readParams(paramSchemas(ref).search, new URLSearchParams(qs));

  it('reads repeatable facets, trimmed and de-duplicated, country codes in any case', () => {
    const parsed = read('q=+grid+&sector=energy&sector=energy&country=ke&page=2&perPage=10&sort=newest');
    expect(parsed).toEqual({
      ok: true,
      value: { q: 'grid', sector: ['energy'], country: ['KE'], page: 2, perPage: 10, sort: 'newest' },
    });
    if (parsed.ok)
      expect(toPackageQuery(parsed.value)).toMatchObject({ q: 'grid', filters: { sectors: ['energy'], countries: ['KE'] } });
  });

  it('refuses an unknown parameter, naming it', () => {
    expect(read('sectr=energy')).toEqual({
      ok: false,
      problems: [{ param: 'sectr', detail: 'Unknown parameter: sectr.' }],
    });
  });

  it('names each bad value: an unknown facet value, a page out of range, a repeated single parameter', () => {
    const parsed = read('sector=spaceflight&page=0&sort=a&sort=b');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.param).sort()).toEqual(['sort']);
    const values = read('sector=spaceflight&page=0&perPage=51&q=' + 'x'.repeat(201));
    expect(values.ok).toBe(false);
    if (values.ok) return;
    expect(values.problems.map((p) => p.param).sort()).toEqual(['page', 'perPage', 'q', 'sector']);
    expect(values.problems.find((p) => p.param === 'sector')?.detail).toContain('spaceflight');
  });

  it('the feeds and downloads take no paging', () => {
    const parsed = readParams(paramSchemas(ref).filters, new URLSearchParams('page=2'));
    expect(parsed).toMatchObject({ ok: false, problems: [{ param: 'page' }] });
  });
});

describe('OpenAPI document', () => {
  it('describes the parameters from the same schemas, enums included', () => {
    const doc = openApiDocument(ref, 'http://localhost:4321') as {
      openapi: string;
      paths: Record<string, { get: { parameters: { name: string; schema: { items?: { enum?: string[] } } }[] } }>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const params = doc.paths['/api/v1/packages']!.get.parameters;
    expect(params.map((p) => p.name)).toEqual([
      'q',
      'sector',
      'country',
      'region',
      'layer',
      'financing',
      'sort',
      'page',
      'perPage',
    ]);
    expect(params.find((p) => p.name === 'sector')!.schema.items!.enum).toEqual([...ref.sectors.keys()]);
  });
});

describe('CSV', () => {
  it('has one row per package under the documented columns', () => {
    const csv = recordsToCsv([record(), record({ slug: 'b', sectors: ['energy', 'healthcare'] })]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ slug: 'b', sectors: 'energy; healthcare', countries: 'KE; ID', layers: 'hardware; models' });
  });

  it('escapes cells a spreadsheet would run as formulas', () => {
    const csv = recordsToCsv([
      record({ title: '=HYPERLINK("http://evil.example","x")', summary: '+1', consortium: '-2', anchorMember: '@SUM(A1)' }),
      record({ title: '\tTabbed', summary: '\rReturn' }),
    ]);
    const rows = parse(csv, { bom: true, columns: true, relax_quotes: true }) as Record<string, string>[];
    expect(rows[0]).toMatchObject({
      title: `'=HYPERLINK("http://evil.example","x")`,
      summary: "'+1",
      consortium: "'-2",
      anchor_member: "'@SUM(A1)",
    });
    expect(rows[1]!.title).toBe("'\tTabbed");
    expect(rows[1]!.summary).toBe("'\rReturn");
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('filters on the snapshot', () => {
  it('ORs values of one facet and ANDs facets, as the search does', () => {
    const records = [record({ slug: 'a' }), record({ slug: 'b', sectors: ['healthcare'], countries: ['FR'] })];
    expect(filterRecords(records, { sectors: ['energy', 'healthcare'] }).map((r) => r.slug)).toEqual(['a', 'b']);
    expect(filterRecords(records, { sectors: ['energy', 'healthcare'], countries: ['FR'] }).map((r) => r.slug)).toEqual(['b']);
  });
});

describe('Atom feed', () => {
  it('is valid RFC 4287 with stable tag: ids', () => {
    const { xml } = packagesFeed({
      siteUrl: 'http://localhost:4321',
      operator: 'ITA',
      params: new URLSearchParams('sector=energy'),
      records: [record(), record({ slug: 'other', title: 'Other <b>&</b>', updatedAt: '2026-03-01T00:00:00.000Z' })],
      reference: ref,
    });
    const feed = validateAtom(xml);
    expect(feed.id).toBe('tag:localhost,2025-10-21:packages?sector=energy');
    expect(feed.entries.map((e) => e.id)).toEqual([
      'tag:localhost,2025-10-21:packages/other',
      'tag:localhost,2025-10-21:packages/solar-grid',
    ]);
    expect(feed.updated).toBe('2026-03-01T00:00:00.000Z');
    expect(feed.links).toContainEqual({ rel: 'self', href: 'http://localhost:4321/packages.atom?sector=energy' });
    expect(tagUri('https://aiexports.gov/', 'packages/x')).toBe('tag:aiexports.gov,2025-10-21:packages/x');
  });
});

describe('conditional requests', () => {
  const req = (headers: Record<string, string>) => new Request('http://localhost/x', { headers });
  it('answers 304 for a matching ETag, weak or not, and for a date not older than Last-Modified', () => {
    const etag = etagOf('body');
    expect(notModified(req({ 'if-none-match': etag }), etag)).toBe(true);
    expect(notModified(req({ 'if-none-match': `"other", W/${etag}` }), etag)).toBe(true);
    expect(notModified(req({ 'if-none-match': '"other"' }), etag)).toBe(false);
    const modified = new Date('2026-01-01T10:00:00.500Z');
    expect(notModified(req({ 'if-modified-since': 'Thu, 01 Jan 2026 10:00:00 GMT' }), etag, modified)).toBe(true);
    expect(notModified(req({ 'if-modified-since': 'Thu, 01 Jan 2026 09:59:59 GMT' }), etag, modified)).toBe(false);
    // If-None-Match wins over If-Modified-Since.
    expect(
      notModified(req({ 'if-none-match': '"x"', 'if-modified-since': 'Thu, 01 Jan 2099 00:00:00 GMT' }), etag, modified),
    ).toBe(false);
  });
});

describe('discovery', () => {
  it('writes a sitemap urlset with escaped addresses, and robots.txt naming it', () => {
    const xml = sitemapXml([{ loc: 'http://x/packages?a=1&b=2', lastmod: '2026-01-01T00:00:00.000Z' }]);
    expect(xml).toContain('<loc>http://x/packages?a=1&amp;b=2</loc>');
    expect(xml).toContain('xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"');
    const robots = robotsTxt('https://site.example/');
    expect(robots).toContain('Sitemap: https://site.example/sitemap.xml');
    // The signed-in areas are not for crawlers; signing in and up are public pages.
    expect(robots).toMatch(/^Disallow: \/account\/$/m);
    expect(robots).toMatch(/^Allow: \/account\/sign-in$/m);
    expect(robots).toMatch(/^Allow: \/account\/sign-up$/m);
  });
});

describe('small counts', () => {
  const cells = (counts: number[]) => counts.map((count, i) => ({ key: `k${i}`, label: `K${i}`, count }));
  it('withholds 1 to min-1, publishes zero', () => {
    expect(suppress(cells([0, 1, 4, 5]), 5).map((c) => c.count)).toEqual([0, null, null, 5]);
  });
  it('withholds one more cell when a published total would give a lone withheld cell away', () => {
    expect(suppress(cells([9, 2, 7]), 5, { total: 18 }).map((c) => c.count)).toEqual([9, null, null]);
    // Not when the cells do not add up to the total (a country in two blocs).
    expect(suppress(cells([9, 2, 7]), 5, { total: 17 }).map((c) => c.count)).toEqual([9, null, 7]);
  });
});
