import type { APIRoute } from 'astro';
import { fileStoreFor, pdfDownload } from '../../../../lib/files/index.ts';
import { introductionAccess } from '../../../../lib/introductions/actions.ts';
import { findIntroductionAttachment } from '../../../../../db/queries/introductions.ts';

/** GET: one file of an introduction, as a download, only to the introduction's sides (else 404). */
export const GET: APIRoute = async ({ locals, params, rewrite }) => {
  const { app, user } = locals;
  const access = await introductionAccess(app, user, params.id ?? '');
  if (!access) return rewrite('/404');
  const attachment = await findIntroductionAttachment(app.db, access.intro.id, params.attachmentId ?? '');
  if (!attachment) return rewrite('/404');
  const file = await fileStoreFor(app.config).get(attachment.storageKey);
  if (!file) return rewrite('/404');
  return pdfDownload(file, attachment.filename);
};
