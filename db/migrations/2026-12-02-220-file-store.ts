import { sql, type Kysely } from 'kysely';

// Attachment bytes in the database (used when the site runs on PostgreSQL, so that every
// instance reads every file): one row per stored file, its bytes in chunks of at most 256 KiB,
// written and read one chunk at a time. A file is replaced by a new object id, so a reader
// never mixes the chunks of two versions.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('file_object')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('id', 'uuid', (c) => c.notNull().unique())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('chunks', 'integer', (c) => c.notNull())
    .addColumn('createdAt', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('file_chunk')
    .addColumn('objectId', 'uuid', (c) => c.notNull().references('file_object.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_chunk_pkey', ['objectId', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('file_chunk').execute();
  await db.schema.dropTable('file_object').execute();
}
