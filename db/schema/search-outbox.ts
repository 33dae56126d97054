import type { ColumnType, Insertable, Selectable } from 'kysely';

/**
 * A change the search index has yet to learn of. Written in the same transaction as the
 * change itself; a worker re-reads the row it names and upserts or deletes the document.
 */
export interface SearchOutboxTable {
  id: ColumnType<string, never, never>;
  indexUid: string;
  documentId: string;
  attempts: ColumnType<number, number | undefined, number>;
  lastError: string | null;
  availableAt: ColumnType<Date, Date | string | undefined, Date | string>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export type SearchOutboxRow = Selectable<SearchOutboxTable>;
export type NewSearchOutboxRow = Insertable<SearchOutboxTable>;
