/**
 * The introduction state machine: a verified buyer asks, an officer brokers it to the
 * consortium's anchor, the consortium answers, and it is followed to its outcome.
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

export type IntroductionCheck =
  | { ok: true; to: IntroductionState }
  | { ok: false; reason: 'not-allowed-from-state' | 'wrong-actor' | 'note-required' | 'outcome-required' };

export function checkIntroductionMove(
  state: IntroductionState,
  move: IntroductionMove,
  actor: IntroductionActor,
  options: { note?: string | undefined; outcome?: string | undefined } = {},
): IntroductionCheck {
  const definition: Move = INTRODUCTION_MOVES[move];
  if (!definition.from.includes(state)) return { ok: false, reason: 'not-allowed-from-state' };
  if (!definition.by.includes(actor)) return { ok: false, reason: 'wrong-actor' };
  if (definition.needsNote && !options.note?.trim()) return { ok: false, reason: 'note-required' };
  if (move === 'close' && !(OUTCOMES as readonly string[]).includes(options.outcome ?? ''))
    return { ok: false, reason: 'outcome-required' };
  return { ok: true, to: definition.to };
}

export function introductionMovesFor(state: IntroductionState, actor: IntroductionActor): IntroductionMove[] {
  return (Object.keys(INTRODUCTION_MOVES) as IntroductionMove[]).filter((m) => {
    const d: Move = INTRODUCTION_MOVES[m];
    return d.by.includes(actor) && d.from.includes(state);
  });
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
