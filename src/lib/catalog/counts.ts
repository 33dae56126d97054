import { sql } from 'kysely';
import { LAYER_KEYS } from '../../../db/schema/package.ts';
import type { AppServices } from '../server/bootstrap.ts';
import { reach } from '../../../search/indexes/packages.ts';
import { getCatalogVersion } from '../../../db/queries/catalog-version.ts';

export interface CatalogCounts {
  sectors: Map<string, number>;
  regions: Map<string, number>;
  countries: Map<string, number>;
  layers: Map<string, number>;
}

type CountingServices = Pick<AppServices, 'db' | 'reference'>;

/** The counts last made for each database, with the catalog version they were made at. */
const kept = new WeakMap<CountingServices['db'], { version: string; counts: Promise<CatalogCounts> }>();

/**
 * How many designated packages each sector, bloc, country and layer has, for the browse pages
 * (from the database, so they do not depend on search). Counting reads every designated
 * package, so the counts are kept until the catalog's version moves (any write to `package`, by
 * any process); asking costs one single-row read otherwise.
 */
export async function catalogCounts(app: CountingServices): Promise<CatalogCounts> {
  const version = await getCatalogVersion(app.db);
  const held = kept.get(app.db);
  if (held?.version === version) return held.counts;
  const counts = countCatalog(app);
  kept.set(app.db, { version, counts });
  counts.catch(() => {
    if (kept.get(app.db)?.counts === counts) kept.delete(app.db);
  });
  return counts;
}

/**
 * Counts every designated package where the search index files it (`reach`): under every
 * country it targets directly or through a bloc, and every bloc it targets or that one of its
 * countries belongs to. Reads only the columns it needs.
 */
async function countCatalog(app: CountingServices): Promise<CatalogCounts> {
  const rows = await app.db
    .selectFrom('package')
    .select([
      'sectors',
      'targetCountries',
      'targetRegions',
      sql<string[]>`array(select key from jsonb_each(content->'layers') where (value->>'supplied')::boolean)`.as('layers'),
    ])
    .where('status', '=', 'designated')
    .execute();
  const counts: CatalogCounts = { sectors: new Map(), regions: new Map(), countries: new Map(), layers: new Map() };
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const row of rows) {
    row.sectors.forEach((s) => bump(counts.sectors, s));
    const { countries, regions } = reach(row, app.reference);
    countries.forEach((c) => bump(counts.countries, c));
    regions.forEach((r) => bump(counts.regions, r));
    row.layers.filter((l) => (LAYER_KEYS as readonly string[]).includes(l)).forEach((l) => bump(counts.layers, l));
  }
  return counts;
}
