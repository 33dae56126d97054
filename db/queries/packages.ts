import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema/index.ts';
import type { PackageBody, PackageContent, PackageRow } from '../schema/package.ts';
import { AppError } from '../errors.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function findPackageBySlug(db: Db, slug: string): Promise<PackageRow | undefined> {
  return db.selectFrom('package').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function getPackageBySlug(db: Db, slug: string): Promise<PackageRow> {
  const row = await findPackageBySlug(db, slug);
  if (!row) throw new AppError('NOT_FOUND', `No package ${slug}`);
  return row;
}

export function findPackageById(db: Db, id: string): Promise<PackageRow | undefined> {
  return db.selectFrom('package').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countPackages(db: Db): Promise<number> {
  const { count } = await db
    .selectFrom('package')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** Splits a validated package into the row's own columns and its JSON body. */
export function toRow(pkg: PackageContent) {
  const { slug, title, summary, sectors, targetCountries, targetRegions, status, designatedAt, ...body } = pkg;
  return {
    slug,
    title,
    summary,
    sectors,
    targetCountries,
    targetRegions,
    status,
    designatedAt,
    content: JSON.stringify(body satisfies PackageBody),
  };
}

/**
 * Inserts or replaces a package by slug, and records the change for the search index in the
 * same transaction (the caller's, when it passes one).
 */
export async function upsertPackage(db: Db, pkg: PackageContent, options: { proposalId?: string } = {}): Promise<PackageRow> {
  const write = async (tx: Db) => {
    const values = { ...toRow(pkg), ...(options.proposalId ? { proposalId: options.proposalId } : {}) };
    const row = await tx
      .insertInto('package')
      .values(values)
      .onConflict((oc) => oc.column('slug').doUpdateSet({ ...values, updatedAt: sql`now()` }))
      .returningAll()
      .executeTakeFirstOrThrow();
    await enqueueSearchSync(tx, row.id);
    return row;
  };
  return db.isTransaction ? write(db) : (db as Kysely<Database>).transaction().execute(write);
}

/** Changes a package's status (suspension, revocation, reinstatement) and queues the index update. */
export async function setPackageStatus(db: Transaction<Database>, id: string, status: PackageRow['status']): Promise<void> {
  await db
    .updateTable('package')
    .set({ status, updatedAt: sql`now()` })
    .where('id', '=', id)
    .execute();
  await enqueueSearchSync(db, id);
}

/** Records that the search index must learn of a change to this package. */
export async function enqueueSearchSync(db: Db, packageId: string): Promise<void> {
  await db.insertInto('search_outbox').values({ indexUid: 'packages', documentId: packageId }).execute();
}

export interface BrowseOptions {
  sector?: string | undefined;
  /** Target countries; a package is listed under a country it targets directly or through a bloc. */
  countries?: string[] | undefined;
  regions?: string[] | undefined;
  limit?: number;
  offset?: number;
}

/** What a list of packages shows of each: no JSON body beyond the consortium's name. */
export type PackageListItem = Pick<PackageRow, 'id' | 'slug' | 'title' | 'summary' | 'sectors' | 'designatedAt'> & {
  consortium: string;
};

/**
 * Designated packages straight from the database, newest first: the browse pages use it,
 * and it keeps browsing by sector, country and region working while search is down.
 */
export async function listDesignatedPackages(
  db: Db,
  options: BrowseOptions = {},
): Promise<{ rows: PackageListItem[]; total: number }> {
  let query = db.selectFrom('package').where('status', '=', 'designated');
  if (options.sector) query = query.where('sectors', '@>', sql<string[]>`array[${options.sector}]::text[]`);
  const countries = options.countries ?? [];
  const regions = options.regions ?? [];
  if (countries.length || regions.length) {
    query = query.where((eb) =>
      eb.or([
        eb('targetCountries', '&&', sql<string[]>`${countries}::text[]`),
        eb('targetRegions', '&&', sql<string[]>`${regions}::text[]`),
      ]),
    );
  }
  // The page's ids first, then their rows: the consortium's name is read from the JSON body of
  // the page's rows only, not of every row the sort goes through.
  const page = query
    .select('id')
    .orderBy('designatedAt', 'desc')
    .orderBy('slug')
    .limit(options.limit ?? 50)
    .offset(options.offset ?? 0);
  const [rows, total] = await Promise.all([
    db
      .selectFrom('package')
      .where('id', 'in', page)
      .select(['id', 'slug', 'title', 'summary', 'sectors', 'designatedAt'])
      .select(sql<string>`content -> 'consortium' ->> 'name'`.as('consortium'))
      .orderBy('designatedAt', 'desc')
      .orderBy('slug')
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.count) };
}

/** All designated packages in id order, a batch at a time (keyset pagination), for reindexing. */
export async function* designatedPackagesBatches(db: Db, size: number): AsyncGenerator<PackageRow[]> {
  let after: string | undefined;
  for (;;) {
    let query = db.selectFrom('package').selectAll().where('status', '=', 'designated').orderBy('id').limit(size);
    if (after) query = query.where('id', '>', after);
    const rows = await query.execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
    if (rows.length < size) return;
  }
}

/** What the open-data downloads, feeds and statistics read of a designated package (no JSON body). */
export interface PackageCatalogRow {
  slug: string;
  title: string;
  summary: string;
  sectors: string[];
  targetCountries: string[];
  targetRegions: string[];
  designatedAt: Date;
  updatedAt: Date;
  consortium: string;
  anchorMember: string | null;
  layers: string[];
  financing: string[];
  deploymentModel: string;
  usOriginContentPct: number | null;
}

/** Every designated package, newest designation first, with the fields of its JSON body the catalog lists. */
export async function listCatalogRows(db: Db): Promise<PackageCatalogRow[]> {
  const rows = await db
    .selectFrom('package')
    .select(['slug', 'title', 'summary', 'sectors', 'targetCountries', 'targetRegions', 'designatedAt', 'updatedAt'])
    .select([
      sql<string>`content -> 'consortium' ->> 'name'`.as('consortium'),
      sql<
        string | null
      >`(select m ->> 'name' from jsonb_array_elements(content -> 'consortium' -> 'members') m where (m ->> 'anchor')::boolean limit 1)`.as(
        'anchorMember',
      ),
      sql<string[]>`array(select key from jsonb_each(content -> 'layers') where (value ->> 'supplied')::boolean)`.as('layers'),
      sql<string[]>`array(select distinct f ->> 'tool' from jsonb_array_elements(content -> 'financing') f order by 1)`.as(
        'financing',
      ),
      sql<string>`content -> 'businessModel' ->> 'deploymentModel'`.as('deploymentModel'),
      sql<number | null>`(content -> 'layers' -> 'hardware' ->> 'usOriginContentPct')::float8`.as('usOriginContentPct'),
    ])
    .where('status', '=', 'designated')
    .orderBy('designatedAt', 'desc')
    .orderBy('slug')
    .execute();
  return rows;
}
