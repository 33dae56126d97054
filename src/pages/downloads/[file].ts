import type { APIRoute } from 'astro';
import { bulkDownload, catalogSnapshot } from '../../lib/opendata/catalog.ts';
import { badParams, cacheable } from '../../lib/opendata/http.ts';
import { NoParams, readParams } from '../../lib/opendata/params.ts';
import { problem } from '../../lib/server/problem.ts';

const FILE = /^catalog(?:-(\d{1,20}))?\.(json|csv)$/;

/**
 * GET /downloads/catalog.{json,csv}: 302 to the current version's file;
 * GET /downloads/catalog-<version>.{json,csv}: the whole catalog at that version (immutable:
 * the catalog_version row names it, and a file of a version never changes).
 */
export const GET: APIRoute = async ({ params, url, locals, request }) => {
  const match = FILE.exec(params.file ?? '');
  if (!match) return problem({ title: 'Not found', status: 404, detail: 'The downloads are catalog.json and catalog.csv.' });
  const parsed = readParams(NoParams, url.searchParams);
  if (!parsed.ok) return badParams(parsed.problems);
  const [, asked, format] = match as unknown as [string, string | undefined, 'json' | 'csv'];
  const { version } = await catalogSnapshot(locals.app);
  const current = `/downloads/catalog-${version}.${format}`;
  if (asked === undefined) {
    return new Response(null, { status: 302, headers: { location: current, 'cache-control': 'no-cache' } });
  }
  if (asked !== version) {
    return problem(
      {
        title: 'Superseded catalog version',
        status: 410,
        detail: `The catalog is now at version ${version}: ${current}.`,
        currentVersion: version,
      },
      { link: `<${current}>; rel="latest-version"` },
    );
  }
  const download = await bulkDownload(locals.app, format);
  return cacheable(request, download.body, {
    contentType: format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/json',
    cacheControl: 'public, max-age=31536000, immutable',
    etag: `"catalog-${download.version}-${format}"`,
    lastModified: download.lastModified,
    headers: { 'content-disposition': `attachment; filename="catalog-${download.version}.${format}"` },
  });
};
