import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations take Kysely<any> and never import the live schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('package')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('designated', 'suspended', 'revoked')`))
    .addColumn('sectors', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('targetCountries', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('targetRegions', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('designatedAt', 'timestamptz', (c) => c.notNull())
    .addColumn('createdAt', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updatedAt', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index package_sectors_idx on package using gin (sectors)`.execute(db);
  await sql`create index package_countries_idx on package using gin ("targetCountries")`.execute(db);
  await sql`create index package_regions_idx on package using gin ("targetRegions")`.execute(db);
  await db.schema.createIndex('package_status_designated_idx').on('package').columns(['status', 'designatedAt']).execute();

  await db.schema
    .createTable('search_outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('indexUid', 'text', (c) => c.notNull())
    .addColumn('documentId', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lastError', 'text')
    .addColumn('availableAt', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('createdAt', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('search_outbox_available_idx').on('search_outbox').column('availableAt').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_outbox').execute();
  await db.schema.dropTable('package').execute();
}
