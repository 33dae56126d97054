import type { ColumnType, Selectable } from 'kysely';

export interface VettingTable {
  id: ColumnType<string, string | undefined, never>;
  organizationId: string;
  state: string;
  requestedBy: string | null;
  alternateNames: string[];
  endUse: string;
  endUsers: string;
  countryFlags: ColumnType<unknown[], string | undefined, string>;
  screening: ColumnType<Record<string, unknown>, string | undefined, string>;
  officerId: string | null;
  decisionReason: string | null;
  decidedAt: Date | null;
  expiresAt: Date | null;
  reminderSentAt: Date | null;
  newMatches: ColumnType<boolean, boolean | undefined, boolean>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface VettingEventTable {
  id: ColumnType<string, never, never>;
  vettingId: string;
  move: string;
  fromState: string;
  toState: string;
  actorId: string | null;
  reason: string | null;
  at: ColumnType<Date, Date | string | undefined, never>;
}

export type VettingRow = Selectable<VettingTable>;
export type VettingEventRow = Selectable<VettingEventTable>;
