import type { APIRoute } from 'astro';
import { fileStoreFor, pdfDownload } from '../../../../lib/files/index.ts';
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
  return pdfDownload(file, attachment.filename);
};
