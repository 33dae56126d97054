import type { APIRoute } from 'astro';
import { searchCatalog } from '../../../../lib/catalog/index.ts';
import { badParams, cacheableJson, searchUnavailable } from '../../../../lib/opendata/http.ts';
import { paramSchemas, readParams, toPackageQuery } from '../../../../lib/opendata/params.ts';

/** GET /api/v1/packages: full-text search of the catalog with facets (parameters: lib/opendata/params.ts). */
export const GET: APIRoute = async ({ url, locals, request }) => {
  const parsed = readParams(paramSchemas(locals.app.reference).search, url.searchParams);
  if (!parsed.ok) return badParams(parsed.problems);
  const outcome = await searchCatalog(locals.app, toPackageQuery(parsed.value));
  if (!outcome.ok) return searchUnavailable();
  const { hits, facets, total, page, perPage } = outcome.results;
  return cacheableJson(request, { hits, facets, total, page, perPage }, { cacheControl: 'public, max-age=30' });
};
