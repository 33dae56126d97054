/**
 * The vetting state machine. Every request waits for a commercial service officer: nobody is
 * verified automatically, and a buyer in an embargoed destination cannot be verified at all.
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

export type VettingCheck =
  | { ok: true; to: VettingState }
  | { ok: false; reason: 'not-allowed-from-state' | 'wrong-actor' | 'reason-required' | 'embargoed' };

export function checkVettingMove(
  state: VettingState,
  move: VettingMove,
  actor: VettingActor,
  options: { reason?: string | undefined; embargoed?: boolean } = {},
): VettingCheck {
  const definition: Move = VETTING_MOVES[move];
  if (!definition.from.includes(state)) return { ok: false, reason: 'not-allowed-from-state' };
  if (definition.by !== actor) return { ok: false, reason: 'wrong-actor' };
  if (definition.needsReason && !options.reason?.trim()) return { ok: false, reason: 'reason-required' };
  if (move === 'verify' && options.embargoed) return { ok: false, reason: 'embargoed' };
  return { ok: true, to: definition.to };
}

export function vettingMovesFor(state: VettingState, actor: VettingActor): VettingMove[] {
  return (Object.keys(VETTING_MOVES) as VettingMove[]).filter((m) => {
    const d: Move = VETTING_MOVES[m];
    return d.by === actor && d.from.includes(state);
  });
}

/** A vetting that still stands (a buyer may ask for introductions). */
export function isVerified(state: VettingState, expiresAt: Date | null, now = new Date()): boolean {
  return state === 'verified' && (!expiresAt || expiresAt > now);
}
