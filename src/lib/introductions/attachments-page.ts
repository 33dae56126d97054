import { findIntroductionAttachment, listIntroductionAttachments } from '../../../db/queries/introductions.ts';
import { attachmentDownload, attachmentsPage } from '../files/page.ts';
import { addIntroductionAttachment, introductionAccess } from './actions.ts';

/** An introduction as its attachments page shows it. */
export interface IntroductionOwner {
  id: string;
  /** The introduction's page. */
  path: string;
  packageTitle: string;
}

/**
 * `/introductions/[id]/attachments`: the files (PDF, the rules of proposal attachments) and the
 * upload form, for every side of the introduction. The path ends in /attachments so that the
 * larger upload body limit of the middleware applies.
 */
export const introductionAttachmentsPage = attachmentsPage({
  async open(ctx) {
    const access = await introductionAccess(ctx.app, ctx.viewer, ctx.params.id ?? '');
    if (!access) return undefined;
    const { intro } = access;
    return { id: intro.id, path: `/introductions/${intro.id}`, packageTitle: intro.packageTitle } satisfies IntroductionOwner;
  },
  canUpload: () => true,
  list: (app, i) => listIntroductionAttachments(app.db, i.id),
  async add(ctx, i, intake) {
    const viewer = ctx.viewer!;
    const result = await addIntroductionAttachment(
      ctx.app,
      { store: intake.store, tempDir: intake.tempDir },
      { id: viewer.id, email: viewer.email, name: viewer.name, role: viewer.role, ip: ctx.clientIp },
      i.id,
      ctx.request,
    );
    if (result.ok) return { ok: true };
    return { ok: false, status: result.status, message: Object.values(result.errors)[0] ?? '', retryAfter: result.retryAfter };
  },
  done: (i) => `${i.path}?done=attachment#thread`,
});

/** `/introductions/[id]/attachments/[attachmentId]`: one file, only to the introduction's sides. */
export function introductionAttachmentDownload(
  context: Parameters<typeof attachmentDownload>[0] & { params: Record<string, string | undefined> },
) {
  return attachmentDownload(context, async (app, viewer) => {
    const access = await introductionAccess(app, viewer, context.params.id ?? '');
    return access && findIntroductionAttachment(app.db, access.intro.id, context.params.attachmentId ?? '');
  });
}
