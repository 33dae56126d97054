import { findProposalAttachment, listProposalAttachments } from '../../../../db/queries/proposals.ts';
import { attachmentDownload, attachmentsPage } from '../../files/page.ts';
import type { PageContext } from '../../server/page.ts';
import { proposalAccess, type ProposalAccess } from '../access.ts';
import { addAttachment } from '../editor.ts';
import { proposalTitle } from './common.ts';

/** A proposal as its attachments page shows it. */
export interface ProposalOwner {
  id: string;
  title: string;
  canEdit: boolean;
}

const owner = (access: ProposalAccess, ctx: PageContext): ProposalOwner => ({
  id: access.proposal.id,
  title: proposalTitle(access.proposal.draft, ctx.t),
  canEdit: access.canEdit,
});

/** `/proposals/[id]/attachments`: the list for anyone who may see the proposal, the upload form for its editors. */
export const proposalAttachmentsPage = attachmentsPage({
  async open(ctx) {
    const access = await proposalAccess(ctx.app.db, ctx.viewer, ctx.params.id ?? '');
    return access && owner(access, ctx);
  },
  canUpload: (p) => p.canEdit,
  list: (app, p) => listProposalAttachments(app.db, p.id),
  add(ctx, p, intake) {
    const viewer = ctx.viewer!;
    return addAttachment(intake, {
      proposalId: p.id,
      request: ctx.request,
      actor: { id: viewer.id, email: viewer.email, ip: ctx.clientIp || null },
    });
  },
  done: (p) => `/proposals/${p.id}/attachments?added=1`,
});

/** `/proposals/[id]/attachments/[attachmentId]`: the PDF, only to people who may see the proposal. */
export function proposalAttachmentDownload(
  context: Parameters<typeof attachmentDownload>[0] & { params: Record<string, string | undefined> },
) {
  return attachmentDownload(context, async (app, viewer) => {
    const access = await proposalAccess(app.db, viewer, context.params.id ?? '');
    return access && findProposalAttachment(app.db, access.proposal.id, context.params.attachmentId ?? '');
  });
}
