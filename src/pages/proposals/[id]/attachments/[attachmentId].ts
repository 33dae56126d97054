import type { APIRoute } from 'astro';
import { contentDisposition, fileStoreFor } from '../../../../lib/files/index.ts';
import { proposalAccess } from '../../../../lib/proposals/access.ts';
import { findProposalAttachment } from '../../../../../db/queries/proposals.ts';

/** GET: one attachment of a proposal, as a download, only to people who may see the proposal (else 404). */
export const GET: APIRoute = async ({ locals, params, rewrite }) => {
  const { app, user } = locals;
  const access = await proposalAccess(app.db, user, params.id ?? '');
  if (!access) return rewrite('/404');
  const attachment = await findProposalAttachment(app.db, access.proposal.id, params.attachmentId ?? '');
  if (!attachment) return rewrite('/404');
  const file = await fileStoreFor(app.config).get(attachment.storageKey);
  if (!file) return rewrite('/404');
  return new Response(file.stream(), {
    headers: {
      'content-type': 'application/pdf',
      'content-length': String(file.size),
      'content-disposition': contentDisposition(attachment.filename),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  });
};
