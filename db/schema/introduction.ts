import type { ColumnType, Selectable } from 'kysely';

export interface IntroductionTable {
  id: ColumnType<string, string | undefined, never>;
  buyerOrganizationId: string;
  packageId: string;
  requestedBy: string | null;
  state: string;
  needs: string;
  timeline: string;
  budgetBand: string;
  deploymentModel: string;
  financingInterest: boolean;
  participants: string;
  officerId: string | null;
  brief: string | null;
  meetingProposal: string | null;
  outcome: string | null;
  outcomeNote: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  waitingSince: ColumnType<Date, Date | string | undefined, Date | string>;
  remindedAt: Date | null;
}

export interface IntroductionEventTable {
  id: ColumnType<string, never, never>;
  introductionId: string;
  move: string;
  fromState: string;
  toState: string;
  actorId: string | null;
  note: string | null;
  at: ColumnType<Date, Date | string | undefined, never>;
}

export interface IntroductionMessageTable {
  id: ColumnType<string, never, never>;
  introductionId: string;
  authorId: string | null;
  side: 'buyer' | 'officer' | 'consortium';
  body: string;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export type IntroductionRow = Selectable<IntroductionTable>;
export type IntroductionEventRow = Selectable<IntroductionEventTable>;
export type IntroductionMessageRow = Selectable<IntroductionMessageTable>;
