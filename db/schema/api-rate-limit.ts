import type { Selectable } from 'kysely';

/** One client's request count in the current fair-use window of the public API. */
export interface ApiRateLimitTable {
  /** The client (its address), prefixed by the policy name. */
  key: string;
  windowStart: Date;
  count: number;
}

export type ApiRateLimitRow = Selectable<ApiRateLimitTable>;
