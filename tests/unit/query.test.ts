import { beforeAll, describe, expect, it } from 'vitest';
import { parseCatalogQuery, queryToParams } from '../../src/lib/catalog/query.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';

let ref: Reference;
beforeAll(async () => {
  ref = await loadReference();
});

const parse = (qs: string) => parseCatalogQuery(new URLSearchParams(qs), ref);

describe('parseCatalogQuery', () => {
  it('takes an empty query as the whole catalog, first page, by relevance', () => {
    const parsed = parse('');
    expect(parsed).toEqual({ ok: true, query: { q: '', filters: {}, sort: 'relevance', page: 1, perPage: 20 } });
  });

  it('reads repeatable facets, de-duplicated, and upper-cases country codes', () => {
    const parsed = parse(
      'q=+grid+&sector=energy&sector=energy&sector=healthcare&country=ke&region=asean&layer=models&financing=dfc-equity&sort=newest&page=2&perPage=10',
    );
    expect(parsed.ok).toBe(true);
    expect(parsed.query).toEqual({
      q: 'grid',
      filters: {
        sectors: ['energy', 'healthcare'],
        countries: ['KE'],
        regions: ['asean'],
        layers: ['models'],
        financing: ['dfc-equity'],
      },
      sort: 'newest',
      page: 2,
      perPage: 10,
    });
  });

  it.each([
    ['sector=spaceflight', 'sector'],
    ['country=XX', 'country'],
    ['region=atlantis', 'region'],
    ['layer=firmware', 'layer'],
    ['financing=free-money', 'financing'],
    [`q=${'a'.repeat(201)}`, 'q'],
    ['page=0', 'page'],
    ['page=abc', 'page'],
    ['page=1.5', 'page'],
    ['perPage=51', 'perPage'],
    ['sort=price', 'sort'],
  ])('refuses %s, naming %s', (qs, param) => {
    const parsed = parse(qs);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.map((p) => p.param)).toEqual([param]);
  });

  it('accepts a query of exactly 200 characters', () => {
    expect(parse(`q=${'a'.repeat(200)}`).ok).toBe(true);
  });

  it('writes a query back to the same parameters', () => {
    const qs = 'q=grid&sector=energy&country=KE&sort=newest&page=3';
    const parsed = parse(qs);
    expect(queryToParams(parsed.query).toString()).toBe(qs);
    expect(queryToParams(parsed.query, { page: 1 }).get('page')).toBeNull();
  });
});
