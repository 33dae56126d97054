import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeRequestCounts } from '../../db/queries/api-rate-limit.ts';
import { checkRateLimit } from '../../src/lib/opendata/rate-limit.ts';
import { testDb } from '../fixtures/db.ts';

// The fair-use limit of the public API counts in the database (api_rate_limit), one fixed
// window per client, so that every process of the site counts the same requests.

describe('fair-use limit of the public API', () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  const policy = { limit: 3, windowSeconds: 60 };
  const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, 0) + seconds * 1000);

  beforeAll(async () => {
    handle = await testDb();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('lets a client make the limit, then refuses it until its window ends', async () => {
    const answers = [];
    for (const s of [0, 1, 2, 3]) answers.push(await checkRateLimit(handle.db, '198.51.100.1', policy, at(s)));
    expect(answers.map((a) => a!.allowed)).toEqual([true, true, true, false]);
    expect(answers[0]!.headers).toEqual({ 'RateLimit-Policy': '"default";q=3;w=60', RateLimit: '"default";r=2;t=60' });
    expect(answers[3]!.headers.RateLimit).toBe('"default";r=0;t=57');
    expect(answers[3]!.reset).toBe(57);
    // Another client has its own budget.
    expect((await checkRateLimit(handle.db, '198.51.100.2', policy, at(3)))!.allowed).toBe(true);
    // A new window starts once the first has ended.
    const later = await checkRateLimit(handle.db, '198.51.100.1', policy, at(60));
    expect(later).toMatchObject({ allowed: true, headers: { RateLimit: '"default";r=2;t=60' } });
  });

  it('counts every request made at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => checkRateLimit(handle.db, '198.51.100.3', { limit: 5, windowSeconds: 60 }, at(0))),
    );
    expect(answers.filter((a) => a!.allowed)).toHaveLength(5);
  });

  it('is off at a limit of 0, and forgets ended windows', async () => {
    expect(await checkRateLimit(handle.db, '198.51.100.4', { limit: 0, windowSeconds: 60 })).toBeUndefined();
    expect(await purgeRequestCounts(handle.db, at(1000))).toBeGreaterThan(0);
    expect(await handle.db.selectFrom('api_rate_limit').selectAll().execute()).toEqual([]);
  });
});
