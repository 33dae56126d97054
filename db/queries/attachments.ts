import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema/index.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** How many files, and how many bytes, something holds. */
export interface AttachmentUsage {
  files: number;
  bytes: number;
}

/** The files of one proposal or introduction. */
export async function ownerAttachmentUsage(
  db: Db,
  ownerType: 'proposal' | 'introduction',
  ownerId: string,
): Promise<AttachmentUsage> {
  const row = await db
    .selectFrom('attachment')
    .select((eb) => [eb.fn.countAll<number>().as('files'), eb.fn.coalesce(eb.fn.sum<number>('size'), sql<number>`0`).as('bytes')])
    .where('ownerType', '=', ownerType)
    .where('ownerId', '=', ownerId)
    .executeTakeFirstOrThrow();
  return { files: Number(row.files), bytes: Number(row.bytes) };
}

/** The files one account has uploaded, to proposals and introductions alike. */
export async function accountAttachmentUsage(db: Db, userId: string): Promise<AttachmentUsage> {
  const row = await db
    .selectFrom('attachment')
    .select((eb) => [eb.fn.countAll<number>().as('files'), eb.fn.coalesce(eb.fn.sum<number>('size'), sql<number>`0`).as('bytes')])
    .where('uploadedBy', '=', userId)
    .executeTakeFirstOrThrow();
  return { files: Number(row.files), bytes: Number(row.bytes) };
}

/**
 * Serialises the uploads that count against the same quotas until the transaction ends
 * (transaction-scoped advisory locks, taken in one order: the owner, then the account).
 */
export async function lockAttachmentQuotas(tx: Transaction<Database>, ownerId: string, userId: string): Promise<void> {
  for (const key of [`attachment-owner:${ownerId}`, `attachment-account:${userId}`]) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
  }
}
