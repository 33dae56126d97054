import type { ColumnType, Selectable } from 'kysely';

/** Mirrors src/lib/proposals/state.ts (the schema does not import application code). */
export type ProposalStateValue =
  'draft' | 'submitted' | 'under-review' | 'returned' | 'designated' | 'declined' | 'suspended' | 'revoked' | 'withdrawn';

export interface ProposalTable {
  id: ColumnType<string, string | undefined, never>;
  consortiumId: string;
  state: ProposalStateValue;
  /** The working copy, section by section; validated per section on save and whole on submission. */
  draft: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** Optimistic concurrency: each section's revision, raised by every save of it (absent: 0). */
  sectionRevisions: ColumnType<Record<string, number>, string | undefined, string>;
  packageId: string | null;
  changeState: 'editing' | 'submitted' | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  submittedAt: Date | null;
}

export interface ProposalVersionTable {
  id: ColumnType<string, string | undefined, never>;
  proposalId: string;
  number: number;
  /** The frozen submission, consortium included. */
  content: ColumnType<Record<string, unknown>, string, never>;
  createdBy: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export interface ProposalTransitionTable {
  id: ColumnType<string, never, never>;
  proposalId: string;
  move: string;
  fromState: string;
  toState: string;
  actorId: string | null;
  reason: string | null;
  feedback: string | null;
  at: ColumnType<Date, Date | string | undefined, never>;
}

export const AGENCIES = ['state', 'war', 'energy', 'ostp'] as const;
export const POSITIONS = ['concurs', 'concurs-with-conditions', 'objects'] as const;

export interface ProposalConsultationTable {
  proposalId: string;
  agency: (typeof AGENCIES)[number];
  position: (typeof POSITIONS)[number];
  comments: string;
  recordedBy: string | null;
  at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Optimistic concurrency: raised by every write; a form carries the one it was read at. */
  revision: ColumnType<number, number | undefined, number>;
}

export interface ProposalReviewTable {
  proposalId: string;
  reviewerId: string;
  conflict: boolean;
  conflictNote: string | null;
  scores: ColumnType<Record<string, number>, string | undefined, string>;
  comment: string | null;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Optimistic concurrency for the scores: raised by every save; the form carries the one it was read at. */
  revision: ColumnType<number, number | undefined, number>;
}

export type ProposalRow = Selectable<ProposalTable>;
export type ProposalVersionRow = Selectable<ProposalVersionTable>;
export type ProposalTransitionRow = Selectable<ProposalTransitionTable>;
export type ProposalConsultationRow = Selectable<ProposalConsultationTable>;
export type ProposalReviewRow = Selectable<ProposalReviewTable>;
