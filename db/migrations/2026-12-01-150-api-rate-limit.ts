import { sql, type Kysely } from 'kysely';

// Fair use of the public API, feeds and downloads: one fixed-window counter per client, in the
// database so that every process of the site counts the same requests.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_rate_limit')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('windowStart', 'timestamptz', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute();
  await sql`create index api_rate_limit_window on api_rate_limit ("windowStart")`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_rate_limit').execute();
}
