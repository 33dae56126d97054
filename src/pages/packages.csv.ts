import type { APIRoute } from 'astro';
import { matchRecords, recordsToCsv } from '../lib/opendata/catalog.ts';
import { badParams, cacheable, searchUnavailable } from '../lib/opendata/http.ts';
import { paramSchemas, readParams, toPackageQuery } from '../lib/opendata/params.ts';

/** GET /packages.csv?…: every package a search matches, one CSV row each. */
export const GET: APIRoute = async ({ url, locals, request }) => {
  const parsed = readParams(paramSchemas(locals.app.reference).filters, url.searchParams);
  if (!parsed.ok) return badParams(parsed.problems);
  const matched = await matchRecords(locals.app, toPackageQuery(parsed.value));
  if (!matched.ok) return searchUnavailable();
  return cacheable(request, recordsToCsv(matched.records), {
    contentType: 'text/csv; charset=utf-8; header=present',
    cacheControl: 'public, max-age=300',
    headers: { 'content-disposition': 'attachment; filename="packages.csv"' },
  });
};
