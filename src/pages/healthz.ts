import type { APIRoute } from 'astro';

/** The process is alive and answering. */
export const GET: APIRoute = () => Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
