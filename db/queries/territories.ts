import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema/index.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The countries (ISO 3166-1 alpha-2) and regional blocs (slugs) a commercial service officer covers. */
export interface Territory {
  countries: string[];
  regions: string[];
}

export async function getTerritory(db: Db, userId: string): Promise<Territory> {
  const rows = await db
    .selectFrom('officer_territory')
    .select(['kind', 'code'])
    .where('userId', '=', userId)
    .orderBy('kind')
    .orderBy('code')
    .execute();
  return {
    countries: rows.filter((r) => r.kind === 'country').map((r) => r.code),
    regions: rows.filter((r) => r.kind === 'region').map((r) => r.code),
  };
}

/** Replaces the officer's whole territory (run it in a transaction with its audit event). */
export async function replaceTerritory(db: Db, userId: string, territory: Territory): Promise<Territory> {
  const countries = [...new Set(territory.countries)].sort();
  const regions = [...new Set(territory.regions)].sort();
  await db.deleteFrom('officer_territory').where('userId', '=', userId).execute();
  const rows = [
    ...countries.map((code) => ({ userId, kind: 'country' as const, code })),
    ...regions.map((code) => ({ userId, kind: 'region' as const, code })),
  ];
  if (rows.length) await db.insertInto('officer_territory').values(rows).execute();
  return { countries, regions };
}

/** Officers whose territory includes the country, directly or through one of the given blocs. */
export async function officersCovering(db: Db, country: string, regions: string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('officer_territory')
    .innerJoin('user', 'user.id', 'officer_territory.userId')
    .select('officer_territory.userId')
    .distinct()
    .where('user.role', '=', 'officer')
    .where((eb) =>
      eb.or([
        eb.and([eb('officer_territory.kind', '=', 'country'), eb('officer_territory.code', '=', country)]),
        ...(regions.length
          ? [eb.and([eb('officer_territory.kind', '=', 'region'), eb('officer_territory.code', 'in', regions)])]
          : []),
      ]),
    )
    .execute();
  return rows.map((r) => r.userId);
}
