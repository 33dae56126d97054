import type { APIRoute } from 'astro';
import { statisticsMinCount } from '../../../lib/opendata/config.ts';
import { badParams, cacheableJson, etagOf } from '../../../lib/opendata/http.ts';
import { NoParams, readParams } from '../../../lib/opendata/params.ts';
import { currentStatistics } from '../../../lib/statistics/figures.ts';

/** GET /api/v1/statistics: the figures of /statistics, small counts withheld. */
export const GET: APIRoute = async ({ url, locals, request }) => {
  const parsed = readParams(NoParams, url.searchParams);
  if (!parsed.ok) return badParams(parsed.problems);
  const stats = await currentStatistics(locals.app, statisticsMinCount(), locals.t);
  const { generatedAt: _, ...stable } = stats;
  return cacheableJson(request, stats, {
    cacheControl: 'public, max-age=300',
    etag: etagOf(JSON.stringify(stable)),
  });
};
