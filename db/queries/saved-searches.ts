import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema/index.ts';
import type { AlertFrequency, SavedQuery, SavedSearchRow } from '../schema/saved-search.ts';
import { isUuid } from './ids.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A person's saved searches, oldest first. */
export function listSavedSearches(db: Db, userId: string): Promise<SavedSearchRow[]> {
  return db.selectFrom('saved_search').selectAll().where('userId', '=', userId).orderBy('createdAt').orderBy('id').execute();
}

export async function countSavedSearches(db: Db, userId: string): Promise<number> {
  const { n } = await db
    .selectFrom('saved_search')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('userId', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** A saved search by id; undefined when there is none (or the id is not a uuid). */
export function findSavedSearch(db: Db, id: string): Promise<SavedSearchRow | undefined> {
  if (!isUuid(id)) return Promise.resolve(undefined);
  return db.selectFrom('saved_search').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A saved search of this person only: another's is as good as absent. */
export async function findOwnSavedSearch(db: Db, userId: string, id: string): Promise<SavedSearchRow | undefined> {
  const row = await findSavedSearch(db, id);
  return row?.userId === userId ? row : undefined;
}

export async function insertSavedSearch(
  db: Db,
  values: { userId: string; name: string; query: SavedQuery; frequency: AlertFrequency; locale: string },
): Promise<SavedSearchRow> {
  return db
    .insertInto('saved_search')
    .values({ ...values, query: JSON.stringify(values.query) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Renames a saved search or changes its frequency, if it is still at `version` (the one the
 * form was made from); undefined when another change came first.
 */
export function updateSavedSearch(
  db: Db,
  userId: string,
  id: string,
  version: number,
  values: { name: string; frequency: AlertFrequency },
): Promise<SavedSearchRow | undefined> {
  return db
    .updateTable('saved_search')
    .set({ ...values, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('userId', '=', userId)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes a saved search of this person; false when there was none. */
export async function deleteSavedSearch(db: Db, userId: string, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const result = await db.deleteFrom('saved_search').where('id', '=', id).where('userId', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Turns a saved search's mail off (the unsubscribe link); the search itself stays. */
export async function turnOffAlerts(db: Db, id: string): Promise<SavedSearchRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db
    .updateTable('saved_search')
    .set({ frequency: 'off', version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
