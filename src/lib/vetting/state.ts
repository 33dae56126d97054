/**
 * The vetting state machine. Every request waits for a commercial service officer: nobody is
 * verified automatically, and a buyer in an embargoed destination cannot be verified at all.
 *
 * Besides the moves that change the state, two steps an officer records on a request keep it
 * where it is (`VETTING_STEPS`): screening it again against the list as it is now, and marking a
 * standing verification's new list matches as looked at. Both are asked of this module as the
 * moves are (`checkVettingMove`, `vettingMovesFor`), with the facts of the request that decide
 * them (`VettingFacts`), so that no page or action re-derives a rule.
 */
export const VETTING_STATES = ['pending', 'info-requested', 'verified', 'rejected', 'expired'] as const;
export type VettingState = (typeof VETTING_STATES)[number];
export type VettingActor = 'buyer' | 'officer' | 'system';

interface Move {
  from: readonly VettingState[];
  to: VettingState;
  by: VettingActor;
  needsReason: boolean;
}

export const VETTING_MOVES = {
  verify: { from: ['pending'], to: 'verified', by: 'officer', needsReason: true },
  reject: { from: ['pending', 'info-requested'], to: 'rejected', by: 'officer', needsReason: true },
  'ask-info': { from: ['pending'], to: 'info-requested', by: 'officer', needsReason: true },
  'provide-info': { from: ['info-requested'], to: 'pending', by: 'buyer', needsReason: true },
  expire: { from: ['verified'], to: 'expired', by: 'system', needsReason: false },
  /** A standing verification withdrawn (e.g. a true match after a list re-import). */
  revoke: { from: ['verified'], to: 'rejected', by: 'officer', needsReason: true },
} as const satisfies Record<string, Move>;
export type VettingMove = keyof typeof VETTING_MOVES;

interface Step {
  from: readonly VettingState[];
  by: VettingActor;
  needsReason: boolean;
  /** Possible only when the request has new list matches not yet looked at. */
  needsNewMatches: boolean;
}

/** The steps that keep the state: recorded as events and audited like the moves. */
export const VETTING_STEPS = {
  /** An open request or a standing verification screened again, against the list as it is now. */
  'screen-again': { from: ['pending', 'info-requested', 'verified'], by: 'officer', needsReason: false, needsNewMatches: false },
  /** A standing verification's new list matches looked at, with a reason. */
  'review-matches': { from: ['verified'], by: 'officer', needsReason: true, needsNewMatches: true },
} as const satisfies Record<string, Step>;
export type VettingStep = keyof typeof VETTING_STEPS;
/** What an officer (or the buyer, or the system) may do to a vetting: a move or a step. */
export type VettingAction = VettingMove | VettingStep;

/** What the machine needs to know of the request beyond its state. */
export interface VettingFacts {
  /** The buyer's country is an embargoed destination: never verified. */
  embargoed?: boolean | undefined;
  /** Screened against an imported list (`false`: nobody is verified until screened again). */
  screened?: boolean | undefined;
  /** A standing verification has new list matches that nobody has looked at. */
  newMatches?: boolean | undefined;
}

export type VettingCheck =
  | { ok: true; to: VettingState }
  | {
      ok: false;
      reason: 'not-allowed-from-state' | 'wrong-actor' | 'reason-required' | 'embargoed' | 'unscreened' | 'nothing-new';
    };

export function isVettingStep(action: string): action is VettingStep {
  return Object.hasOwn(VETTING_STEPS, action);
}

export function isVettingAction(action: unknown): action is VettingAction {
  return typeof action === 'string' && (Object.hasOwn(VETTING_MOVES, action) || isVettingStep(action));
}

/**
 * Whether `actor` may make `action` now, and to which state. The checks come in this order:
 * the state, the side, the facts that make a step possible, the reason, then embargo and
 * screening for a verification.
 */
export function checkVettingMove(
  state: VettingState,
  action: VettingAction,
  actor: VettingActor,
  options: VettingFacts & { reason?: string | undefined } = {},
): VettingCheck {
  if (isVettingStep(action)) {
    const step: Step = VETTING_STEPS[action];
    if (!step.from.includes(state)) return { ok: false, reason: 'not-allowed-from-state' };
    if (step.by !== actor) return { ok: false, reason: 'wrong-actor' };
    if (step.needsNewMatches && !options.newMatches) return { ok: false, reason: 'nothing-new' };
    if (step.needsReason && !options.reason?.trim()) return { ok: false, reason: 'reason-required' };
    return { ok: true, to: state };
  }
  const definition: Move = VETTING_MOVES[action];
  if (!definition.from.includes(state)) return { ok: false, reason: 'not-allowed-from-state' };
  if (definition.by !== actor) return { ok: false, reason: 'wrong-actor' };
  if (definition.needsReason && !options.reason?.trim()) return { ok: false, reason: 'reason-required' };
  if (action === 'verify' && options.embargoed) return { ok: false, reason: 'embargoed' };
  // Nobody is verified without a screening against a list: after an import, screen again first.
  if (action === 'verify' && options.screened === false) return { ok: false, reason: 'unscreened' };
  return { ok: true, to: definition.to };
}

/** The moves and steps `actor` may offer now, given the request's facts (a reason is asked for when one is made). */
export function vettingMovesFor(state: VettingState, actor: VettingActor, facts: VettingFacts = {}): VettingAction[] {
  const actions = [...Object.keys(VETTING_MOVES), ...Object.keys(VETTING_STEPS)] as VettingAction[];
  return actions.filter((a) => {
    const check = checkVettingMove(state, a, actor, { ...facts, reason: 'given' });
    return check.ok;
  });
}

/** Whether an action changes the state (a move) rather than keeping it (a step). */
export function isStateMove(action: VettingAction): action is VettingMove {
  return !isVettingStep(action);
}

/** Coerces a stored state (unknown values read as `pending`). */
export function asVettingState(state: string): VettingState {
  return (VETTING_STATES as readonly string[]).includes(state) ? (state as VettingState) : 'pending';
}

/** A vetting that still stands (a buyer may ask for introductions). */
export function isVerified(state: VettingState, expiresAt: Date | null, now = new Date()): boolean {
  return state === 'verified' && (!expiresAt || expiresAt > now);
}
