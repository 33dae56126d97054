import { sql, type Kysely } from 'kysely';

// Restricted-party screening (the imported Consolidated Screening List and each screening's
// evidence), buyer vetting, and introductions with their messages.
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable('screening_import')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('entryCount', 'integer', (c) => c.notNull())
    /** Each source list and the newest date its entries carry. */
    .addColumn('sources', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('importedBy', 'text')
    .addColumn('importedAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createTable('screening_entry')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('importId', 'uuid', (c) => c.notNull().references('screening_import.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('altNames', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('type', 'text')
    .addColumn('programs', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('addresses', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('startDate', 'text')
    .addColumn('endDate', 'text')
    .addColumn('remarks', 'text')
    .addColumn('sourceListUrl', 'text')
    .execute();

  await db.schema
    .createTable('vetting')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organizationId', 'text', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('requestedBy', 'text')
    .addColumn('alternateNames', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('endUse', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('endUsers', 'text', (c) => c.notNull().defaultTo(''))
    /** Country policy flags at the time of the request (embargo, concern, EAR groups). */
    .addColumn('countryFlags', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    /** The screening evidence: lists and dates, candidates, scores per alias. */
    .addColumn('screening', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('officerId', 'text')
    .addColumn('decisionReason', 'text')
    .addColumn('decidedAt', 'timestamptz')
    .addColumn('expiresAt', 'timestamptz')
    .addColumn('reminderSentAt', 'timestamptz')
    /** A newer import found candidates the officer has not looked at. */
    .addColumn('newMatches', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('createdAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updatedAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('vetting_org_idx').on('vetting').column('organizationId').execute();
  await db.schema.createIndex('vetting_state_idx').on('vetting').columns(['state', 'createdAt']).execute();
  await db.schema
    .createTable('vetting_event')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('vettingId', 'uuid', (c) => c.notNull().references('vetting.id').onDelete('cascade'))
    .addColumn('move', 'text', (c) => c.notNull())
    .addColumn('fromState', 'text', (c) => c.notNull())
    .addColumn('toState', 'text', (c) => c.notNull())
    .addColumn('actorId', 'text')
    .addColumn('reason', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('introduction')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('buyerOrganizationId', 'text', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('packageId', 'uuid', (c) => c.notNull().references('package.id'))
    .addColumn('requestedBy', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('needs', 'text', (c) => c.notNull())
    .addColumn('timeline', 'text', (c) => c.notNull())
    .addColumn('budgetBand', 'text', (c) => c.notNull())
    .addColumn('deploymentModel', 'text', (c) => c.notNull())
    .addColumn('financingInterest', 'boolean', (c) => c.notNull())
    .addColumn('participants', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('officerId', 'text')
    .addColumn('brief', 'text')
    .addColumn('meetingProposal', 'text')
    .addColumn('outcome', 'text')
    .addColumn('outcomeNote', 'text')
    .addColumn('createdAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updatedAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    /** When the introduction last changed hands: the clock of "waiting on" reminders. */
    .addColumn('waitingSince', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('remindedAt', 'timestamptz')
    .execute();
  await db.schema.createIndex('introduction_state_idx').on('introduction').columns(['state', 'waitingSince']).execute();
  await db.schema.createIndex('introduction_buyer_idx').on('introduction').column('buyerOrganizationId').execute();
  await db.schema.createIndex('introduction_package_idx').on('introduction').column('packageId').execute();
  await db.schema
    .createTable('introduction_event')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('introductionId', 'uuid', (c) => c.notNull().references('introduction.id').onDelete('cascade'))
    .addColumn('move', 'text', (c) => c.notNull())
    .addColumn('fromState', 'text', (c) => c.notNull())
    .addColumn('toState', 'text', (c) => c.notNull())
    .addColumn('actorId', 'text')
    .addColumn('note', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createTable('introduction_message')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('introductionId', 'uuid', (c) => c.notNull().references('introduction.id').onDelete('cascade'))
    .addColumn('authorId', 'text')
    .addColumn('side', 'text', (c) => c.notNull().check(sql`side in ('buyer', 'officer', 'consortium')`))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('createdAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('introduction_message_intro_idx').on('introduction_message').column('introductionId').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'introduction_message',
    'introduction_event',
    'introduction',
    'vetting_event',
    'vetting',
    'screening_entry',
    'screening_import',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
