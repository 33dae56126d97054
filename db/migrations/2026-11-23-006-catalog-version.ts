import { sql, type Kysely } from 'kysely';

// A number that changes with every write to `package`, in the writer's own transaction, so a
// process may keep figures derived from the catalog (the browse pages' counts) until it moves.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('catalog_version')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('catalog_version').values({ id: 1, version: 0 }).execute();
  await sql`
    create function bump_catalog_version() returns trigger language plpgsql as $$
    begin
      update catalog_version set version = version + 1 where id = 1;
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger package_bumps_catalog_version
    after insert or update or delete or truncate on package
    for each statement execute function bump_catalog_version()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger package_bumps_catalog_version on package`.execute(db);
  await sql`drop function bump_catalog_version()`.execute(db);
  await db.schema.dropTable('catalog_version').execute();
}
