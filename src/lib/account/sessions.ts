import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';

/** The token of one of the user's own sessions (to end it), or undefined when it is not theirs. */
export async function sessionToken(db: Kysely<Database>, userId: string, sessionId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('session')
    .select(['token'])
    .where('id', '=', sessionId)
    .where('userId', '=', userId)
    .executeTakeFirst();
  return row?.token;
}
