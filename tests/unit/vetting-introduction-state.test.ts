import { describe, expect, it } from 'vitest';
import { VETTING_MOVES, VETTING_STATES, checkVettingMove, isVerified, vettingMovesFor } from '../../src/lib/vetting/state.ts';
import {
  INTRODUCTION_MOVES,
  INTRODUCTION_STATES,
  businessDaysBetween,
  checkIntroductionMove,
  introductionMovesFor,
  isOpen,
  noteOf,
  waitingOn,
} from '../../src/lib/introductions/state.ts';

describe('vetting moves', () => {
  const allowed = new Set([
    'pending:verify',
    'pending:reject',
    'info-requested:reject',
    'pending:ask-info',
    'info-requested:provide-info',
    'verified:expire',
    'verified:revoke',
  ]);
  it('allows exactly the listed moves, by the right side', () => {
    for (const state of VETTING_STATES) {
      for (const move of Object.keys(VETTING_MOVES) as (keyof typeof VETTING_MOVES)[]) {
        const result = checkVettingMove(state, move, VETTING_MOVES[move].by, { reason: 'r' });
        expect(result.ok, `${state} ${move}`).toBe(allowed.has(`${state}:${move}`));
      }
    }
    expect(checkVettingMove('pending', 'verify', 'buyer', { reason: 'r' })).toEqual({ ok: false, reason: 'wrong-actor' });
  });
  it('never verifies a buyer in an embargoed destination, and wants a reason', () => {
    expect(checkVettingMove('pending', 'verify', 'officer', { reason: 'ok', embargoed: true })).toEqual({
      ok: false,
      reason: 'embargoed',
    });
    expect(checkVettingMove('pending', 'verify', 'officer', {})).toEqual({ ok: false, reason: 'reason-required' });
  });
  it('offers the officer only what the facts allow: no verify when embargoed or unscreened', () => {
    const clean = { embargoed: false, screened: true, newMatches: false };
    expect(vettingMovesFor('pending', 'officer', clean)).toEqual(['verify', 'reject', 'ask-info', 'screen-again']);
    expect(vettingMovesFor('pending', 'officer', { ...clean, embargoed: true })).toEqual(['reject', 'ask-info', 'screen-again']);
    expect(vettingMovesFor('pending', 'officer', { ...clean, screened: false })).toEqual(['reject', 'ask-info', 'screen-again']);
    expect(vettingMovesFor('verified', 'officer', clean)).toEqual(['revoke', 'screen-again']);
    expect(vettingMovesFor('verified', 'officer', { ...clean, newMatches: true })).toEqual([
      'revoke',
      'screen-again',
      'review-matches',
    ]);
    expect(vettingMovesFor('rejected', 'officer', clean)).toEqual([]);
    expect(vettingMovesFor('info-requested', 'buyer', clean)).toEqual(['provide-info']);
  });
  it('checks the steps that keep the state as it checks the moves', () => {
    expect(checkVettingMove('pending', 'verify', 'officer', { reason: 'ok', screened: false })).toEqual({
      ok: false,
      reason: 'unscreened',
    });
    expect(checkVettingMove('info-requested', 'screen-again', 'officer')).toEqual({ ok: true, to: 'info-requested' });
    expect(checkVettingMove('rejected', 'screen-again', 'officer')).toEqual({ ok: false, reason: 'not-allowed-from-state' });
    expect(checkVettingMove('verified', 'review-matches', 'officer', { reason: 'looked', newMatches: false })).toEqual({
      ok: false,
      reason: 'nothing-new',
    });
    expect(checkVettingMove('verified', 'review-matches', 'officer', { newMatches: true })).toEqual({
      ok: false,
      reason: 'reason-required',
    });
    expect(checkVettingMove('verified', 'review-matches', 'officer', { reason: 'looked', newMatches: true })).toEqual({
      ok: true,
      to: 'verified',
    });
    expect(checkVettingMove('verified', 'review-matches', 'buyer', { reason: 'r', newMatches: true })).toEqual({
      ok: false,
      reason: 'wrong-actor',
    });
  });
  it('lets a verification lapse at its expiry', () => {
    const now = new Date('2026-11-23T00:00:00Z');
    expect(isVerified('verified', new Date('2027-11-23T00:00:00Z'), now)).toBe(true);
    expect(isVerified('verified', new Date('2026-11-22T00:00:00Z'), now)).toBe(false);
    expect(isVerified('pending', null, now)).toBe(false);
  });
});

