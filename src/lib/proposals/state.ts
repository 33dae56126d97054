/**
 * The proposal state machine: every allowed move, who may make it, and what it needs.
 * Routes ask this module; they do not re-implement it.
 */
export const PROPOSAL_STATES = [
  'draft',
  'submitted',
  'under-review',
  'returned',
  'designated',
  'declined',
  'suspended',
  'revoked',
  'withdrawn',
] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export type ProposalActor = 'consortium' | 'reviewer';

export interface MoveDefinition {
  from: readonly ProposalState[];
  to: ProposalState;
  by: ProposalActor;
  /** A written reason is required (decisions and their reversal). */
  needsReason: boolean;
}

export const MOVES = {
  submit: { from: ['draft', 'returned'], to: 'submitted', by: 'consortium', needsReason: false },
  withdraw: { from: ['draft', 'returned'], to: 'withdrawn', by: 'consortium', needsReason: false },
  take: { from: ['submitted'], to: 'under-review', by: 'reviewer', needsReason: false },
  return: { from: ['under-review'], to: 'returned', by: 'reviewer', needsReason: true },
  designate: { from: ['under-review'], to: 'designated', by: 'reviewer', needsReason: true },
  decline: { from: ['under-review'], to: 'declined', by: 'reviewer', needsReason: true },
  suspend: { from: ['designated'], to: 'suspended', by: 'reviewer', needsReason: true },
  reinstate: { from: ['suspended'], to: 'designated', by: 'reviewer', needsReason: true },
  revoke: { from: ['suspended'], to: 'revoked', by: 'reviewer', needsReason: true },
} as const satisfies Record<string, MoveDefinition>;
export type ProposalMove = keyof typeof MOVES;
export const PROPOSAL_MOVES = Object.keys(MOVES) as ProposalMove[];

export type MoveCheck =
  { ok: true; to: ProposalState } | { ok: false; reason: 'not-allowed-from-state' | 'wrong-actor' | 'reason-required' };

/** Whether `actor` may make `move` from `state`, and where it leads. */
export function checkMove(state: ProposalState, move: ProposalMove, actor: ProposalActor, reason?: string): MoveCheck {
  const definition: MoveDefinition = MOVES[move];
  if (!definition.from.includes(state)) return { ok: false, reason: 'not-allowed-from-state' };
  if (definition.by !== actor) return { ok: false, reason: 'wrong-actor' };
  if (definition.needsReason && !reason?.trim()) return { ok: false, reason: 'reason-required' };
  return { ok: true, to: definition.to };
}

/** The moves `actor` can make from `state` (for the buttons a page shows). */
export function availableMoves(state: ProposalState, actor: ProposalActor): ProposalMove[] {
  return PROPOSAL_MOVES.filter((move) => {
    const definition: MoveDefinition = MOVES[move];
    return definition.by === actor && definition.from.includes(state);
  });
}

/** States in which the consortium may edit the draft. */
export function isEditable(state: ProposalState): boolean {
  return state === 'draft' || state === 'returned';
}

/**
 * Updating a designated package: the consortium edits a new version while the live package
 * stays as it is, until a reviewer approves the update (then the catalog shows it) or rejects
 * it (the consortium may revise it again, or withdraw it).
 */
export type ChangeState = 'editing' | 'submitted' | null;

export const UPDATE_MOVES = {
  'start-update': { from: null, to: 'editing', by: 'consortium', needsReason: false },
  'submit-update': { from: 'editing', to: 'submitted', by: 'consortium', needsReason: false },
  'withdraw-update': { from: 'editing', to: null, by: 'consortium', needsReason: false },
  'approve-update': { from: 'submitted', to: null, by: 'reviewer', needsReason: true },
  'reject-update': { from: 'submitted', to: 'editing', by: 'reviewer', needsReason: true },
} as const satisfies Record<string, { from: ChangeState; to: ChangeState; by: ProposalActor; needsReason: boolean }>;
export type UpdateMove = keyof typeof UPDATE_MOVES;
export const UPDATE_MOVE_NAMES = Object.keys(UPDATE_MOVES) as UpdateMove[];

export type UpdateCheck =
  { ok: true; to: ChangeState } | { ok: false; reason: 'not-allowed-from-state' | 'wrong-actor' | 'reason-required' };

/** Only a designated package can be updated, one update at a time. */
export function checkUpdateMove(
  state: ProposalState,
  changeState: ChangeState,
  move: UpdateMove,
  actor: ProposalActor,
  reason?: string,
): UpdateCheck {
  const definition = UPDATE_MOVES[move];
  if (state !== 'designated' || definition.from !== changeState) return { ok: false, reason: 'not-allowed-from-state' };
  if (definition.by !== actor) return { ok: false, reason: 'wrong-actor' };
  if (definition.needsReason && !reason?.trim()) return { ok: false, reason: 'reason-required' };
  return { ok: true, to: definition.to };
}

export function availableUpdateMoves(state: ProposalState, changeState: ChangeState, actor: ProposalActor): UpdateMove[] {
  return UPDATE_MOVE_NAMES.filter((move) => checkUpdateMove(state, changeState, move, actor, 'x').ok);
}

/** Whether the consortium may edit the working copy: a draft, a returned proposal, or an update being written. */
export function isEditableWith(state: ProposalState, changeState: ChangeState): boolean {
  return isEditable(state) || (state === 'designated' && changeState === 'editing');
}
