import { sql } from 'kysely';
import { LAYER_KEYS } from '../../../db/schema/package.ts';
import type { AppServices } from '../server/bootstrap.ts';
import { reach } from '../../../search/indexes/packages.ts';

export interface CatalogCounts {
  sectors: Map<string, number>;
  regions: Map<string, number>;
  countries: Map<string, number>;
  layers: Map<string, number>;
}

/**
 * How many designated packages each sector, bloc, country and layer has, from the database
 * (so the browse pages do not depend on search). Reads only the columns it needs.
 */
export async function catalogCounts(app: AppServices): Promise<CatalogCounts> {
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
