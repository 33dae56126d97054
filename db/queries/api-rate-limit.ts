import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema/index.ts';

export interface RateLimitCount {
  /** Requests counted in the window, this one included. */
  count: number;
  windowStart: Date;
}

/**
 * Counts one request of `key` in its fixed window of `windowSeconds`, in one statement (so two
 * processes counting at once both count): a window that has ended starts again at `now`.
 */
export async function countRequest(db: Kysely<Database>, key: string, windowSeconds: number, now: Date): Promise<RateLimitCount> {
  const ended = sql<boolean>`api_rate_limit."windowStart" <= ${now}::timestamptz - make_interval(secs => ${windowSeconds})`;
  const row = await db
    .insertInto('api_rate_limit')
    .values({ key, windowStart: now, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql`case when ${ended} then 1 else api_rate_limit.count + 1 end`,
        windowStart: sql`case when ${ended} then ${now}::timestamptz else api_rate_limit."windowStart" end`,
      }),
    )
    .returning(['count', 'windowStart'])
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), windowStart: new Date(row.windowStart) };
}

/** Forgets the windows that ended before `before`. */
export async function purgeRequestCounts(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db.deleteFrom('api_rate_limit').where('windowStart', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
