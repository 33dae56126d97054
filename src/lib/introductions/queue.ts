import type { IntroductionListRow } from '../../../db/queries/introductions.ts';
import { businessDaysBetween, FLAG_AFTER_BUSINESS_DAYS, OPEN_STATES, type IntroductionState } from './state.ts';

/** States whose lingering is flagged on the officer's queue: not taken, or taken and not moved. */
export const FLAGGED_STATES: readonly IntroductionState[] = ['requested', 'taken'];

/** Whether an introduction in `state` since `waitingSince` is flagged at `now` (FLAG_AFTER_BUSINESS_DAYS business days). */
export function isFlagged(state: string, waitingSince: Date, now: Date): boolean {
  return isFlaggedState(state) && businessDaysBetween(waitingSince, now) >= FLAG_AFTER_BUSINESS_DAYS;
}

function isFlaggedState(state: string): boolean {
  return (FLAGGED_STATES as readonly string[]).includes(state);
}

export interface QueueRow extends IntroductionListRow {
  /** Business days since it last changed hands. */
  age: number;
  flagged: boolean;
}

export interface QueueGroup {
  state: IntroductionState;
  rows: QueueRow[];
}

/** The open introductions by state (in the order of the state machine), the flagged and the oldest first within each. */
export function queueByState(rows: IntroductionListRow[], now: Date): QueueGroup[] {
  const aged: QueueRow[] = rows
    .filter((r) => (OPEN_STATES as readonly string[]).includes(r.state))
    .map((r) => {
      const age = businessDaysBetween(r.waitingSince, now);
      return { ...r, age, flagged: isFlaggedState(r.state) && age >= FLAG_AFTER_BUSINESS_DAYS };
    });
  return OPEN_STATES.map((state) => ({
    state,
    rows: aged
      .filter((r) => r.state === state)
      .sort((a, b) => Number(b.flagged) - Number(a.flagged) || a.waitingSince.getTime() - b.waitingSince.getTime()),
  }));
}
