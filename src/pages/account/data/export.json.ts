import type { APIRoute } from 'astro';
import { exportDownload } from '../../../lib/account/page.ts';

/** GET: the signed-in person's data as a JSON download. */
export const GET: APIRoute = ({ locals }) =>
  exportDownload({ app: locals.app, viewer: locals.user, clientIp: locals.clientIp });
