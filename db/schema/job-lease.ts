import type { ColumnType, Selectable } from 'kysely';

/** One periodic job shared by every instance: when it is next due, and who runs it now (a lease). */
export interface JobLeaseTable {
  name: string;
  dueAt: ColumnType<Date, Date | string | undefined, Date | string>;
  /** The instance (and run) holding the lease; null when nobody runs the job. */
  holder: string | null;
  leaseUntil: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  startedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  finishedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  runs: ColumnType<number, number | undefined, number>;
  failures: ColumnType<number, number | undefined, number>;
  /** Runs taken up after another instance's lease ran out (it died or stalled mid-run). */
  takenOver: ColumnType<number, number | undefined, number>;
  lastError: string | null;
  lastDurationMs: number | null;
}

export type JobLeaseRow = Selectable<JobLeaseTable>;
