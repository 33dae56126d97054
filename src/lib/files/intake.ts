import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../db/index.ts';
import type { Translator } from '../../i18n/index.ts';
import { problem } from '../server/problem.ts';
import { MAX_ATTACHMENT_BYTES, type FileStore } from './index.ts';
import {
  checkQuotaLocked,
  quotaProblem,
  QuotaExceeded,
  UPLOADS_IN_FLIGHT,
  uploadSlots,
  type QuotaProblem,
  type UploadSlots,
} from './quota.ts';
import { receivePdf, UPLOAD_STATUS, type ReceivedFile, type UploadProblem } from './upload.ts';

// The one way an attachment comes in, for proposals and introductions alike:
//   0. a body declared larger than the largest file (and its form) is refused unread, 413;
//   1. a slot among the uploads in flight (per account and for the site), else 429;
//   2. room under the quotas for one more file, else 413, before the body is read;
//   3. the body streamed to a temporary file and checked (PDF, size), else 400/413;
//   4. the file moved into the store; then in one transaction, after the other uploads to the
//      same owner or by the same account: the quotas again with the real size, the row and the
//      audit event recorded; the file is removed from the store if that fails.

export type AttachmentOutcome =
  { ok: true; id: string } | { ok: false; status: 400 | 413 | 429; message: string; retryAfter?: number };

/** The feature's own words for the problems every upload can have. */
export interface UploadMessages {
  none: string;
  notPdf: string;
  tooLarge: string;
}

export interface Intake {
  db: Kysely<Database>;
  store: FileStore;
  /** Where uploads are received (`uploadTempDir(config)`). */
  tempDir: string;
  slots?: UploadSlots;
  t: Translator;
}

const MiB = 1024 * 1024;

export function quotaMessage(t: Translator, problem: QuotaProblem): string {
  const limit = problem.measure === 'bytes' ? Math.round(problem.limit / MiB) : problem.limit;
  return t(`files.error.quota.${problem.scope}.${problem.measure}`, { limit });
}

function problemMessage(t: Translator, problem: UploadProblem, messages: UploadMessages): string {
  if (problem === 'malformed') return t('files.error.malformed');
  if (problem === 'too-large') return messages.tooLarge;
  if (problem === 'not-pdf') return messages.notPdf;
  return messages.none;
}

/**
 * Receives one PDF from `request` for `owner` on behalf of `userId`, and records it with
 * `record` (insert the row, write the audit event) inside the transaction that checks the quotas.
 */
export async function takeAttachment(
  intake: Intake,
  request: Request,
  owner: { type: 'proposal' | 'introduction'; id: string },
  userId: string,
  messages: UploadMessages,
  record: (tx: Transaction<Database>, file: ReceivedFile & { id: string; storageKey: string }) => Promise<void>,
): Promise<AttachmentOutcome> {
  const { db, store, t } = intake;
  // Over the limit by more than a form's own overhead: refused before anything is read.
  if (Number(request.headers.get('content-length') ?? 0) > MAX_ATTACHMENT_BYTES + 64 * 1024) {
    return { ok: false, status: 413, message: messages.tooLarge };
  }
  const slot = (intake.slots ?? uploadSlots).take(userId);
  if (!slot.ok) {
    const message =
      slot.scope === 'account'
        ? t('files.error.busy.account', { count: UPLOADS_IN_FLIGHT.perAccount, seconds: slot.retryAfter })
        : t('files.error.busy.site', { seconds: slot.retryAfter });
    return { ok: false, status: 429, message, retryAfter: slot.retryAfter };
  }
  let file: ReceivedFile | undefined;
  try {
    const before = await quotaProblem(db, owner, userId, 0);
    if (before) return { ok: false, status: 413, message: quotaMessage(t, before) };
    const received = await receivePdf(request, { tempDir: intake.tempDir });
    if (!received.ok) {
      return { ok: false, status: UPLOAD_STATUS[received.problem], message: problemMessage(t, received.problem, messages) };
    }
    file = received.file;
    const id = randomUUID();
    const storageKey = `${owner.type === 'proposal' ? 'proposals' : 'introductions'}/${owner.id}/${id}.pdf`;
    const taken = file;
    try {
      // Into the store first, outside the transaction: a database-backed store writes with a
      // connection of its own (PGlite has only one), and the quota locks are not held meanwhile.
      await store.putFile(storageKey, taken.path);
      await db.transaction().execute(async (tx) => {
        const problem = await checkQuotaLocked(tx, owner, userId, taken.size);
        if (problem) throw new QuotaExceeded(problem);
        await record(tx, { ...taken, id, storageKey });
      });
    } catch (error) {
      await store.delete(storageKey);
      if (error instanceof QuotaExceeded) return { ok: false, status: 413, message: quotaMessage(t, error.problem) };
      throw error;
    }
    return { ok: true, id };
  } finally {
    slot.release();
    await file?.discard();
  }
}

/**
 * A client that asks for JSON (and not HTML) gets a refused upload as RFC 9457 problem details
 * with the same status (and `Retry-After`); a browser gets the page with its error summary.
 */
export function uploadRefusal(request: Request, status: number, detail: string, retryAfter?: number): Response | undefined {
  const accept = request.headers.get('accept') ?? '';
  if (!/application\/(problem\+)?json/i.test(accept) || /text\/html/i.test(accept)) return undefined;
  const title = status === 429 ? 'Too many uploads in flight' : status === 413 ? 'Too large for the limits' : 'Upload refused';
  return problem(
    { title, status, detail, ...(retryAfter ? { retryAfter } : {}) },
    retryAfter ? { 'retry-after': String(retryAfter) } : {},
  );
}
