import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';

/** One stored file, read on demand. */
export interface StoredFile {
  size: number;
  /** The bytes as a web stream (for a Response body). */
  stream(): ReadableStream<Uint8Array>;
  bytes(): Promise<Uint8Array>;
}

/**
 * Where attachment bytes live. Keys are relative, slash-separated names made of
 * `[A-Za-z0-9._-]` segments (no `..`): the database row remembers the key. The local-disk
 * store below is the embedded default; `DatabaseFileStore` (`database.ts`) keeps the files in
 * PostgreSQL for a site of several instances; an S3-compatible store implements the same four methods.
 */
export interface FileStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Takes over the file at `path` (an upload's temporary file, see `upload.ts`): afterwards it is gone from there. */
  putFile(key: string, path: string): Promise<void>;
  /** Undefined when nothing is stored under the key. */
  get(key: string): Promise<StoredFile | undefined>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

export function isValidKey(key: string): boolean {
  return key.length <= 500 && KEY.test(key) && !key.split('/').some((part) => part === '.' || part === '..');
}

function checkKey(key: string): void {
  if (!isValidKey(key)) throw new Error(`Not a valid file-store key: ${JSON.stringify(key)}`);
}

/** Files on the local disk under one directory (`<DATA_DIR>/files`). Writes are atomic (temp file, then rename). */
export class LocalDiskStore implements FileStore {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    checkKey(key);
    const path = resolve(this.root, ...key.split('/'));
    if (!path.startsWith(this.root + sep)) throw new Error('A file-store key left the store directory.');
    return path;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, bytes, { flag: 'wx', mode: 0o640 });
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async putFile(key: string, source: string): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    try {
      await rename(source, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      // Another disk: copy beside the target, then rename into place.
      const temporary = `${path}.${randomUUID()}.tmp`;
      try {
        await copyFile(source, temporary);
        await rename(temporary, path);
      } finally {
        await rm(temporary, { force: true });
      }
      await rm(source, { force: true });
    }
  }

  async get(key: string): Promise<StoredFile | undefined> {
    const path = this.path(key);
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) return undefined;
      size = info.size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return {
      size,
      stream: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
      bytes: async () => new Uint8Array(await readFile(path)),
    };
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}

const stores = new WeakMap<object, FileStore>();

/** Makes `store` the file store of the site started with `config` (bootstrap: the database's on PostgreSQL). */
export function useFileStore(config: object, store: FileStore): void {
  stores.set(config, store);
}

/**
 * The site's file store: the one bootstrap chose for this configuration (`DatabaseFileStore`
 * when `DATABASE_URL` is set, so that every instance reaches every file), else the local disk
 * under `<dataDir>/files` (the embedded default).
 */
export function fileStoreFor(config: { dataDir: string }): FileStore {
  return stores.get(config) ?? new LocalDiskStore(join(config.dataDir, 'files'));
}

/** Attachments may be at most 20 MB. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** How far from the end `%%EOF` may be (writers append whitespace, and some a little junk). */
const EOF_WINDOW = 1024;
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const EOF_MARK = [0x25, 0x25, 0x45, 0x4f, 0x46]; // %%EOF

export type PdfCheck = { ok: true } | { ok: false; reason: 'empty' | 'too-large' | 'not-pdf' };

function indexOfBytes(haystack: Uint8Array, needle: number[], from: number): number {
  outer: for (let i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Whether the bytes are a PDF, judged by content only: `%PDF-` first and `%%EOF` near the end. */
export function isPdf(bytes: Uint8Array): boolean {
  if (bytes.length < PDF_MAGIC.length + EOF_MARK.length) return false;
  if (!PDF_MAGIC.every((b, i) => bytes[i] === b)) return false;
  return indexOfBytes(bytes, EOF_MARK, bytes.length - EOF_WINDOW) >= 0;
}

/** The attachment rules: not empty, at most 20 MB, a PDF by its content. */
export function checkAttachment(bytes: Uint8Array, max = MAX_ATTACHMENT_BYTES): PdfCheck {
  if (bytes.length === 0) return { ok: false, reason: 'empty' };
  if (bytes.length > max) return { ok: false, reason: 'too-large' };
  return isPdf(bytes) ? { ok: true } : { ok: false, reason: 'not-pdf' };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A file name safe to show and to put in a Content-Disposition header: the last path part,
 * without control characters or quotes, ending in .pdf.
 */
export function safeFilename(name: string | undefined | null): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  let clean = base
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 150);
  if (!clean || clean === '.pdf') clean = 'attachment.pdf';
  if (!/\.pdf$/i.test(clean)) clean = `${clean}.pdf`;
  return clean;
}

/** `attachment; filename="…"; filename*=UTF-8''…` for a safe file name. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * The answer to a request for a stored PDF: a download under its own name that is never shown
 * inline, sniffed, cached by shared caches, or allowed to run anything.
 */
export function pdfDownload(file: StoredFile, filename: string): Response {
  return new Response(file.stream(), {
    headers: {
      'content-type': 'application/pdf',
      'content-length': String(file.size),
      'content-disposition': contentDisposition(filename),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  });
}
