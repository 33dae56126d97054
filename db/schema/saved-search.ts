import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';
import type { Facet } from '../../search/indexes/packages.ts';

/** How often a saved search sends its alerts; `off`: it stays saved (and as a feed) but sends nothing. */
export const ALERT_FREQUENCIES = ['immediate', 'daily', 'weekly', 'off'] as const;
export type AlertFrequency = (typeof ALERT_FREQUENCIES)[number];

/** What a saved search keeps of a catalog search: the words and the facets (no sort, no page). */
export interface SavedQuery {
  q: string;
  filters: Partial<Record<Facet, string[]>>;
}

/** A buyer's saved catalog search, with its email alerts. */
export interface SavedSearchTable {
  id: ColumnType<string, string | undefined, never>;
  userId: ColumnType<string, string, never>;
  name: string;
  query: ColumnType<SavedQuery, string, string>;
  frequency: AlertFrequency;
  locale: ColumnType<string, string | undefined, string>;
  version: ColumnType<number, number | undefined, number>;
  lastMailedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type SavedSearchRow = Selectable<SavedSearchTable>;
export type NewSavedSearchRow = Insertable<SavedSearchTable>;
export type SavedSearchUpdate = Updateable<SavedSearchTable>;
export const SAVED_SEARCH_TABLE = 'saved_search';
