import type { APIRoute } from 'astro';
import { lookupPackage } from '../../../../lib/catalog/index.ts';
import { toPublicPackage } from '../../../../lib/catalog/public.ts';
import { badParams, cacheableJson } from '../../../../lib/opendata/http.ts';
import { NoParams, readParams } from '../../../../lib/opendata/params.ts';
import { problem } from '../../../../lib/server/problem.ts';

/** GET /api/v1/packages/{slug}: the whole package. */
export const GET: APIRoute = async ({ params, locals, url, request }) => {
  const parsed = readParams(NoParams, url.searchParams);
  if (!parsed.ok) return badParams(parsed.problems);
  const found = await lookupPackage(locals.app, params.slug ?? '');
  if (found.kind === 'missing')
    return problem({ title: 'Package not found', status: 404, detail: `No package has the slug “${params.slug}”.` });
  if (found.kind === 'gone') {
    return problem({
      title: 'Package no longer offered',
      status: 410,
      detail: `This package's designation is ${found.row.status}.`,
      statusOfPackage: found.row.status,
    });
  }
  const updatedAt = new Date(found.row.updatedAt);
  return cacheableJson(request, toPublicPackage(found.row, found), {
    cacheControl: 'public, max-age=60',
    lastModified: updatedAt,
  });
};
