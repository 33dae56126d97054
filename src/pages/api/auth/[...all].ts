import type { APIRoute } from 'astro';
import { notServed, servedOverHttp } from '../../../lib/auth/http-gate.ts';

/**
 * better-auth over HTTP: only the links in the site's mail (email verification, password
 * reset); every other endpoint answers 404. The pages call better-auth on the server, under
 * their own access rules (`src/lib/auth/http-gate.ts` lists what they use). The middleware
 * has set the client-address header on the request.
 */
export const ALL: APIRoute = ({ request, locals }) => (servedOverHttp(request) ? locals.app.auth.handler(request) : notServed());
