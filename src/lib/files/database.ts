import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/index.ts';
import { isValidKey, type FileStore, type StoredFile } from './index.ts';

/** The largest piece of a file kept in one `file_chunk` row (and held in memory at once). */
export const CHUNK_BYTES = 256 * 1024;

/**
 * Files in the database (`file_object`, `file_chunk`), the store of a site on PostgreSQL: every
 * instance reads what any instance wrote, and a backup of the database holds the files too.
 * Bytes go in and out one chunk at a time (a 20 MB file is 80 rows), never whole in memory. A
 * file is written in one transaction, so a write cut off midway (a killed instance) leaves
 * nothing; it replaces an earlier file of the same key with a new object id.
 */
export class DatabaseFileStore implements FileStore {
  private readonly db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.write(key, [bytes]);
  }

  async putFile(key: string, path: string): Promise<void> {
    await this.copyFile(key, path);
    await rm(path, { force: true });
  }

  /** Writes the file at `path` under `key` and leaves it where it is (`npm run files:migrate`). */
  async copyFile(key: string, path: string): Promise<number> {
    return this.write(key, createReadStream(path, { highWaterMark: CHUNK_BYTES }));
  }

  private async write(key: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<number> {
    if (!isValidKey(key)) throw new Error(`Not a valid file-store key: ${JSON.stringify(key)}`);
    return this.db.transaction().execute(async (tx) => {
      const id = randomUUID();
      await tx.deleteFrom('file_object').where('key', '=', key).execute();
      await tx.insertInto('file_object').values({ key, id, size: 0, chunks: 0 }).execute();
      let seq = 0;
      let size = 0;
      let pending: Uint8Array[] = [];
      let pendingBytes = 0;
      const flush = async (all: boolean) => {
        while (pendingBytes >= CHUNK_BYTES || (all && pendingBytes > 0)) {
          const joined = Buffer.concat(pending);
          const data = joined.subarray(0, CHUNK_BYTES);
          const rest = joined.subarray(data.length);
          await tx.insertInto('file_chunk').values({ objectId: id, seq, data }).execute();
          seq++;
          pending = rest.length ? [rest] : [];
          pendingBytes = rest.length;
        }
      };
      for await (const piece of source) {
        pending.push(piece);
        pendingBytes += piece.length;
        size += piece.length;
        await flush(false);
      }
      await flush(true);
      await tx.updateTable('file_object').set({ size, chunks: seq }).where('id', '=', id).execute();
      return size;
    });
  }

  async get(key: string): Promise<StoredFile | undefined> {
    if (!isValidKey(key)) throw new Error(`Not a valid file-store key: ${JSON.stringify(key)}`);
    const object = await this.db
      .selectFrom('file_object')
      .select(['id', 'size', 'chunks'])
      .where('key', '=', key)
      .executeTakeFirst();
    if (!object) return undefined;
    const chunk = async (seq: number): Promise<Uint8Array> => {
      const row = await this.db
        .selectFrom('file_chunk')
        .select('data')
        .where('objectId', '=', object.id)
        .where('seq', '=', seq)
        .executeTakeFirst();
      // Replaced or deleted since `get`: the reader gets an error, never another version's bytes.
      if (!row) throw new Error(`The file ${key} changed while it was read.`);
      return row.data instanceof Uint8Array ? row.data : new Uint8Array(row.data as ArrayBufferLike);
    };
    const size = Number(object.size);
    return {
      size,
      stream: () => {
        let seq = 0;
        return new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (seq >= object.chunks) return controller.close();
            controller.enqueue(await chunk(seq++));
          },
        });
      },
      bytes: async () => {
        const out = new Uint8Array(size);
        let at = 0;
        for (let seq = 0; seq < object.chunks; seq++) {
          const data = await chunk(seq);
          out.set(data, at);
          at += data.length;
        }
        return out;
      },
    };
  }

  async delete(key: string): Promise<void> {
    if (!isValidKey(key)) throw new Error(`Not a valid file-store key: ${JSON.stringify(key)}`);
    await this.db.deleteFrom('file_object').where('key', '=', key).execute();
  }
}
