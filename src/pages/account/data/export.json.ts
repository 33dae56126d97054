import type { APIRoute } from 'astro';
import { recordAudit } from '../../../../db/queries/audit.ts';
import { exportUserData } from '../../../lib/account/data.ts';

/** GET: the signed-in person's data as a JSON download. */
export const GET: APIRoute = async ({ locals }) => {
  const user = locals.user!;
  const data = await exportUserData(locals.app.db, user.id);
  await recordAudit(locals.app.db, { action: 'data-exported', actorId: user.id, actorEmail: user.email, subjectType: 'user', subjectId: user.id, ipAddress: locals.clientIp });
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="aiexports-data-${new Date().toISOString().slice(0, 10)}.json"`,
      'cache-control': 'private, no-store',
    },
  });
};
