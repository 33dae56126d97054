import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Busboy, type BusboyInstance } from '@fastify/busboy';
import { MAX_ATTACHMENT_BYTES, safeFilename } from './index.ts';

// An uploaded PDF is streamed to a temporary file under <DATA_DIR>/uploads while it arrives:
// never held in memory whole, its size, `%PDF-` head, `%%EOF` tail and SHA-256 worked out on
// the way. The file store then takes it over (`FileStore.putFile`, a rename on local disk).

/** Why an upload was not taken. */
export type UploadProblem = 'none' | 'empty' | 'too-large' | 'not-pdf' | 'malformed';

/** A PDF received into a temporary file: move it into the store, or discard it. */
export interface ReceivedFile {
  path: string;
  size: number;
  sha256: string;
  /** The name the browser sent, made safe (`safeFilename`). */
  filename: string;
  /** Removes the temporary file (nothing happens once the store has taken it). */
  discard(): Promise<void>;
}

export type Received = { ok: true; file: ReceivedFile } | { ok: false; problem: UploadProblem };

/** The HTTP status of each problem. */
export const UPLOAD_STATUS: Record<UploadProblem, 400 | 413> = {
  none: 400,
  empty: 400,
  'not-pdf': 400,
  malformed: 400,
  'too-large': 413,
};

const PDF_MAGIC = Buffer.from('%PDF-');
const EOF_MARK = Buffer.from('%%EOF');
/** How far from the end `%%EOF` may be (as `isPdf`). */
const EOF_WINDOW = 1024;

/** Where the temporary files of uploads in progress live. */
export function uploadTempDir(config: { dataDir: string }): string {
  return join(config.dataDir, 'uploads');
}

/** Removes what uploads cut short by a crash left behind (temporary files older than `olderThanMs`). */
export async function sweepUploads(tempDir: string, olderThanMs = 60 * 60 * 1000): Promise<number> {
  let names: string[];
  try {
    names = await readdir(tempDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names.filter((n) => n.endsWith('.part'))) {
    const path = join(tempDir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > olderThanMs) {
      await rm(path, { force: true });
      removed++;
    }
  }
  return removed;
}

/** A sink that writes to the temporary file and checks the bytes as they pass. */
function checkingSink(path: string, maxBytes: number) {
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  let problem: UploadProblem | undefined;
  const file = createWriteStream(path, { flags: 'wx', mode: 0o640 });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (problem) return done(); // keep reading (the browser is still sending), keep nothing
      if (size > maxBytes) {
        problem = 'too-large';
        return done();
      }
      if (head.length < PDF_MAGIC.length) {
        head = Buffer.concat([head, chunk.subarray(0, PDF_MAGIC.length - head.length)]);
        if (!PDF_MAGIC.subarray(0, head.length).equals(head)) {
          problem = 'not-pdf';
          return done();
        }
      }
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > EOF_WINDOW + EOF_MARK.length) tail = tail.subarray(tail.length - EOF_WINDOW - EOF_MARK.length);
      hash.update(chunk);
      if (file.write(chunk)) done();
      else file.once('drain', () => done());
    },
    final(done) {
      file.end(() => done());
    },
    destroy(error, done) {
      file.destroy();
      done(error);
    },
  });
  return {
    sink,
    result(): { problem: UploadProblem } | { size: number; sha256: string } {
      if (problem) return { problem };
      if (size === 0) return { problem: 'empty' };
      if (head.length < PDF_MAGIC.length || !tail.includes(EOF_MARK)) return { problem: 'not-pdf' };
      return { size, sha256: hash.digest('hex') };
    },
  };
}

/**
 * Reads a `multipart/form-data` body with one file field (`field`, default `file`) into a
 * temporary file, checking it as it streams: at most `maxBytes`, a PDF by its content. Other
 * fields are ignored; more than one file, or more than a few fields, is malformed.
 */
export async function receivePdf(
  request: Request,
  options: { tempDir: string; field?: string; maxBytes?: number },
): Promise<Received> {
  const field = options.field ?? 'file';
  const maxBytes = options.maxBytes ?? MAX_ATTACHMENT_BYTES;
  const type = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\b/i.test(type)) return { ok: false, problem: type ? 'malformed' : 'none' };
  if (!request.body) return { ok: false, problem: 'none' };
  let parser: BusboyInstance;
  try {
    parser = new Busboy({
      headers: { 'content-type': type },
      limits: { files: 1, fields: 10, parts: 12, fieldNameSize: 100, fieldSize: 4096, headerPairs: 20, fileSize: maxBytes + 1 },
    });
  } catch {
    return { ok: false, problem: 'malformed' }; // no boundary, or not multipart after all
  }
  await mkdir(options.tempDir, { recursive: true });
  const path = join(options.tempDir, `${randomUUID()}.part`);
  const discard = () => rm(path, { force: true });

  let problem: UploadProblem | undefined;
  let written: Promise<{ problem: UploadProblem } | { size: number; sha256: string }> | undefined;
  let filename = '';
  parser.on('file', (name, stream, sentName) => {
    if (name !== field || written) {
      stream.resume();
      return;
    }
    filename = sentName;
    const { sink, result } = checkingSink(path, maxBytes);
    written = pipeline(stream, sink).then(result);
  });
  parser.on('filesLimit', () => (problem ??= 'malformed'));
  parser.on('partsLimit', () => (problem ??= 'malformed'));
  parser.on('fieldsLimit', () => (problem ??= 'malformed'));

  try {
    await pipeline(Readable.fromWeb(request.body as import('node:stream/web').ReadableStream), parser);
    const outcome = written ? await written : ({ problem: 'none' } as const);
    if (problem || 'problem' in outcome) {
      await discard();
      return { ok: false, problem: problem ?? (outcome as { problem: UploadProblem }).problem };
    }
    return { ok: true, file: { path, size: outcome.size, sha256: outcome.sha256, filename: safeFilename(filename), discard } };
  } catch {
    // A body cut short or not multipart as declared; the temporary file goes.
    await written?.catch(() => undefined);
    await discard();
    return { ok: false, problem: 'malformed' };
  }
}
