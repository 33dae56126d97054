import { findPackageBySlug } from '../../../db/queries/packages.ts';
import type { PackageRow } from '../../../db/schema/package.ts';
import type { AppServices } from '../server/bootstrap.ts';
import type { PageModule } from '../server/page.ts';
import { searchCatalog } from './index.ts';
import { parseCatalogQuery } from './query.ts';

/** The most packages shown side by side: four columns still read on a laptop and print on A4. */
export const MAX_COMPARED = 4;
const SLUG = /^[a-z0-9-]{1,120}$/;

export interface CompareRequest {
  /** The packages asked for, in order, without repeats: at most MAX_COMPARED. */
  slugs: string[];
  /** True when more than MAX_COMPARED were asked for (the rest are left out). */
  truncated: boolean;
  /** Words to find a package to add. */
  q: string;
}

/** Reads `?p=slug&p=slug…&q=` (the comparison lives in its URL, so it can be shared and bookmarked). */
export function parseCompare(params: URLSearchParams): CompareRequest {
  const asked = [...new Set(params.getAll('p').filter((slug) => SLUG.test(slug)))];
  return {
    slugs: asked.slice(0, MAX_COMPARED),
    truncated: asked.length > MAX_COMPARED,
    q: (params.get('q') ?? '').slice(0, 200).trim(),
  };
}

/** The URL of a comparison of these packages. */
export function compareHref(slugs: string[]): string {
  const params = new URLSearchParams();
  for (const slug of slugs) params.append('p', slug);
  return `/compare${slugs.length ? `?${params}` : ''}`;
}

export interface Comparison {
  packages: PackageRow[];
  /** Slugs asked for that are not (or no longer) in the catalog. */
  unavailable: string[];
  /** Packages to add, found by `q` (designated, not already compared). */
  candidates: { slug: string; title: string; consortium: string }[];
  searchFailed: boolean;
}

export async function loadComparison(app: AppServices, request: CompareRequest): Promise<Comparison> {
  const rows = await Promise.all(request.slugs.map((slug) => findPackageBySlug(app.db, slug)));
  const packages = rows.filter((row): row is PackageRow => row?.status === 'designated');
  const unavailable = request.slugs.filter((slug) => !packages.some((p) => p.slug === slug));
  let candidates: Comparison['candidates'] = [];
  let searchFailed = false;
  if (request.q && packages.length < MAX_COMPARED) {
    const parsed = parseCatalogQuery(new URLSearchParams({ q: request.q, perPage: '8' }), app.reference);
    const outcome = parsed.ok ? await searchCatalog(app, parsed.query) : undefined;
    if (outcome?.ok) {
      candidates = outcome.results.hits
        .filter((hit) => !request.slugs.includes(hit.slug))
        .map((hit) => ({ slug: hit.slug, title: hit.title, consortium: hit.consortium }));
    } else searchFailed = parsed.ok;
  }
  return { packages, unavailable, candidates, searchFailed };
}

/**
 * /compare: up to four packages side by side (the comparison lives in its URL), and a search to
 * add one more.
 */
export const comparePage: PageModule<Comparison & { request: CompareRequest; slugs: string[]; room: boolean }> = {
  async load({ app, url }) {
    const request = parseCompare(url.searchParams);
    const comparison = await loadComparison(app, request);
    return {
      ...comparison,
      request,
      slugs: comparison.packages.map((p) => p.slug),
      room: comparison.packages.length < MAX_COMPARED,
    };
  },
};
