import type { APIRoute } from 'astro';
import { sql } from 'kysely';

/** The database and search answer; a failing dependency is named. */
export const GET: APIRoute = async ({ locals }) => {
  const { db, search } = locals.app;
  const checks: Record<string, 'ok' | string> = {};
  try {
    await sql`select 1`.execute(db);
    checks.database = 'ok';
  } catch (error) {
    checks.database = `failing: ${(error as Error).message}`;
  }
  const clients = search.clients();
  try {
    if (!clients) throw new Error('not connected');
    await clients.search.health();
    checks.search = 'ok';
  } catch (error) {
    checks.search = `failing: ${(error as Error).message}`;
  }
  const ready = Object.values(checks).every((v) => v === 'ok');
  return Response.json(
    { status: ready ? 'ready' : 'unavailable', checks },
    { status: ready ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
};
