import type { APIRoute } from 'astro';
import { redirectWithCookies } from '../../lib/server/forms.ts';

/** POST: ends the session on the server and clears its cookies. */
export const POST: APIRoute = async ({ request, locals }) => {
  const { headers } = await locals.app.auth.api
    .signOut({ headers: request.headers, returnHeaders: true })
    .catch(() => ({ headers: null }));
  return redirectWithCookies('/', headers);
};

export const GET: APIRoute = () => new Response('Use the sign-out button.', { status: 405, headers: { allow: 'POST' } });
