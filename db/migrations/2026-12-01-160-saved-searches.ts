import { sql, type Kysely } from 'kysely';

// Saved searches with email alerts (issue 12): the buyer's saved searches, the queue of
// package changes the alerts job has yet to match (filled by a trigger in the writer's own
// transaction), which package versions each saved search was already given, and the alert
// mails waiting to be sent (an outbox, so that a crash neither loses nor repeats one).
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable('saved_search')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('userId', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    /** The search: `{ q, filters }` as the search page reads it from its URL. */
    .addColumn('query', 'jsonb', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('immediate', 'daily', 'weekly', 'off')`))
    /** The language of the buyer's mail. */
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    /** Raised by every change; a form carrying an older one is refused (409). */
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('lastMailedAt', 'timestamptz')
    .addColumn('createdAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updatedAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('saved_search_user_idx').on('saved_search').columns(['userId', 'createdAt']).execute();

  await db.schema
    .createTable('package_change')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('packageId', 'uuid', (c) => c.notNull())
    .addColumn('packageUpdatedAt', 'timestamptz', (c) => c.notNull())
    .addColumn('createdAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  // A package that becomes designated, or a designated package that is written with a new
  // `updatedAt` (an approved update, a reinstatement), is queued for the alerts.
  await sql`
    create function queue_package_change() returns trigger language plpgsql as $$
    begin
      if new.status = 'designated' and (tg_op = 'INSERT' or old.status <> 'designated'
          or old."updatedAt" is distinct from new."updatedAt") then
        insert into package_change ("packageId", "packageUpdatedAt") values (new.id, new."updatedAt");
      end if;
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger package_queues_change
    after insert or update on package
    for each row execute function queue_package_change()`.execute(db);

  await db.schema
    .createTable('saved_search_mail')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('savedSearchId', 'uuid', (c) => c.notNull().references('saved_search.id').onDelete('cascade'))
    .addColumn('to', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('unsubscribeUrl', 'text', (c) => c.notNull())
    .addColumn('sentAt', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lastError', 'text')
    /** When the mail may be (re)tried: a claim moves it on by the lease. */
    .addColumn('availableAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('createdAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('saved_search_mail_due_idx').on('saved_search_mail').columns(['sentAt', 'availableAt']).execute();

  await db.schema
    .createTable('saved_search_delivery')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('savedSearchId', 'uuid', (c) => c.notNull().references('saved_search.id').onDelete('cascade'))
    .addColumn('packageId', 'uuid', (c) => c.notNull().references('package.id').onDelete('cascade'))
    .addColumn('packageUpdatedAt', 'timestamptz', (c) => c.notNull())
    /** The mail that carries it; null while it waits for the next mail of its saved search. */
    .addColumn('mailId', 'uuid', (c) => c.references('saved_search_mail.id').onDelete('set null'))
    .addColumn('createdAt', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('saved_search_delivery_once', ['savedSearchId', 'packageId', 'packageUpdatedAt'])
    .execute();
  await db.schema
    .createIndex('saved_search_delivery_waiting_idx')
    .on('saved_search_delivery')
    .column('savedSearchId')
    .where(sql.ref('mailId'), 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('saved_search_delivery').execute();
  await db.schema.dropTable('saved_search_mail').execute();
  await sql`drop trigger package_queues_change on package`.execute(db);
  await sql`drop function queue_package_change()`.execute(db);
  await db.schema.dropTable('package_change').execute();
  await db.schema.dropTable('saved_search').execute();
}
