import type { Meilisearch, MultiSearchQuery, SearchResponse } from 'meilisearch';
import { FACETS, PACKAGES_INDEX, type Facet, type PackageDocument } from './indexes/packages.ts';
import { LAYER_KEYS, type LayerKey } from '../db/schema/package.ts';

export const SORTS = ['relevance', 'newest'] as const;
export type Sort = (typeof SORTS)[number];

export interface PackageQuery {
  q: string;
  filters: Partial<Record<Facet, string[]>>;
  sort: Sort;
  page: number;
  perPage: number;
}

export interface PackageHit {
  slug: string;
  title: string;
  summary: string;
  sectors: string[];
  countries: string[];
  regions: string[];
  layers: string[];
  financing: string[];
  consortium: string;
  designatedAt: string;
  /** Title and summary, HTML-escaped, with matched words wrapped in <mark>. */
  highlights: { title: string; summary: string };
  /**
   * Where the words matched inside the stack (an offering or a layer's summary), when they did:
   * the layer and a short cropped passage, HTML-escaped, with the matches in <mark>.
   */
  snippet?: { layer: LayerKey; html: string };
}

export interface PackageResults {
  hits: PackageHit[];
  facets: Record<Facet, Record<string, number>>;
  total: number;
  page: number;
  perPage: number;
  processingTimeMs: number;
}

// Markers Meilisearch puts around matches; the text is escaped first, then they become <mark>.
const PRE = '\u0002';
const POST = '\u0003';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function markHighlights(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    .replaceAll(PRE, '<mark>')
    .replaceAll(POST, '</mark>');
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** `(a = x OR a = y) AND (b = z)` for every facet but `except`. */
export function filterExpression(filters: PackageQuery['filters'], except?: Facet): string[] {
  return FACETS.filter((f) => f !== except && (filters[f]?.length ?? 0) > 0).map(
    (f) => `(${filters[f]!.map((v) => `${f} = ${quote(v)}`).join(' OR ')})`,
  );
}

/** Words of a layer's text kept around a match. */
const SNIPPET_WORDS = 18;

/** The first layer whose text matched, when the title and summary did not say it all. */
function snippetOf(formatted: Partial<Record<string, unknown>> | undefined): { snippet?: PackageHit['snippet'] } {
  for (const layer of LAYER_KEYS) {
    const text = formatted?.[layer];
    if (typeof text === 'string' && text.includes(PRE)) {
      return { snippet: { layer, html: markHighlights(text.replace(/\s+/g, ' ').trim()) } };
    }
  }
  return {};
}

/**
 * One catalog search: hits and facet counts. Facets are disjunctive: each facet's counts
 * ignore that facet's own selection (so choosing one sector still shows the others'
 * counts), which takes one extra query per facet in use, sent together in a multi-search.
 */
export async function searchPackages(client: Meilisearch, query: PackageQuery): Promise<PackageResults> {
  const main: MultiSearchQuery = {
    indexUid: PACKAGES_INDEX,
    q: query.q,
    filter: filterExpression(query.filters),
    facets: [...FACETS],
    hitsPerPage: query.perPage,
    page: query.page,
    attributesToRetrieve: [
      ...(query.q.trim() ? LAYER_KEYS : []),
      'slug',
      'title',
      'summary',
      'sectors',
      'countries',
      'regions',
      'layers',
      'financing',
      'consortium',
      'designatedAt',
    ],
    attributesToHighlight: ['title', 'summary'],
    // With words to match, the layers' texts come back cropped around the matches, for a snippet.
    ...(query.q.trim() ? { attributesToCrop: LAYER_KEYS.map((key) => `${key}:${SNIPPET_WORDS}`), cropMarker: '…' } : {}),
    highlightPreTag: PRE,
    highlightPostTag: POST,
    sort: query.sort === 'newest' ? ['designatedAt:desc'] : undefined,
  };
  const active = FACETS.filter((f) => (query.filters[f]?.length ?? 0) > 0);
  const extra: MultiSearchQuery[] = active.map((facet) => ({
    indexUid: PACKAGES_INDEX,
    q: query.q,
    filter: filterExpression(query.filters, facet),
    facets: [facet],
    limit: 0,
  }));
  const { results } = await client.multiSearch({ queries: [main, ...extra] });
  const first = results[0] as unknown as SearchResponse<PackageDocument>;
  const facets = Object.fromEntries(FACETS.map((f) => [f, first.facetDistribution?.[f] ?? {}])) as PackageResults['facets'];
  active.forEach((facet, i) => {
    facets[facet] = (results[i + 1] as unknown as SearchResponse).facetDistribution?.[facet] ?? {};
  });
  return {
    hits: first.hits.map((hit) => ({
      slug: hit.slug,
      title: hit.title,
      summary: hit.summary,
      sectors: hit.sectors,
      countries: hit.countries,
      regions: hit.regions,
      layers: hit.layers,
      financing: hit.financing,
      consortium: hit.consortium,
      designatedAt: new Date(hit.designatedAt * 1000).toISOString(),
      highlights: {
        title: markHighlights(hit._formatted?.title ?? hit.title),
        summary: markHighlights(hit._formatted?.summary ?? hit.summary),
      },
      ...snippetOf(hit._formatted),
    })),
    facets,
    total: first.totalHits ?? first.estimatedTotalHits ?? 0,
    page: query.page,
    perPage: query.perPage,
    processingTimeMs: first.processingTimeMs,
  };
}
