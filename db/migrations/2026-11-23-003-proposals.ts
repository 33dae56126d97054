import { sql, type Kysely } from 'kysely';

// Consortia, proposals with frozen versions, the review record (state moves, consultations,
// scores) and attachments. Packages remember the proposal they were published from.
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable('consortium')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('anchorOrganizationId', 'text', (c) => c.notNull().references('organization.id'))
    .addColumn('createdBy', 'text')
    .addColumn('createdAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createTable('consortium_member')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('consortiumId', 'uuid', (c) => c.notNull().references('consortium.id').onDelete('cascade'))
    .addColumn('organizationId', 'text', (c) => c.references('organization.id').onDelete('set null'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('anchor', 'member')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('invited', 'active', 'declined', 'removed')`))
    .addColumn('invitedEmail', 'text')
    .addColumn('legalName', 'text', (c) => c.notNull())
    .addColumn('countryOfIncorporation', 'text', (c) => c.notNull())
    .addColumn('headquartersCountry', 'text', (c) => c.notNull())
    .addColumn('concernControlled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('layers', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('createdAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('consortium_member_consortium_idx').on('consortium_member').column('consortiumId').execute();
  await db.schema.createIndex('consortium_member_org_idx').on('consortium_member').column('organizationId').execute();

  await db.schema
    .createTable('proposal')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('consortiumId', 'uuid', (c) => c.notNull().references('consortium.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('draft', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('packageId', 'uuid', (c) => c.references('package.id'))
    /** A designated package's pending update: editing, submitted, or none. */
    .addColumn('changeState', 'text')
    .addColumn('createdAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updatedAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('submittedAt', 'timestamptz')
    .execute();
  await db.schema.createIndex('proposal_state_idx').on('proposal').columns(['state', 'submittedAt']).execute();

  await db.schema
    .createTable('proposal_version')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('proposalId', 'uuid', (c) => c.notNull().references('proposal.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('createdBy', 'text')
    .addColumn('createdAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('proposal_version_number_uq', ['proposalId', 'number'])
    .execute();

  await db.schema
    .createTable('proposal_transition')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('proposalId', 'uuid', (c) => c.notNull().references('proposal.id').onDelete('cascade'))
    .addColumn('move', 'text', (c) => c.notNull())
    .addColumn('fromState', 'text', (c) => c.notNull())
    .addColumn('toState', 'text', (c) => c.notNull())
    .addColumn('actorId', 'text')
    .addColumn('reason', 'text')
    /** What the consortium is told; the reason may be internal. */
    .addColumn('feedback', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('proposal_transition_proposal_idx').on('proposal_transition').column('proposalId').execute();

  await db.schema
    .createTable('proposal_consultation')
    .addColumn('proposalId', 'uuid', (c) => c.notNull().references('proposal.id').onDelete('cascade'))
    .addColumn('agency', 'text', (c) => c.notNull().check(sql`agency in ('state', 'war', 'energy', 'ostp')`))
    .addColumn('position', 'text', (c) => c.notNull().check(sql`position in ('concurs', 'concurs-with-conditions', 'objects')`))
    .addColumn('comments', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('recordedBy', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('proposal_consultation_pk', ['proposalId', 'agency'])
    .execute();

  await db.schema
    .createTable('proposal_review')
    .addColumn('proposalId', 'uuid', (c) => c.notNull().references('proposal.id').onDelete('cascade'))
    .addColumn('reviewerId', 'text', (c) => c.notNull())
    .addColumn('conflict', 'boolean', (c) => c.notNull())
    .addColumn('conflictNote', 'text')
    .addColumn('scores', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('comment', 'text')
    .addColumn('updatedAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('proposal_review_pk', ['proposalId', 'reviewerId'])
    .execute();

  await db.schema
    .createTable('attachment')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('ownerType', 'text', (c) => c.notNull())
    .addColumn('ownerId', 'uuid', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('contentType', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storageKey', 'text', (c) => c.notNull())
    .addColumn('uploadedBy', 'text')
    .addColumn('createdAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('attachment_owner_idx').on('attachment').columns(['ownerType', 'ownerId']).execute();

  await db.schema
    .alterTable('package')
    .addColumn('proposalId', 'uuid', (c) => c.references('proposal.id'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('package').dropColumn('proposalId').execute();
  for (const table of [
    'attachment',
    'proposal_review',
    'proposal_consultation',
    'proposal_transition',
    'proposal_version',
    'proposal',
    'consortium_member',
    'consortium',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
