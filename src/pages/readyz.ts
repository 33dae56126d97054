import type { APIRoute } from 'astro';
import { sql } from 'kysely';
import { runtimePhase, services, startFailure } from '../lib/server/runtime.ts';

const noStore = { 'cache-control': 'no-store' };

/**
 * Ready to serve: start-up has completed (not starting, failed or stopping) and the database
 * and search answer; otherwise 503 naming what is not. It never waits for start-up.
 */
export const GET: APIRoute = async () => {
  const { phase, error } = runtimePhase();
  if (phase !== 'ready') {
    const startup = phase === 'failed' ? `failed: ${startFailure(error)}` : phase;
    return Response.json(
      { status: 'unavailable', checks: { startup } },
      { status: 503, headers: { ...noStore, 'retry-after': '5' } },
    );
  }
  const { db, search } = await services();
  const checks: Record<string, 'ok' | string> = { startup: 'ok' };
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
  return Response.json({ status: ready ? 'ready' : 'unavailable', checks }, { status: ready ? 200 : 503, headers: noStore });
};
