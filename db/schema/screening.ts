import type { ColumnType, Selectable } from 'kysely';

export interface ScreeningAddress {
  address?: string | null;
  city?: string | null;
  state?: string | null;
  postal_code?: string | null;
  country?: string | null;
}

/** An identifier of a list entry (registration, tax or vessel number…), as the list gives it. */
export interface ScreeningIdentifier {
  type?: string | null;
  number: string;
  country?: string | null;
}

export type CslFormat = 'json' | 'csv';

/** One list entry, normalised: what `screening_entry` stores (less the import id). */
export interface CslEntry {
  id: string;
  source: string;
  name: string;
  altNames: string[];
  type: string | null;
  programs: string[];
  addresses: ScreeningAddress[];
  ids: ScreeningIdentifier[];
  startDate: string | null;
  endDate: string | null;
  remarks: string | null;
  sourceListUrl: string | null;
}

/** One import of the Consolidated Screening List. */
export interface ScreeningImportTable {
  id: ColumnType<string, string | undefined, never>;
  filename: string;
  format: 'json' | 'csv';
  entryCount: number;
  /** Source list name → newest start date among its entries (the list's date as far as the file tells). */
  sources: ColumnType<Record<string, string | null>, string, string>;
  importedBy: string | null;
  importedAt: ColumnType<Date, Date | string | undefined, never>;
  /** Entries of the previous list that this import removed, and the source lists it dropped whole. */
  removedCount: ColumnType<number, number | undefined, never>;
  removedSources: ColumnType<string[], string[] | undefined, never>;
  /** The import removed a source or more than a tenth of the entries, and someone confirmed it. */
  confirmed: ColumnType<boolean, boolean | undefined, never>;
}

/** One party on the list, as published (names, alternate names, addresses, source, programs, dates, remarks). */
export interface ScreeningEntryTable {
  id: string;
  importId: string;
  source: string;
  name: string;
  altNames: string[];
  type: string | null;
  programs: string[];
  addresses: ColumnType<ScreeningAddress[], string, string>;
  ids: ColumnType<ScreeningIdentifier[], string | undefined, string>;
  startDate: string | null;
  endDate: string | null;
  remarks: string | null;
  sourceListUrl: string | null;
}

export type ScreeningImportRow = Selectable<ScreeningImportTable>;
export type ScreeningEntryRow = Selectable<ScreeningEntryTable>;
