/**
 * The introduction state machine: a verified buyer asks, an officer brokers it to the
 * consortium's anchor, the consortium answers, and it is followed to its outcome. Routes and
 * actions ask it which moves a side may make (`introductionMovesFor`, with the introduction's
 * facts) and whether a move may be made (`checkIntroductionMove`); they do not re-derive a rule.
 */
export const INTRODUCTION_STATES = [
  'requested',
  'taken',
  'info-requested',
  'brokered',
  'accepted',
  'meeting-held',
  'closed',
  'declined',
  'refused',
  'withdrawn',
] as const;
export type IntroductionState = (typeof INTRODUCTION_STATES)[number];
export type IntroductionActor = 'buyer' | 'officer' | 'consortium';

export const OUTCOMES = ['deal-signed', 'in-negotiation', 'no-fit'] as const;
export type Outcome = (typeof OUTCOMES)[number];

interface Move {
  from: readonly IntroductionState[];
  to: IntroductionState;
  by: readonly IntroductionActor[];
  /** A note is required: the brief, the question, the reason, the meeting proposal. */
  needsNote: boolean;
}

export const INTRODUCTION_MOVES = {
  take: { from: ['requested'], to: 'taken', by: ['officer'], needsNote: false },
  'ask-buyer': { from: ['taken'], to: 'info-requested', by: ['officer'], needsNote: true },
  answer: { from: ['info-requested'], to: 'taken', by: ['buyer'], needsNote: true },
  broker: { from: ['taken'], to: 'brokered', by: ['officer'], needsNote: true },
  decline: { from: ['requested', 'taken', 'info-requested'], to: 'declined', by: ['officer'], needsNote: true },
  accept: { from: ['brokered'], to: 'accepted', by: ['consortium'], needsNote: true },
  refuse: { from: ['brokered'], to: 'refused', by: ['consortium'], needsNote: true },
  'hold-meeting': { from: ['accepted'], to: 'meeting-held', by: ['officer', 'consortium'], needsNote: false },
  close: { from: ['meeting-held'], to: 'closed', by: ['officer'], needsNote: false },
  withdraw: { from: ['requested', 'taken', 'info-requested'], to: 'withdrawn', by: ['buyer'], needsNote: false },
} as const satisfies Record<string, Move>;
export type IntroductionMove = keyof typeof INTRODUCTION_MOVES;

export const OPEN_STATES: readonly IntroductionState[] = [
  'requested',
  'taken',
  'info-requested',
  'brokered',
  'accepted',
  'meeting-held',
];

/** What the machine needs to know of the introduction beyond its state. */
export interface IntroductionFacts {
  /** The package's consortium has an anchor organization to broker to (`false`: no broker move). */
  hasConsortium?: boolean | undefined;
}

export type IntroductionCheck =
  | { ok: true; to: IntroductionState }
  | { ok: false; reason: 'not-allowed-from-state' | 'wrong-actor' | 'note-required' | 'outcome-required' | 'no-consortium' };

/** Whether `actor` may make `move` now: the state, the side, the note, the outcome (close), then the consortium (broker). */
export function checkIntroductionMove(
  state: IntroductionState,
  move: IntroductionMove,
  actor: IntroductionActor,
  options: IntroductionFacts & { note?: string | undefined; outcome?: string | undefined } = {},
): IntroductionCheck {
  const definition: Move = INTRODUCTION_MOVES[move];
  if (!definition.from.includes(state)) return { ok: false, reason: 'not-allowed-from-state' };
  if (!definition.by.includes(actor)) return { ok: false, reason: 'wrong-actor' };
  if (definition.needsNote && !options.note?.trim()) return { ok: false, reason: 'note-required' };
  if (move === 'close' && !isOutcome(options.outcome)) return { ok: false, reason: 'outcome-required' };
  if (move === 'broker' && options.hasConsortium === false) return { ok: false, reason: 'no-consortium' };
  return { ok: true, to: definition.to };
}

/** The moves `actor` may offer now, given the introduction's facts (the note and outcome are asked for when one is made). */
export function introductionMovesFor(
  state: IntroductionState,
  actor: IntroductionActor,
  facts: IntroductionFacts = {},
): IntroductionMove[] {
  return (Object.keys(INTRODUCTION_MOVES) as IntroductionMove[]).filter((m) => {
    const d: Move = INTRODUCTION_MOVES[m];
    return d.by.includes(actor) && d.from.includes(state) && !(m === 'broker' && facts.hasConsortium === false);
  });
}

/** The note a move's form asks for: required, optional (a meeting, the outcome), or none. */
export function noteOf(move: IntroductionMove): 'required' | 'optional' | undefined {
  if (INTRODUCTION_MOVES[move].needsNote) return 'required';
  return move === 'close' || move === 'hold-meeting' ? 'optional' : undefined;
}

export function isOutcome(outcome: unknown): outcome is Outcome {
  return typeof outcome === 'string' && (OUTCOMES as readonly string[]).includes(outcome);
}

export function isIntroductionMove(move: unknown): move is IntroductionMove {
  return typeof move === 'string' && Object.hasOwn(INTRODUCTION_MOVES, move);
}

/** Coerces a stored state (unknown values read as `requested`). */
export function asIntroductionState(state: string): IntroductionState {
  return (INTRODUCTION_STATES as readonly string[]).includes(state) ? (state as IntroductionState) : 'requested';
}

/** Whether the introduction is still under way. */
export function isOpen(state: string): boolean {
  return (OPEN_STATES as readonly string[]).includes(state);
}

/** Whose turn it is: the side that reminders go to. */
export function waitingOn(state: IntroductionState): IntroductionActor | undefined {
  switch (state) {
    case 'requested':
    case 'taken':
    case 'meeting-held':
      return 'officer';
    case 'info-requested':
      return 'buyer';
    case 'brokered':
    case 'accepted':
      return 'consortium';
    default:
      return undefined;
  }
}

/** Business days (Monday to Friday) from `since` to `now`, whole days only. */
export function businessDaysBetween(since: Date, now: Date): number {
  let days = 0;
  const cursor = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  while (cursor < end) {
    cursor.setUTCDate(cursor.getUTCDate() + 1);
    const day = cursor.getUTCDay();
    if (day !== 0 && day !== 6) days++;
  }
  return days;
}

export const MAX_OPEN_REQUESTS = 10;
export const FLAG_AFTER_BUSINESS_DAYS = 3;
export const REMIND_AFTER_BUSINESS_DAYS = 5;
