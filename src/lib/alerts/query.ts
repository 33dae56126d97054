import type { SavedQuery } from '../../../db/schema/saved-search.ts';
import { FACETS } from '../../../search/indexes/packages.ts';
import type { PackageQuery } from '../../../search/query.ts';
import type { Translator, MessageKey } from '../../i18n/index.ts';
import { DEFAULT_PER_PAGE, FACET_PARAMS, parseCatalogQuery, queryToParams } from '../catalog/query.ts';
import type { Reference } from '../reference/index.ts';

/** The most a saved-search form may carry as its search (the URL parameters of /packages). */
export const MAX_QUERY_PARAMS = 4000;

/** What a saved search keeps of a search: its words and facets, without sort or page. */
export function toSavedQuery(query: PackageQuery): SavedQuery {
  const filters: SavedQuery['filters'] = {};
  for (const facet of FACETS) if (query.filters[facet]?.length) filters[facet] = [...query.filters[facet]!];
  return { q: query.q, filters };
}

/** The search of a saved search, as the search page and the alerts run it. */
export function toPackageQuery(saved: SavedQuery): PackageQuery {
  return { q: saved.q ?? '', filters: saved.filters ?? {}, sort: 'relevance', page: 1, perPage: DEFAULT_PER_PAGE };
}

/** The URL parameters of a saved search (for /packages and /packages.atom). */
export function savedQueryParams(saved: SavedQuery): string {
  return queryToParams(toPackageQuery(saved)).toString();
}

/** Reads a search from the parameters a form carried; undefined when they are not a valid search. */
export function parseSavedQuery(params: string, ref: Reference): SavedQuery | undefined {
  if (params.length > MAX_QUERY_PARAMS) return undefined;
  const parsed = parseCatalogQuery(new URLSearchParams(params), ref);
  return parsed.ok ? toSavedQuery(parsed.query) : undefined;
}

/** The search in words, e.g. “flood” · Sectors: Energy · Countries: Kenya, Chile. */
export function describeSavedQuery(saved: SavedQuery, ref: Reference, t: Translator): string {
  const label: Record<(typeof FACETS)[number], (v: string) => string> = {
    sectors: (v) => ref.sectorName(v),
    countries: (v) => ref.countryName(v),
    regions: (v) => ref.regionName(v),
    layers: (v) => t(`layer.${v}` as MessageKey),
    financing: (v) => ref.financingName(v),
  };
  const parts = saved.q ? [t('alerts.describe.words', { q: saved.q })] : [];
  for (const facet of FACETS) {
    const values = saved.filters[facet];
    if (values?.length) parts.push(`${t(`facet.${facet}` as MessageKey)}: ${values.map(label[facet]).join(', ')}`);
  }
  return parts.length ? parts.join(' · ') : t('alerts.describe.all');
}

/** A name to offer for a new saved search. */
export function suggestedName(saved: SavedQuery, ref: Reference, t: Translator): string {
  return describeSavedQuery(saved, ref, t).slice(0, 100);
}

export { FACET_PARAMS };
