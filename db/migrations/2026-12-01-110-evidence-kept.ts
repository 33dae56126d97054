import { sql, type Kysely } from 'kysely';

/**
 * Records that are evidence outlive the organization and the people they concern: a vetting
 * record with its screening and events, an introduction with its events and messages, a
 * proposal's versions, moves, consultations and reviews. Deleting an organization (or a
 * vetting record, an introduction, a proposal) that still has them is refused by the
 * database; an organization is closed instead (`organization_closure`).
 */
const KEPT: [table: string, column: string, parent: string][] = [
  ['vetting', 'organizationId', 'organization'],
  ['vetting_event', 'vettingId', 'vetting'],
  ['introduction', 'buyerOrganizationId', 'organization'],
  ['introduction_event', 'introductionId', 'introduction'],
  ['introduction_message', 'introductionId', 'introduction'],
  ['proposal_version', 'proposalId', 'proposal'],
  ['proposal_transition', 'proposalId', 'proposal'],
  ['proposal_consultation', 'proposalId', 'proposal'],
  ['proposal_review', 'proposalId', 'proposal'],
];

async function onDelete(db: Kysely<any>, action: 'restrict' | 'cascade'): Promise<void> {
  for (const [table, column, parent] of KEPT) {
    const name = `${table}_${column}_fkey`;
    await sql`alter table ${sql.table(table)} drop constraint ${sql.id(name)}, add constraint ${sql.id(name)}
      foreign key (${sql.ref(column)}) references ${sql.table(parent)} (id) on delete ${sql.raw(action)}`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await onDelete(db, 'restrict');
  await db.schema
    .createTable('organization_closure')
    .addColumn('organizationId', 'text', (c) => c.primaryKey().references('organization.id').onDelete('restrict'))
    .addColumn('closedAt', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    /** The account whose action closed it (its last member deleting the account); no link, it may be gone. */
    .addColumn('closedBy', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('organization_closure').execute();
  await onDelete(db, 'cascade');
}
