import { sql, type Kysely } from 'kysely';

// Periodic work shared by every instance of the site: one row per job, taken with a lease by
// the one instance that runs it (a conditional update, so PGlite and PostgreSQL alike), and
// moved on to its next due time only when a run finishes. A run whose instance died is taken
// up again when its lease runs out.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_lease')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('dueAt', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('holder', 'text')
    .addColumn('leaseUntil', 'timestamptz')
    .addColumn('startedAt', 'timestamptz')
    .addColumn('finishedAt', 'timestamptz')
    .addColumn('runs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('takenOver', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lastError', 'text')
    .addColumn('lastDurationMs', 'integer')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_lease').execute();
}
