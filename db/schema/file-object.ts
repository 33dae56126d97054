import type { ColumnType, Selectable } from 'kysely';

/** A file of the database-backed file store (`src/lib/files/postgres.ts`); its bytes are in `file_chunk`. */
export interface FileObjectTable {
  key: string;
  /** Changes with every write of the key: chunks belong to one version. */
  id: string;
  size: ColumnType<number, number, number>;
  chunks: number;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

/** One piece (at most 256 KiB) of a stored file, in order of `seq` from 0. */
export interface FileChunkTable {
  objectId: string;
  seq: number;
  data: Uint8Array;
}

export type FileObjectRow = Selectable<FileObjectTable>;
