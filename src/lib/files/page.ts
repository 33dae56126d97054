import type { AppServices } from '../server/bootstrap.ts';
import { notFound, redirect, refuse, type PageContext, type PageModule, type Refusal, type Viewer } from '../server/page.ts';
import { fileStoreFor, pdfDownload } from './index.ts';
import { uploadRefusal, type Intake } from './intake.ts';
import { uploadTempDir } from './upload.ts';

/**
 * The attachments page of a proposal or an introduction (`…/attachments`): the files, and the
 * upload form where the viewer may add one. The file is streamed to disk and checked as it
 * arrives (`intake.ts`); a refused upload shows the page again with its error (and
 * `Retry-After`), or answers problem+json to a client that asks for JSON. The download of one
 * file (`…/attachments/[attachmentId]`) goes to those who may see the owner, else 404.
 */

export interface AttachmentsOwner<Owner, File> {
  /** The owner the viewer may see, or nothing (404). */
  open(ctx: PageContext): Promise<Owner | undefined>;
  /** The viewer may upload to it. */
  canUpload(owner: Owner): boolean;
  list(app: AppServices, owner: Owner): Promise<File[]>;
  /** Receives the file; the outcome's message is the error to show. */
  add(
    ctx: PageContext,
    owner: Owner,
    intake: Intake,
  ): Promise<{ ok: true } | { ok: false; status: number; message: string; retryAfter?: number | undefined }>;
  /** Where the viewer goes after an upload. */
  done(owner: Owner): string;
}

export interface AttachmentsModel<Owner, File> {
  owner: Owner;
  attachments: File[];
  canUpload: boolean;
  /** The upload's error, after a refused one. */
  error?: string | undefined;
  added: boolean;
}

/** The services an upload needs, from the site's configuration. */
export function intakeFor(ctx: PageContext): Intake {
  const { app } = ctx;
  return { db: app.db, store: fileStoreFor(app.config), tempDir: uploadTempDir(app.config), t: ctx.t };
}

export function attachmentsPage<Owner, File>(feature: AttachmentsOwner<Owner, File>): PageModule<AttachmentsModel<Owner, File>> {
  return {
    async load(ctx, refusal?: Refusal) {
      const owner = await feature.open(ctx);
      if (!owner || !ctx.viewer) return notFound();
      return {
        owner,
        attachments: await feature.list(ctx.app, owner),
        canUpload: feature.canUpload(owner),
        error: refusal?.errors.file,
        added: !refusal && ctx.url.searchParams.has('added') && ctx.request.method === 'GET',
      };
    },
    async upload(ctx) {
      const owner = await feature.open(ctx);
      if (!owner || !ctx.viewer || !feature.canUpload(owner)) return notFound();
      const result = await feature.add(ctx, owner, intakeFor(ctx));
      if (result.ok) return redirect(feature.done(owner));
      const answer = uploadRefusal(ctx.request, result.status, result.message, result.retryAfter);
      if (answer) return answer;
      return refuse(
        result.status,
        { file: result.message },
        result.retryAfter ? { headers: { 'Retry-After': String(result.retryAfter) } } : {},
      );
    },
  };
}

/** GET of one attachment: the PDF, to those `find` lets see it (else the 404 page). */
export async function attachmentDownload(
  context: { locals: App.Locals; rewrite(path: string): Promise<Response> },
  find: (app: AppServices, viewer: Viewer | undefined) => Promise<{ storageKey: string; filename: string } | undefined>,
): Promise<Response> {
  const { app, user } = context.locals;
  const attachment = await find(app, user);
  if (!attachment) return context.rewrite('/404');
  const file = await fileStoreFor(app.config).get(attachment.storageKey);
  if (!file) return context.rewrite('/404');
  return pdfDownload(file, attachment.filename);
}
