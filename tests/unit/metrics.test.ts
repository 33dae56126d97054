import { describe, expect, it } from 'vitest';
import { allowList, isAllowed } from '../../src/lib/server/metrics.ts';

describe('METRICS_ALLOW', () => {
  it('the default serves loopback only, IPv4, IPv6 and IPv4-mapped', () => {
    const list = allowList('127.0.0.0/8,::1/128');
    expect(isAllowed(list, '127.0.0.1')).toBe(true);
    expect(isAllowed(list, '127.8.9.10')).toBe(true);
    expect(isAllowed(list, '::1')).toBe(true);
    expect(isAllowed(list, '::ffff:127.0.0.1')).toBe(true);
    expect(isAllowed(list, '10.0.0.1')).toBe(false);
    expect(isAllowed(list, '::ffff:10.0.0.1')).toBe(false);
    expect(isAllowed(list, '2001:db8::1')).toBe(false);
    expect(isAllowed(list, '')).toBe(false);
  });

  it('takes CIDR blocks and single addresses, and ignores what is neither', () => {
    const list = allowList(' 10.1.0.0/16 , 192.0.2.7, 2001:db8::/32, not-an-address, 10.0.0.0/99 ');
    expect(isAllowed(list, '10.1.200.3')).toBe(true);
    expect(isAllowed(list, '10.2.0.1')).toBe(false);
    expect(isAllowed(list, '192.0.2.7')).toBe(true);
    expect(isAllowed(list, '192.0.2.8')).toBe(false);
    expect(isAllowed(list, '2001:db8:ffff::1')).toBe(true);
    expect(isAllowed(list, '10.0.0.1')).toBe(false);
  });
});
