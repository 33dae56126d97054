import type { APIRoute } from 'astro';
import { SITE_OPERATOR } from 'astro:env/server';
import { matchRecords } from '../lib/opendata/catalog.ts';
import { packagesFeed } from '../lib/opendata/feed.ts';
import { badParams, cacheable, searchUnavailable } from '../lib/opendata/http.ts';
import { canonicalParams, paramSchemas, readParams, toPackageQuery } from '../lib/opendata/params.ts';

/** GET /packages.atom?sector=…&country=…: an Atom feed of the packages a search matches. */
export const GET: APIRoute = async ({ url, locals, request }) => {
  const { app } = locals;
  const parsed = readParams(paramSchemas(app.reference).filters, url.searchParams);
  if (!parsed.ok) return badParams(parsed.problems);
  const matched = await matchRecords(app, { ...toPackageQuery(parsed.value), sort: 'newest' });
  if (!matched.ok) return searchUnavailable();
  const { xml, updated } = packagesFeed({
    siteUrl: app.config.siteUrl,
    operator: SITE_OPERATOR,
    params: canonicalParams(parsed.value),
    records: matched.records,
    reference: app.reference,
  });
  return cacheable(request, xml, {
    contentType: 'application/atom+xml; charset=utf-8',
    cacheControl: 'public, max-age=300',
    lastModified: updated,
  });
};
