import { sql, type Kysely } from 'kysely';

// Screening that officers can trust: each entry's identifiers (registration numbers…) as the
// list gives them, and what each import removed from the list before it (entries, whole source
// lists) and whether someone confirmed that removal.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('screening_entry')
    .addColumn('ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await db.schema
    .alterTable('screening_import')
    .addColumn('removedCount', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('removedSources', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('confirmed', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('screening_import')
    .dropColumn('confirmed')
    .dropColumn('removedSources')
    .dropColumn('removedCount')
    .execute();
  await db.schema.alterTable('screening_entry').dropColumn('ids').execute();
}
