import type { ColumnType, Selectable } from 'kysely';

/**
 * A package that became designated or was updated, for the saved-search alerts to match.
 * Written by a trigger on `package` in the writer's transaction; the alerts job deletes the
 * row in the transaction that records the matches.
 */
export interface PackageChangeTable {
  /** bigserial: read as a string. */
  id: ColumnType<string, never, never>;
  packageId: string;
  packageUpdatedAt: ColumnType<Date, Date | string, never>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export type PackageChangeRow = Selectable<PackageChangeTable>;
