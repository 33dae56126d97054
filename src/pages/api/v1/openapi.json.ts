import type { APIRoute } from 'astro';
import { badParams, cacheableJson } from '../../../lib/opendata/http.ts';
import { openApiDocument } from '../../../lib/opendata/openapi.ts';
import { NoParams, readParams } from '../../../lib/opendata/params.ts';

/** GET /api/v1/openapi.json: the OpenAPI 3.1 document, generated from the request and answer schemas. */
export const GET: APIRoute = async ({ url, locals, request }) => {
  const parsed = readParams(NoParams, url.searchParams);
  if (!parsed.ok) return badParams(parsed.problems);
  return cacheableJson(request, openApiDocument(locals.app.reference, locals.app.config.siteUrl), {
    cacheControl: 'public, max-age=3600',
  });
};