describe('introduction moves', () => {
  const allowed: [string, string, string, string][] = [
    ['requested', 'take', 'officer', 'taken'],
    ['taken', 'ask-buyer', 'officer', 'info-requested'],
    ['info-requested', 'answer', 'buyer', 'taken'],
    ['taken', 'broker', 'officer', 'brokered'],
    ['requested', 'decline', 'officer', 'declined'],
    ['taken', 'decline', 'officer', 'declined'],
    ['info-requested', 'decline', 'officer', 'declined'],
    ['brokered', 'accept', 'consortium', 'accepted'],
    ['brokered', 'refuse', 'consortium', 'refused'],
    ['accepted', 'hold-meeting', 'officer', 'meeting-held'],
    ['accepted', 'hold-meeting', 'consortium', 'meeting-held'],
    ['meeting-held', 'close', 'officer', 'closed'],
    ['requested', 'withdraw', 'buyer', 'withdrawn'],
    ['taken', 'withdraw', 'buyer', 'withdrawn'],
    ['info-requested', 'withdraw', 'buyer', 'withdrawn'],
  ];
  it.each(allowed)('allows %s --%s by %s--> %s', (from, move, actor, to) => {
    expect(checkIntroductionMove(from as never, move as never, actor as never, { note: 'n', outcome: 'deal-signed' })).toEqual({
      ok: true,
      to,
    });
  });
  it('refuses every other move from every state', () => {
    const pairs = new Set(allowed.map(([from, move]) => `${from}:${move}`));
    for (const state of INTRODUCTION_STATES) {
      for (const move of Object.keys(INTRODUCTION_MOVES) as (keyof typeof INTRODUCTION_MOVES)[]) {
        if (pairs.has(`${state}:${move}`)) continue;
        for (const actor of INTRODUCTION_MOVES[move].by) {
          expect(checkIntroductionMove(state, move, actor, { note: 'n', outcome: 'no-fit' })).toEqual({
            ok: false,
            reason: 'not-allowed-from-state',
          });
        }
      }
    }
  });
  it('refuses the wrong side, a missing note, and a close without an outcome', () => {
    expect(checkIntroductionMove('brokered', 'accept', 'buyer', { note: 'n' })).toEqual({ ok: false, reason: 'wrong-actor' });
    expect(checkIntroductionMove('taken', 'broker', 'officer', { note: ' ' })).toEqual({ ok: false, reason: 'note-required' });
    expect(checkIntroductionMove('meeting-held', 'close', 'officer', { outcome: 'great' })).toEqual({
      ok: false,
      reason: 'outcome-required',
    });
  });
  it('knows whose turn it is and what each side can do', () => {
    expect(waitingOn('requested')).toBe('officer');
    expect(waitingOn('info-requested')).toBe('buyer');
    expect(waitingOn('brokered')).toBe('consortium');
    expect(waitingOn('closed')).toBeUndefined();
    expect(introductionMovesFor('brokered', 'consortium')).toEqual(['accept', 'refuse']);
  });
  it('brokers only to a consortium, and says which moves take a note', () => {
    expect(introductionMovesFor('taken', 'officer', { hasConsortium: true })).toEqual(['ask-buyer', 'broker', 'decline']);
    expect(introductionMovesFor('taken', 'officer', { hasConsortium: false })).toEqual(['ask-buyer', 'decline']);
    expect(checkIntroductionMove('taken', 'broker', 'officer', { note: 'brief', hasConsortium: false })).toEqual({
      ok: false,
      reason: 'no-consortium',
    });
    expect(checkIntroductionMove('taken', 'broker', 'officer', { note: ' ', hasConsortium: false })).toEqual({
      ok: false,
      reason: 'note-required',
    });
    expect(noteOf('broker')).toBe('required');
    expect(noteOf('close')).toBe('optional');
    expect(noteOf('hold-meeting')).toBe('optional');
    expect(noteOf('take')).toBeUndefined();
    expect(isOpen('brokered')).toBe(true);
    expect(isOpen('closed')).toBe(false);
  });
  it('counts business days, skipping weekends', () => {
    expect(businessDaysBetween(new Date('2026-11-20T10:00:00Z'), new Date('2026-11-23T09:00:00Z'))).toBe(1); // Fri → Mon
    expect(businessDaysBetween(new Date('2026-11-16T10:00:00Z'), new Date('2026-11-23T09:00:00Z'))).toBe(5);
    expect(businessDaysBetween(new Date('2026-11-23T10:00:00Z'), new Date('2026-11-23T18:00:00Z'))).toBe(0);
  });
});
