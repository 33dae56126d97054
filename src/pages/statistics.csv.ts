import type { APIRoute } from 'astro';
import { tableToCsv } from '../lib/opendata/catalog.ts';
import { statisticsMinCount } from '../lib/opendata/config.ts';
import { badParams, cacheable } from '../lib/opendata/http.ts';
import { readParams, StatisticsCsvParams } from '../lib/opendata/params.ts';
import { currentStatistics, STATISTICS_CSV_COLUMNS, statisticsRows } from '../lib/statistics/figures.ts';

/** GET /statistics.csv[?figure=…]: the numbers behind the charts of /statistics. */
export const GET: APIRoute = async ({ url, locals, request }) => {
  const parsed = readParams(StatisticsCsvParams, url.searchParams);
  if (!parsed.ok) return badParams(parsed.problems);
  const stats = await currentStatistics(locals.app, statisticsMinCount(), locals.t);
  const figure = parsed.value.figure;
  const rows = statisticsRows(stats).filter((row) => !figure || row[0] === figure);
  const name = figure ? `statistics-${figure}.csv` : 'statistics.csv';
  return cacheable(request, tableToCsv(STATISTICS_CSV_COLUMNS, rows), {
    contentType: 'text/csv; charset=utf-8; header=present',
    cacheControl: 'public, max-age=300',
    headers: { 'content-disposition': `attachment; filename="${name}"` },
  });
};
