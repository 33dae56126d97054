import type { APIRoute } from 'astro';
import { proposalAttachmentDownload } from '../../../../lib/proposals/pages/attachments.ts';

/** GET: one attachment of a proposal, as a download, only to people who may see the proposal (else 404). */
export const GET: APIRoute = (context) => proposalAttachmentDownload(context);
