import type { Kysely } from 'kysely';

// Upload quotas count an account's files (src/lib/files/quota.ts): find them by uploader.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('attachment_uploaded_by_idx').on('attachment').column('uploadedBy').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('attachment_uploaded_by_idx').execute();
}
