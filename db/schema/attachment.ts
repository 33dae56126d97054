import type { ColumnType, Selectable } from 'kysely';

/** A stored file (PDF) belonging to a proposal or an introduction; the bytes live in the file store. */
export interface AttachmentTable {
  id: ColumnType<string, string | undefined, never>;
  ownerType: 'proposal' | 'introduction';
  ownerId: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
  uploadedBy: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}
export type AttachmentRow = Selectable<AttachmentTable>;
