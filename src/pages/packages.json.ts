import type { APIRoute } from 'astro';
import type { z } from 'zod';
import { catalogSnapshot, matchRecords } from '../lib/opendata/catalog.ts';
import { badParams, cacheableJson, etagOf, searchUnavailable } from '../lib/opendata/http.ts';
import { paramSchemas, readParams, toPackageQuery } from '../lib/opendata/params.ts';
import type { SearchDownload } from '../lib/opendata/schemas.ts';

/** GET /packages.json?…: every package a search matches. */
export const GET: APIRoute = async ({ url, locals, request }) => {
  const parsed = readParams(paramSchemas(locals.app.reference).filters, url.searchParams);
  if (!parsed.ok) return badParams(parsed.problems);
  const { version } = await catalogSnapshot(locals.app);
  const matched = await matchRecords(locals.app, toPackageQuery(parsed.value));
  if (!matched.ok) return searchUnavailable();
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(parsed.value)) {
    if (Array.isArray(value)) query[name] = [...value].sort();
    else if (typeof value === 'string') query[name] = value;
  }
  const stable = { catalogVersion: version, query, count: matched.records.length, packages: matched.records };
  const body: z.infer<typeof SearchDownload> = { ...stable, generatedAt: new Date().toISOString() };
  // The validator leaves generatedAt out, so that the same results keep the same ETag.
  return cacheableJson(request, body, {
    cacheControl: 'public, max-age=300',
    etag: etagOf(JSON.stringify(stable)),
    headers: { 'content-disposition': 'attachment; filename="packages.json"' },
  });
};
