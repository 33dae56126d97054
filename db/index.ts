import { join } from 'node:path';
import { Kysely, Migrator, PostgresDialect, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import type { Database } from './schema/index.ts';
import { migrations } from './migrations/index.ts';
import { acquireDataLock, type DataLock } from './lock.ts';

export type { Database } from './schema/index.ts';

export interface DbOptions {
  /** A PostgreSQL connection string; without one, the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** Where PGlite keeps its files (`<dataDir>/pglite`), or `memory://` for a throwaway one. */
  dataDir: string;
  /** What the process opening the embedded database is doing, for the lock's message. */
  purpose?: string;
}

export interface DbHandle {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

// Two-dimensional arrays and bigints come back as strings by default; counts fit in a number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export async function createDb(options: DbOptions): Promise<DbHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }

  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const inMemory = options.dataDir === 'memory://';
  let lock: DataLock | undefined;
  if (!inMemory) lock = acquireDataLock(options.dataDir, options.purpose ?? 'aiexports');
  try {
    const pglite = await PGlite.create(inMemory ? undefined : join(options.dataDir, 'pglite'));
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'pglite',
      async close() {
        await db.destroy();
        await pglite.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/** Applies every pending migration; throws with the failing one named. */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'kysely_migration',
    migrationLockTableName: 'kysely_migration_lock',
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: result.error });
  }
  return result;
}
