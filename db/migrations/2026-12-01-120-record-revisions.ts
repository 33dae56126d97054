import { sql, type Kysely } from 'kysely';

// Optimistic concurrency for the records people edit in forms. Each carries a revision, a
// number raised by every write; a form carries the revision it was read at and the UPDATE is
// conditional on it, so a save from a stale form is refused (409) instead of silently undoing
// someone else's. A proposal's draft has one revision per section (two people may write two
// sections at once), kept as `{ section: n }`. A reviewer's scores (proposal_review) have one too:
// the same reviewer in two tabs.
//
// One membership per person and organization: two acceptances of one invitation at once (a
// double submit) cannot both add the person.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('member_organization_user_uq')
    .on('member')
    .columns(['organizationId', 'userId'])
    .unique()
    .execute();
  await db.schema
    .alterTable('proposal')
    .addColumn('sectionRevisions', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  for (const table of ['organization_profile', 'consortium_member', 'proposal_consultation', 'proposal_review']) {
    await db.schema
      .alterTable(table)
      .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('member_organization_user_uq').execute();
  for (const table of ['organization_profile', 'consortium_member', 'proposal_consultation', 'proposal_review']) {
    await db.schema.alterTable(table).dropColumn('revision').execute();
  }
  await db.schema.alterTable('proposal').dropColumn('sectionRevisions').execute();
}
