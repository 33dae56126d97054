import type { APIRoute } from 'astro';
import { METRICS_ALLOW } from 'astro:env/server';
import { allowList, isAllowed, renderMetrics } from '../lib/server/metrics.ts';

const allowed = allowList(METRICS_ALLOW);

/**
 * GET: the Prometheus metrics, only to clients whose socket address is in METRICS_ALLOW (never
 * a forwarded header, which a client could write); anyone else gets 404 as for no page.
 */
export const GET: APIRoute = async ({ locals, clientAddress, rewrite }) => {
  if (!isAllowed(allowed, clientAddress)) return rewrite('/404');
  return renderMetrics(locals.app);
};
