import type { ColumnType, Selectable } from 'kysely';

/**
 * An alert mail to send (an outbox): written with the deliveries it carries, claimed with a
 * lease before it is sent, and marked sent after. A claim whose process died is taken up
 * again when its lease runs out.
 */
export interface SavedSearchMailTable {
  id: ColumnType<string, string | undefined, never>;
  savedSearchId: ColumnType<string, string, never>;
  to: string;
  subject: string;
  text: string;
  unsubscribeUrl: string;
  sentAt: ColumnType<Date | null, never, Date | string | null>;
  attempts: ColumnType<number, number | undefined, number>;
  lastError: ColumnType<string | null, never, string | null>;
  availableAt: ColumnType<Date, Date | string | undefined, Date | string>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export type SavedSearchMailRow = Selectable<SavedSearchMailTable>;
