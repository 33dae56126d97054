import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../src/lib/auth/password-policy.ts';

describe('passwordProblem', () => {
  it.each([
    ['fourteen chars', 'too-short'],
    ['x'.repeat(129), 'too-long'],
    ['123456789987654321', 'breached'],
    ['qazwsxedcrfvtgb', 'breached'],
    ['password1234567!', 'breached'],
    ['zqxjkzqxjkzqxjkzqxjk', 'repetitive'],
    ['aaaaaaaaaaaaaaaaaaaa', 'repetitive'],
    ['ababababababababab', 'repetitive'],
  ])('refuses %j as %s', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });

  it('refuses a password that contains the email address', () => {
    expect(passwordProblem('amina.kamau-secret-words', { email: 'amina.kamau@example.com' })).toBe('personal');
  });

  it.each(['correct horse battery staple', 'river-lantern-quietly-77', 'Ünïcödé passphrase ok', '🙂🙂🙂 emoji and words too'])(
    'accepts %j: no composition rules',
    (password) => {
      expect(passwordProblem(password, { email: 'someone@example.com' })).toBeUndefined();
    },
  );

  it('counts characters, not bytes', () => {
    expect(passwordProblem('ééééé ééééé éé')).toBe('too-short');
  });
});
