import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema/index.ts';

/**
 * The catalog's version: it moves with every statement that writes `package`, when that
 * statement's transaction commits. Read it before what is derived from the catalog, so that
 * what is derived is at least as new as the version it is kept under.
 */
export async function getCatalogVersion(db: Kysely<Database> | Transaction<Database>): Promise<string> {
  const row = await db.selectFrom('catalog_version').select('version').where('id', '=', 1).executeTakeFirstOrThrow();
  return String(row.version);
}
