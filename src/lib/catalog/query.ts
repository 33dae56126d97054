import { LAYER_KEYS } from '../../../db/schema/package.ts';
import { FACETS, type Facet } from '../../../search/indexes/packages.ts';
import { SORTS, type PackageQuery, type Sort } from '../../../search/query.ts';
import type { MessageKey, Params } from '../../i18n/index.ts';
import { isCountryCode, type Reference } from '../reference/index.ts';

export const MAX_Q = 200;
export const MAX_PAGE = 500;
export const MAX_PER_PAGE = 50;
export const DEFAULT_PER_PAGE = 20;

/** The URL parameter of each facet (singular, repeatable), as the pages and the API take them. */
export const FACET_PARAMS: Record<Facet, string> = {
  sectors: 'sector',
  countries: 'country',
  regions: 'region',
  layers: 'layer',
  financing: 'financing',
};

export interface QueryProblem {
  /** The URL parameter at fault. */
  param: string;
  message: MessageKey;
  params?: Params;
}

export type ParsedQuery = { ok: true; query: PackageQuery } | { ok: false; problems: QueryProblem[]; query: PackageQuery };

function positiveInt(raw: string | null, fallback: number, max: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  if (!/^\d{1,6}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= max ? n : undefined;
}

/**
 * Reads a catalog search from URL parameters, for the search page and the API alike.
 * Every value is checked; the problems name the parameter at fault.
 */
export function parseCatalogQuery(params: URLSearchParams, ref: Reference): ParsedQuery {
  const problems: QueryProblem[] = [];
  const q = (params.get('q') ?? '').trim();
  if (q.length > MAX_Q) problems.push({ param: 'q', message: 'errors.q.tooLong' });

  const known: Record<Facet, (v: string) => boolean> = {
    sectors: (v) => ref.sectors.has(v),
    countries: (v) => isCountryCode(v),
    regions: (v) => ref.regions.has(v),
    layers: (v) => (LAYER_KEYS as readonly string[]).includes(v),
    financing: (v) => ref.financing.has(v),
  };
  const filters: PackageQuery['filters'] = {};
  for (const facet of FACETS) {
    const param = FACET_PARAMS[facet];
    const values = [
      ...new Set(
        params
          .getAll(param)
          .map((v) => v.trim())
          .filter(Boolean),
      ),
    ].map((v) => (facet === 'countries' ? v.toUpperCase() : v));
    const unknown = values.filter((v) => !known[facet](v));
    if (unknown.length) {
      problems.push({
        param,
        message: 'errors.facet.unknown',
        params: { facet: param, values: unknown.join(', ').slice(0, 200) },
      });
    }
    if (values.length) filters[facet] = values.filter((v) => known[facet](v)).slice(0, 50);
  }

  const sortRaw = params.get('sort') || 'relevance';
  const sort: Sort = (SORTS as readonly string[]).includes(sortRaw) ? (sortRaw as Sort) : 'relevance';
  if (sort !== sortRaw) problems.push({ param: 'sort', message: 'errors.sort.invalid' });

  const page = positiveInt(params.get('page'), 1, MAX_PAGE);
  if (page === undefined) problems.push({ param: 'page', message: 'errors.page.invalid', params: { max: MAX_PAGE } });
  const perPage = positiveInt(params.get('perPage'), DEFAULT_PER_PAGE, MAX_PER_PAGE);
  if (perPage === undefined)
    problems.push({ param: 'perPage', message: 'errors.perPage.invalid', params: { max: MAX_PER_PAGE } });

  const query: PackageQuery = {
    q: q.slice(0, MAX_Q),
    filters,
    sort,
    page: page ?? 1,
    perPage: perPage ?? DEFAULT_PER_PAGE,
  };
  return problems.length ? { ok: false, problems, query } : { ok: true, query };
}

/** The URL parameters of a query, for links (pagination, removing a filter). */
export function queryToParams(
  query: PackageQuery,
  overrides: Partial<Pick<PackageQuery, 'page' | 'sort'>> = {},
): URLSearchParams {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  for (const facet of FACETS) for (const v of query.filters[facet] ?? []) params.append(FACET_PARAMS[facet], v);
  const sort = overrides.sort ?? query.sort;
  if (sort !== 'relevance') params.set('sort', sort);
  const page = overrides.page ?? query.page;
  if (page > 1) params.set('page', String(page));
  if (query.perPage !== DEFAULT_PER_PAGE) params.set('perPage', String(query.perPage));
  return params;
}
