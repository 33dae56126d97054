import { describe, expect, it } from 'vitest';
import { PROPOSAL_MOVES, PROPOSAL_STATES, MOVES, availableMoves, checkMove } from '../../src/lib/proposals/state.ts';

describe('proposal state machine', () => {
  const allowed: [string, string, string][] = [
    ['draft', 'submit', 'submitted'],
    ['returned', 'submit', 'submitted'],
    ['draft', 'withdraw', 'withdrawn'],
    ['returned', 'withdraw', 'withdrawn'],
    ['submitted', 'take', 'under-review'],
    ['under-review', 'return', 'returned'],
    ['under-review', 'designate', 'designated'],
    ['under-review', 'decline', 'declined'],
    ['designated', 'suspend', 'suspended'],
    ['suspended', 'reinstate', 'designated'],
    ['suspended', 'revoke', 'revoked'],
  ];

  it.each(allowed)('allows %s --%s--> %s', (from, move, to) => {
    const by = MOVES[move as keyof typeof MOVES].by;
    expect(checkMove(from as never, move as never, by, 'a reason')).toEqual({ ok: true, to });
  });

  it('refuses every other (state, move) pair', () => {
    const allowedPairs = new Set(allowed.map(([from, move]) => `${from}:${move}`));
    let refused = 0;
    for (const state of PROPOSAL_STATES) {
      for (const move of PROPOSAL_MOVES) {
        if (allowedPairs.has(`${state}:${move}`)) continue;
        const result = checkMove(state, move, MOVES[move].by, 'a reason');
        expect(result, `${state} ${move}`).toEqual({ ok: false, reason: 'not-allowed-from-state' });
        refused++;
      }
    }
    expect(refused).toBe(PROPOSAL_STATES.length * PROPOSAL_MOVES.length - allowed.length);
  });

  it('refuses a move by the wrong side', () => {
    expect(checkMove('under-review', 'designate', 'consortium', 'x')).toEqual({ ok: false, reason: 'wrong-actor' });
    expect(checkMove('draft', 'submit', 'reviewer')).toEqual({ ok: false, reason: 'wrong-actor' });
  });

  it('requires a written reason for decisions', () => {
    expect(checkMove('under-review', 'designate', 'reviewer', '  ')).toEqual({ ok: false, reason: 'reason-required' });
    expect(checkMove('designated', 'suspend', 'reviewer')).toEqual({ ok: false, reason: 'reason-required' });
    expect(checkMove('submitted', 'take', 'reviewer')).toEqual({ ok: true, to: 'under-review' });
  });

  it('lists the moves each side has', () => {
    expect(availableMoves('under-review', 'reviewer')).toEqual(['return', 'designate', 'decline']);
    expect(availableMoves('returned', 'consortium')).toEqual(['submit', 'withdraw']);
    expect(availableMoves('revoked', 'reviewer')).toEqual([]);
  });
});
