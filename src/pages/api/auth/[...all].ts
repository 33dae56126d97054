import type { APIRoute } from 'astro';

/** better-auth's endpoints (JSON); the middleware has set the client-address header on the request. */
export const ALL: APIRoute = ({ request, locals }) => locals.app.auth.handler(request);
