import type { ColumnType, Selectable } from 'kysely';

/** Messages kept instead of sent when no SMTP server is configured (development only). */
export interface DevMailTable {
  id: ColumnType<string, never, never>;
  at: ColumnType<Date, Date | string | undefined, never>;
  to: string;
  subject: string;
  text: string;
}
export type DevMailRow = Selectable<DevMailTable>;
