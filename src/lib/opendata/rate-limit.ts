import type { Kysely } from 'kysely';
import { countRequest, purgeRequestCounts } from '../../../db/queries/api-rate-limit.ts';
import type { Database } from '../../../db/schema/index.ts';
import { problem } from '../server/problem.ts';
import type { RateLimitPolicy } from './config.ts';

/** What fair use covers: the public API, the feeds, the downloads and the statistics as CSV. */
export const PUBLIC_DATA_PATHS = /^\/(api\/v1\/|downloads\/|packages\.(atom|csv|json)$|statistics\.csv$)/;

export const POLICY_NAME = 'default';

export interface RateLimitDecision {
  allowed: boolean;
  /** The IETF RateLimit and RateLimit-Policy fields (draft-ietf-httpapi-ratelimit-headers). */
  headers: Record<string, string>;
  /** Seconds until the window resets. */
  reset: number;
}

let hits = 0;

/**
 * Counts a request of `client` against the policy (a fixed window per client, kept in the
 * database so that every process of the site counts alike) and says whether it may go on.
 */
export async function checkRateLimit(
  db: Kysely<Database>,
  client: string,
  policy: RateLimitPolicy,
  now = new Date(),
): Promise<RateLimitDecision | undefined> {
  if (policy.limit === 0) return undefined;
  const { count, windowStart } = await countRequest(db, `${POLICY_NAME}:${client || 'unknown'}`, policy.windowSeconds, now);
  // Now and then, forget windows that ended long ago.
  if (++hits % 500 === 0) void purgeRequestCounts(db, new Date(now.getTime() - 2 * policy.windowSeconds * 1000)).catch(() => {});
  const reset = Math.max(0, Math.ceil((windowStart.getTime() + policy.windowSeconds * 1000 - now.getTime()) / 1000));
  const remaining = Math.max(0, policy.limit - count);
  return {
    allowed: count <= policy.limit,
    reset,
    headers: {
      'RateLimit-Policy': `"${POLICY_NAME}";q=${policy.limit};w=${policy.windowSeconds}`,
      RateLimit: `"${POLICY_NAME}";r=${remaining};t=${reset}`,
    },
  };
}

export function tooManyRequests(decision: RateLimitDecision, policy: RateLimitPolicy): Response {
  return problem(
    {
      title: 'Too many requests',
      status: 429,
      detail: `This client may make ${policy.limit} requests every ${policy.windowSeconds} seconds. Try again in ${decision.reset} seconds.`,
    },
    { ...decision.headers, 'Retry-After': String(Math.max(1, decision.reset)) },
  );
}
