/**
 * Open-data configuration: the one place that reads `API_RATE_LIMIT`, `API_RATE_WINDOW_SECONDS`
 * and `STATISTICS_MIN_COUNT` (declared in astro.config.mjs, documented in the README). A value
 * that does not parse is reported once and the default used, so that no request fails on it.
 */

export const DEFAULT_RATE_LIMIT = 300;
export const DEFAULT_RATE_WINDOW_SECONDS = 60;
export const DEFAULT_MIN_COUNT = 5;

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`${name} must be a whole number from ${min} to ${max} (got "${raw}"). Using ${fallback}.`);
    return fallback;
  }
  return value;
}

export interface RateLimitPolicy {
  /** Requests a client may make in one window; 0 turns the limit off. */
  limit: number;
  windowSeconds: number;
}

export function rateLimitPolicy(env: NodeJS.ProcessEnv = process.env): RateLimitPolicy {
  return {
    limit: wholeNumber(env, 'API_RATE_LIMIT', DEFAULT_RATE_LIMIT, 0, 1_000_000),
    windowSeconds: wholeNumber(env, 'API_RATE_WINDOW_SECONDS', DEFAULT_RATE_WINDOW_SECONDS, 1, 86_400),
  };
}

/** The smallest count of introductions or buyers the statistics publish; smaller ones are withheld. */
export function statisticsMinCount(env: NodeJS.ProcessEnv = process.env): number {
  return wholeNumber(env, 'STATISTICS_MIN_COUNT', DEFAULT_MIN_COUNT, 1, 1000);
}
