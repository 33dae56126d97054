import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../db/index.ts';
import { accountAttachmentUsage, lockAttachmentQuotas, ownerAttachmentUsage } from '../../../db/queries/attachments.ts';

// What one person may upload: how many at a time, and how much in all (per proposal, per
// introduction, per account). Figures are in the README (Uploads).

const MiB = 1024 * 1024;

export const ATTACHMENT_QUOTAS = {
  proposal: { files: 40, bytes: 200 * MiB },
  introduction: { files: 20, bytes: 100 * MiB },
  account: { files: 200, bytes: 1024 * MiB },
} as const;

/** Uploads being received at once: per account, and by the whole site. */
export const UPLOADS_IN_FLIGHT = { perAccount: 2, site: 6 } as const;

/** Seconds a client told to wait (429) should wait before trying again. */
export const UPLOAD_RETRY_AFTER = 10;

export type QuotaScope = keyof typeof ATTACHMENT_QUOTAS;

/** A quota an upload would go over: which, and by what measure. */
export interface QuotaProblem {
  scope: QuotaScope;
  measure: 'files' | 'bytes';
  limit: number;
}

/**
 * The first quota that adding `bytes` more (one more file) would exceed; undefined when it
 * fits. `bytes` 0 asks before the upload is read (is there room for one more file at all?).
 */
export async function quotaProblem(
  db: Kysely<Database> | Transaction<Database>,
  owner: { type: 'proposal' | 'introduction'; id: string },
  userId: string,
  bytes: number,
): Promise<QuotaProblem | undefined> {
  const checks: [QuotaScope, { files: number; bytes: number }][] = [
    [owner.type, await ownerAttachmentUsage(db, owner.type, owner.id)],
    ['account', await accountAttachmentUsage(db, userId)],
  ];
  for (const [scope, used] of checks) {
    const quota = ATTACHMENT_QUOTAS[scope];
    if (used.files + 1 > quota.files) return { scope, measure: 'files', limit: quota.files };
    if (used.bytes + bytes > quota.bytes || (bytes === 0 && used.bytes >= quota.bytes)) {
      return { scope, measure: 'bytes', limit: quota.bytes };
    }
  }
  return undefined;
}

/**
 * Inside the transaction that records an upload: waits for the other uploads to the same
 * owner or by the same account, then checks the quotas, so that parallel uploads cannot pass
 * them together.
 */
export async function checkQuotaLocked(
  tx: Transaction<Database>,
  owner: { type: 'proposal' | 'introduction'; id: string },
  userId: string,
  bytes: number,
): Promise<QuotaProblem | undefined> {
  await lockAttachmentQuotas(tx, owner.id, userId);
  return quotaProblem(tx, owner, userId, bytes);
}

/** Thrown inside the recording transaction to roll it back; carries the quota it hit. */
export class QuotaExceeded extends Error {
  override name = 'QuotaExceeded';
  constructor(readonly problem: QuotaProblem) {
    super(`Upload quota reached: ${problem.scope} ${problem.measure}`);
  }
}

export type SlotResult = { ok: true; release(): void } | { ok: false; scope: 'account' | 'site'; retryAfter: number };

/** Counts the uploads this process is receiving, per account and in all. */
export class UploadSlots {
  private total = 0;
  private readonly perAccount = new Map<string, number>();
  constructor(private readonly limits: { perAccount: number; site: number } = UPLOADS_IN_FLIGHT) {}

  take(accountId: string): SlotResult {
    const mine = this.perAccount.get(accountId) ?? 0;
    if (mine >= this.limits.perAccount) return { ok: false, scope: 'account', retryAfter: UPLOAD_RETRY_AFTER };
    if (this.total >= this.limits.site) return { ok: false, scope: 'site', retryAfter: UPLOAD_RETRY_AFTER };
    this.total++;
    this.perAccount.set(accountId, mine + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.total--;
        const left = (this.perAccount.get(accountId) ?? 1) - 1;
        if (left > 0) this.perAccount.set(accountId, left);
        else this.perAccount.delete(accountId);
      },
    };
  }

  get inFlight(): number {
    return this.total;
  }
}

/** The site's one counter of uploads in flight. */
export const uploadSlots = new UploadSlots();
