import type { APIRoute } from 'astro';
import { introductionAttachmentDownload } from '../../../../lib/introductions/attachments-page.ts';

/** GET: one file of an introduction, as a download, only to the introduction's sides (else 404). */
export const GET: APIRoute = (context) => introductionAttachmentDownload(context);
