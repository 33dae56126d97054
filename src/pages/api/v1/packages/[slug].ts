import type { APIRoute } from 'astro';
import { lookupPackage } from '../../../../lib/catalog/index.ts';
import { toPublicPackage } from '../../../../lib/catalog/public.ts';
import { problem } from '../../../../lib/server/problem.ts';

/** GET /api/v1/packages/{slug}: the whole package. */
export const GET: APIRoute = async ({ params, locals }) => {
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
  return Response.json(toPublicPackage(found.row, found), { headers: { 'cache-control': 'public, max-age=60' } });
};
