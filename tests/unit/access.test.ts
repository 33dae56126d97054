import { describe, expect, it } from 'vitest';
import { decide } from '../../src/lib/server/access.ts';
import type { SiteRole } from '../../db/schema/user.ts';

const as = (role: SiteRole, twoFactorEnabled = true) => ({ role, twoFactorEnabled });
const dev = { production: false };

describe('decide', () => {
  it('lets anyone read the catalog and the sign-in pages', () => {
    for (const path of [
      '/',
      '/packages',
      '/packages/x',
      '/about',
      '/account/sign-in',
      '/account/sign-up',
      '/account/forgot-password',
    ]) {
      expect(decide(path, undefined, dev)).toBe('allow');
    }
  });

  it('sends anonymous visitors of account pages to sign in', () => {
    expect(decide('/account', undefined, dev)).toBe('sign-in');
    expect(decide('/account/security', undefined, dev)).toBe('sign-in');
    expect(decide('/admin/users', undefined, dev)).toBe('sign-in');
  });

  it('gives administration to administrators only', () => {
    for (const role of ['buyer', 'supplier', 'officer', 'reviewer'] as const)
      expect(decide('/admin', as(role), dev)).toBe('forbidden');
    expect(decide('/admin/users/abc', as('admin'), dev)).toBe('allow');
  });

  it('keeps staff without two-factor sign-in on the set-up page', () => {
    expect(decide('/admin', as('admin', false), dev)).toBe('two-factor-setup');
    expect(decide('/account', as('officer', false), dev)).toBe('two-factor-setup');
    expect(decide('/account/two-factor', as('reviewer', false), dev)).toBe('allow');
    expect(decide('/packages', as('officer', false), dev)).toBe('allow');
    expect(decide('/account', as('buyer', false), dev)).toBe('allow');
  });

  it('hides the development mailbox in production', () => {
    expect(decide('/dev/mailbox', undefined, dev)).toBe('allow');
    expect(decide('/dev/mailbox', as('admin'), { production: true })).toBe('not-found');
  });
});
