import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import { getTerritory, officersCovering } from '../../../db/queries/territories.ts';
import type { Reference } from '../reference/index.ts';

export type TerritoryReference = Pick<Reference, 'regions' | 'regionsOf'>;

/**
 * The countries a viewer's vetting queue covers: for an officer, the countries of their
 * territory and every member of its regional blocs; for an administrator, every country (null).
 * Anyone else covers none.
 */
export async function coveredCountries(
  db: Kysely<Database>,
  reference: TerritoryReference,
  viewer: { id: string; role: string },
): Promise<string[] | null> {
  if (viewer.role === 'admin') return null;
  if (viewer.role !== 'officer') return [];
  const territory = await getTerritory(db, viewer.id);
  const countries = new Set(territory.countries);
  for (const slug of territory.regions) for (const code of reference.regions.get(slug)?.members ?? []) countries.add(code);
  return [...countries].sort();
}

/** Whether the viewer may see and decide requests from buyers in `country`. */
export function covers(countries: string[] | null, country: string | null | undefined): boolean {
  if (countries === null) return true;
  return !!country && countries.includes(country);
}

/** The officers whose territory covers the country, directly or through one of its blocs. */
export function officersFor(db: Kysely<Database>, reference: TerritoryReference, country: string): Promise<string[]> {
  return officersCovering(db, country, reference.regionsOf(country));
}
