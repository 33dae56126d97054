import { sql, type Kysely } from 'kysely';

// TOTP codes accepted recently, so that one code cannot sign in twice (OWASP ASVS 5.0 V6.5.1).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('two_factor_used_code')
    .addColumn('userId', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('usedAt', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('two_factor_used_code_pk', ['userId', 'code'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('two_factor_used_code').execute();
}
