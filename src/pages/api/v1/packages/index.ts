import type { APIRoute } from 'astro';
import { searchCatalog } from '../../../../lib/catalog/index.ts';
import { parseCatalogQuery } from '../../../../lib/catalog/query.ts';
import { problem } from '../../../../lib/server/problem.ts';
import { useTranslations } from '../../../../i18n/index.ts';

/** GET /api/v1/packages: full-text search of the catalog with facets. */
export const GET: APIRoute = async ({ url, locals }) => {
  const t = useTranslations();
  const parsed = parseCatalogQuery(url.searchParams, locals.app.reference);
  if (!parsed.ok) {
    return problem({
      title: 'Invalid query parameters',
      status: 400,
      detail: parsed.problems.map((p) => `${p.param}: ${t(p.message, p.params)}`).join(' '),
      errors: parsed.problems.map((p) => ({ param: p.param, detail: t(p.message, p.params) })),
    });
  }
  const outcome = await searchCatalog(locals.app, parsed.query);
  if (!outcome.ok) {
    return problem(
      { title: 'Search unavailable', status: 503, detail: 'The search service cannot be reached. Try again later.' },
      { 'retry-after': '30' },
    );
  }
  const { hits, facets, total, page, perPage } = outcome.results;
  return Response.json({ hits, facets, total, page, perPage }, { headers: { 'cache-control': 'public, max-age=30' } });
};
