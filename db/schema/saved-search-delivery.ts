import type { ColumnType, Selectable } from 'kysely';

/**
 * One version of one package that matched one saved search: unique, so that it is given to
 * the buyer once. `mailId` is set in the transaction that writes the mail carrying it.
 */
export interface SavedSearchDeliveryTable {
  /** bigserial: read as a string. */
  id: ColumnType<string, never, never>;
  savedSearchId: ColumnType<string, string, never>;
  packageId: ColumnType<string, string, never>;
  packageUpdatedAt: ColumnType<Date, Date | string, never>;
  mailId: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export type SavedSearchDeliveryRow = Selectable<SavedSearchDeliveryTable>;
