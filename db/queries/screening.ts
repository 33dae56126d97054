import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema/index.ts';
import type { CslEntry, CslFormat, ScreeningEntryRow, ScreeningImportRow } from '../schema/screening.ts';

type Db = Kysely<Database> | Transaction<Database>;

const ENTRY_COLUMNS = [
  'id',
  'importId',
  'source',
  'name',
  'altNames',
  'type',
  'programs',
  'addresses',
  'ids',
  'startDate',
  'endDate',
  'remarks',
  'sourceListUrl',
] as const;

/**
 * Records one import and replaces every list entry with the file's, in one transaction: the
 * list is never half old, half new. Earlier `screening_import` rows are kept as history (their
 * entries are gone), so that a screening's evidence still names the import it used.
 */
export async function replaceScreeningList(
  db: Kysely<Database>,
  input: {
    filename: string;
    format: CslFormat;
    importedBy: string | null;
    sources: Record<string, string | null>;
    entries: CslEntry[];
    removedCount?: number;
    removedSources?: string[];
    confirmed?: boolean;
  },
  chunkSize = 1000,
  /** Runs in the same transaction once the import row exists (the audit event). */
  record?: (tx: Transaction<Database>, row: ScreeningImportRow) => Promise<void>,
): Promise<ScreeningImportRow> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('screening_import')
      .values({
        filename: input.filename,
        format: input.format,
        entryCount: input.entries.length,
        sources: JSON.stringify(input.sources),
        importedBy: input.importedBy,
        removedCount: input.removedCount ?? 0,
        removedSources: input.removedSources ?? [],
        confirmed: input.confirmed ?? false,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx.deleteFrom('screening_entry').execute();
    for (let i = 0; i < input.entries.length; i += chunkSize) {
      await tx
        .insertInto('screening_entry')
        .values(
          input.entries.slice(i, i + chunkSize).map((e) => ({
            id: e.id,
            importId: row.id,
            source: e.source,
            name: e.name,
            altNames: e.altNames,
            type: e.type,
            programs: e.programs,
            addresses: JSON.stringify(e.addresses),
            ids: JSON.stringify(e.ids),
            startDate: e.startDate,
            endDate: e.endDate,
            remarks: e.remarks,
            sourceListUrl: e.sourceListUrl,
          })),
        )
        .execute();
    }
    if (record) await record(tx, row);
    return row;
  });
}

/** Id, name and source of every current entry: what a new import is compared with. */
export async function currentScreeningEntryKeys(db: Db): Promise<{ id: string; name: string; source: string }[]> {
  return db.selectFrom('screening_entry').select(['id', 'name', 'source']).orderBy('id').execute();
}

export interface SourceFreshness {
  source: string;
  /** The last import that carried this source list. */
  lastImportedAt: Date;
  lastImportFile: string;
  /** The newest start date of its entries in that import. */
  newest: string | null;
  /** Its entries in the current list (0: the current list no longer has it). */
  count: number;
}

/** Each source list ever imported, with the date of the last import that carried it and its entries now. */
export async function screeningSourceFreshness(db: Db, historyLimit = 200): Promise<SourceFreshness[]> {
  const imports = await db
    .selectFrom('screening_import')
    .select(['importedAt', 'filename', 'sources'])
    .orderBy('importedAt', 'desc')
    .limit(historyLimit)
    .execute();
  const counts = await countScreeningEntriesBySource(db);
  const out = new Map<string, SourceFreshness>();
  for (const row of imports) {
    for (const [source, newest] of Object.entries(row.sources ?? {})) {
      if (out.has(source)) continue;
      out.set(source, {
        source,
        lastImportedAt: new Date(row.importedAt),
        lastImportFile: row.filename,
        newest: newest ?? null,
        count: counts[source] ?? 0,
      });
    }
  }
  return [...out.values()].sort((a, b) => a.source.localeCompare(b.source));
}

/** The import the current entries come from (the newest), or undefined before the first import. */
export async function latestScreeningImport(db: Db): Promise<ScreeningImportRow | undefined> {
  return db.selectFrom('screening_import').selectAll().orderBy('importedAt', 'desc').orderBy('id').limit(1).executeTakeFirst();
}

export async function listScreeningImports(db: Db, limit = 20): Promise<ScreeningImportRow[]> {
  return db.selectFrom('screening_import').selectAll().orderBy('importedAt', 'desc').limit(limit).execute();
}

/** Entries per source list in the current entries. */
export async function countScreeningEntriesBySource(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('screening_entry')
    .select(['source', sql<number>`count(*)::int`.as('count')])
    .groupBy('source')
    .orderBy('source')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.source, Number(r.count)]));
}

export async function countScreeningEntries(db: Db): Promise<number> {
  const row = await db
    .selectFrom('screening_entry')
    .select(sql<number>`count(*)::int`.as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function screeningEntriesByIds(db: Db, ids: string[]): Promise<ScreeningEntryRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('screening_entry').select(ENTRY_COLUMNS).where('id', 'in', ids).execute();
}

/** Every entry, a batch at a time (for reindexing and the database fallback of screening). */
export async function* screeningEntryBatches(db: Db, batchSize = 2000): AsyncGenerator<ScreeningEntryRow[]> {
  let after: string | undefined;
  for (;;) {
    let query = db.selectFrom('screening_entry').select(ENTRY_COLUMNS).orderBy('id').limit(batchSize);
    if (after !== undefined) query = query.where('id', '>', after);
    const rows = await query.execute();
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.id;
  }
}
