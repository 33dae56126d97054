import { dictionary } from '@zxcvbn-ts/language-common';

/** NIST SP 800-63B-4 / OWASP ASVS 5.0 V6: length, no composition rules, no breached passwords. */
export const MIN_PASSWORD_LENGTH = 15;
export const MAX_PASSWORD_LENGTH = 128;

export type PasswordProblem = 'too-short' | 'too-long' | 'breached' | 'repetitive' | 'personal';

const breached = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/** Code points, so that a password of emoji or accented letters is measured as people count. */
const length = (s: string) => [...s].length;

/**
 * Why a password may not be used, or undefined if it may. Checks the list of commonly
 * breached passwords shipped with @zxcvbn-ts/language-common (about 49,000 entries, no
 * network call), including the usual padding of such a password with digits or symbols,
 * runs of one character, and the person's own email or name.
 */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): PasswordProblem | undefined {
  const n = length(password);
  if (n < MIN_PASSWORD_LENGTH) return 'too-short';
  if (n > MAX_PASSWORD_LENGTH) return 'too-long';
  const lower = password.toLowerCase();
  if (breached.has(lower)) return 'breached';
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/g, '');
  if (core.length >= 4 && breached.has(core)) return 'breached';
  // The same short unit repeated ("passwordpassword", "abcabcabcabcabc", "aaaaaaaaaaaaaaa").
  if (/^(.{1,8}?)\1+$/su.test(lower)) return 'repetitive';
  if (new Set(lower).size <= 3) return 'repetitive';
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'personal';
  if (context.email && lower.includes(context.email.toLowerCase())) return 'personal';
  return undefined;
}
