import type { Kysely } from 'kysely';
import type { Meilisearch } from 'meilisearch';
import type { Database } from '../../../db/schema/index.ts';
import { replaceScreeningList, screeningEntryBatches } from '../../../db/queries/screening.ts';
import { applySettings, assertSucceeded } from '../../../search/apply-settings.ts';
import { SCREENING_INDEX, screeningSettings, toScreeningDocument } from '../../../search/indexes/screening.ts';
import { parseCsl, summarizeSources, type CslFormat } from './csl.ts';

export interface ScreeningImportResult {
  importId: string;
  importedAt: Date;
  format: CslFormat;
  entryCount: number;
  /** Per source list: entries and the newest start date. */
  sources: Record<string, { count: number; newest: string | null }>;
  /** Documents in the rebuilt index, or undefined when no search client was given. */
  indexed: number | undefined;
}

/**
 * Rebuilds the screening index from `screening_entry` without downtime: a fresh index is
 * filled, then swapped with the live one in one task (as search/reindex.ts does for packages).
 */
export async function reindexScreening(db: Kysely<Database>, admin: Meilisearch, batchSize = 2000): Promise<number> {
  const building = `${SCREENING_INDEX}_build_${Date.now()}`;
  await applySettings(admin, SCREENING_INDEX, screeningSettings);
  await applySettings(admin, building, screeningSettings);
  try {
    const index = admin.index(building);
    const tasks: number[] = [];
    let documents = 0;
    for await (const rows of screeningEntryBatches(db, batchSize)) {
      const enqueued = await index.addDocuments(rows.map(toScreeningDocument), { primaryKey: 'id' });
      tasks.push(enqueued.taskUid);
      documents += rows.length;
    }
    for (const uid of tasks) assertSucceeded(await admin.tasks.waitForTask(uid, { timeout: 300_000, interval: 100 }));
    assertSucceeded(await admin.swapIndexes([{ indexes: [SCREENING_INDEX, building], rename: false }]).waitTask());
    return documents;
  } finally {
    await admin
      .deleteIndex(building)
      .waitTask()
      .catch(() => undefined);
  }
}

/**
 * Imports the Consolidated Screening List from its JSON or CSV export: one `screening_import`
 * row, every `screening_entry` replaced in one transaction, then the `screening` index rebuilt.
 * A file that does not parse changes nothing.
 */
export async function importScreeningList(
  db: Kysely<Database>,
  admin: Meilisearch | undefined,
  file: string | Uint8Array,
  options: { filename: string; importedBy?: string | null; format?: CslFormat },
): Promise<ScreeningImportResult> {
  const parsed = parseCsl(file, { filename: options.filename, ...(options.format ? { format: options.format } : {}) });
  const sources = summarizeSources(parsed.entries);
  const row = await replaceScreeningList(db, {
    filename: options.filename,
    format: parsed.format,
    importedBy: options.importedBy ?? null,
    sources: Object.fromEntries(Object.entries(sources).map(([source, s]) => [source, s.newest])),
    entries: parsed.entries,
  });
  const indexed = admin ? await reindexScreening(db, admin) : undefined;
  return {
    importId: row.id,
    importedAt: new Date(row.importedAt),
    format: parsed.format,
    entryCount: parsed.entries.length,
    sources,
    indexed,
  };
}
