import type { ColumnType, Selectable } from 'kysely';

/**
 * One row whose `version` a trigger raises with every statement that writes `package`, in the
 * same transaction: what is derived from the catalog can be kept until the number moves.
 */
export interface CatalogVersionTable {
  id: ColumnType<number, never, never>;
  /** bigint: read as a string. */
  version: ColumnType<string, never, never>;
}

export type CatalogVersionRow = Selectable<CatalogVersionTable>;
