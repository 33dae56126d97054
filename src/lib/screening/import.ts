import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import { recordAudit } from '../../../db/queries/audit.ts';
import { currentScreeningEntryKeys, replaceScreeningList } from '../../../db/queries/screening.ts';
import { AppError } from '../../../db/errors.ts';
import { parseCsl, summarizeSources, type CslEntry, type CslFormat } from './csl.ts';
import { forgetListIndex, listIndex } from './match.ts';

export interface ScreeningImportResult {
  importId: string;
  importedAt: Date;
  format: CslFormat;
  entryCount: number;
  /** Per source list: entries and the newest start date. */
  sources: Record<string, { count: number; newest: string | null }>;
  /** What the import removed from the list before it. */
  removal: ListRemoval;
}

/** What a new list would remove from the current one. */
export interface ListRemoval {
  /** Entries in the current list that the new one does not have. */
  removedCount: number;
  currentCount: number;
  /** Source lists of the current list that the new one does not have at all, with their entry counts. */
  removedSources: { source: string; count: number }[];
  /** A few of the removed entries (id and name), for the message. */
  examples: { id: string; name: string; source: string }[];
  /** A whole source, or more than a tenth of the entries, would vanish. */
  needsConfirmation: boolean;
}

/** More than this share of the entries removed at once asks for confirmation. */
export const MAX_SILENT_REMOVAL = 0.1;

export function compareLists(current: { id: string; name: string; source: string }[], next: CslEntry[]): ListRemoval {
  const nextIds = new Set(next.map((e) => e.id));
  const nextSources = new Set(next.map((e) => e.source));
  const removed = current.filter((e) => !nextIds.has(e.id));
  const bySource = new Map<string, number>();
  for (const e of current) if (!nextSources.has(e.source)) bySource.set(e.source, (bySource.get(e.source) ?? 0) + 1);
  const removedSources = [...bySource]
    .map(([source, count]) => ({ source, count }))
    .sort((a, b) => a.source.localeCompare(b.source));
  return {
    removedCount: removed.length,
    currentCount: current.length,
    removedSources,
    examples: removed.slice(0, 10).map(({ id, name, source }) => ({ id, name, source })),
    needsConfirmation: current.length > 0 && (removedSources.length > 0 || removed.length > current.length * MAX_SILENT_REMOVAL),
  };
}

/** The message of an import refused for want of confirmation: what would vanish. */
export function describeRemoval(r: ListRemoval): string {
  const lines = [
    `This import would remove ${r.removedCount} of the ${r.currentCount} entries of the current list${
      r.removedSources.length ? ` and ${r.removedSources.length} whole source list(s)` : ''
    }.`,
  ];
  for (const s of r.removedSources) lines.push(`  source list gone: ${s.source} (${s.count} entries)`);
  for (const e of r.examples) lines.push(`  entry gone: ${e.id} ${e.name} (${e.source})`);
  if (r.removedCount > r.examples.length) lines.push(`  … and ${r.removedCount - r.examples.length} more`);
  lines.push('Check the file; to import it all the same, confirm (npm run screening:import -- FILE --confirm).');
  return lines.join('\n');
}

export class ImportNeedsConfirmation extends AppError {
  readonly removal: ListRemoval;
  constructor(removal: ListRemoval) {
    super('INVALID_INPUT', describeRemoval(removal));
    this.removal = removal;
  }
}

/**
 * Imports the Consolidated Screening List from its JSON or CSV export: one `screening_import`
 * row, every `screening_entry` replaced in one transaction, an audit event. A file that does
 * not parse changes nothing; one that would drop a whole source list or more than a tenth of
 * the entries is refused (ImportNeedsConfirmation, naming what would vanish) unless `confirm`.
 * The second argument (the search client) is no longer used: screening reads the list into memory.
 */
export async function importScreeningList(
  db: Kysely<Database>,
  _search: unknown,
  file: string | Uint8Array,
  options: {
    filename: string;
    importedBy?: string | null;
    format?: CslFormat;
    confirm?: boolean;
    actorId?: string | null;
    ip?: string | null;
  },
): Promise<ScreeningImportResult> {
  const parsed = parseCsl(file, { filename: options.filename, ...(options.format ? { format: options.format } : {}) });
  const sources = summarizeSources(parsed.entries);
  const removal = compareLists(await currentScreeningEntryKeys(db), parsed.entries);
  if (removal.needsConfirmation && !options.confirm) throw new ImportNeedsConfirmation(removal);
  const row = await replaceScreeningList(
    db,
    {
      filename: options.filename,
      format: parsed.format,
      importedBy: options.importedBy ?? null,
      sources: Object.fromEntries(Object.entries(sources).map(([source, s]) => [source, s.newest])),
      entries: parsed.entries,
      removedCount: removal.removedCount,
      removedSources: removal.removedSources.map((s) => s.source),
      confirmed: removal.needsConfirmation,
    },
    1000,
    async (tx, imported) => {
      await recordAudit(tx, {
        action: 'screening-imported',
        actorId: options.actorId ?? null,
        actorEmail: null,
        subjectType: 'screening_import',
        subjectId: imported.id,
        ipAddress: options.ip ?? null,
        details: {
          filename: options.filename,
          importedBy: options.importedBy ?? null,
          entryCount: parsed.entries.length,
          removedCount: removal.removedCount,
          removedSources: removal.removedSources,
          confirmed: removal.needsConfirmation,
        },
      });
    },
  );
  forgetListIndex(db);
  // Read the new list into memory now, so that the next screening in this process does not wait for it.
  void listIndex(db, row.id).catch(() => undefined);
  return {
    importId: row.id,
    importedAt: new Date(row.importedAt),
    format: parsed.format,
    entryCount: parsed.entries.length,
    sources,
    removal,
  };
}
