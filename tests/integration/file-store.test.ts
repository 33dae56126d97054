import { spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAttachment } from '../../db/queries/proposals.ts';
import { useTranslations } from '../../src/i18n/index.ts';
import { CHUNK_BYTES, DatabaseFileStore } from '../../src/lib/files/database.ts';
import { takeAttachment } from '../../src/lib/files/intake.ts';
import { testDb } from '../fixtures/db.ts';
import { tinyPdf, uploadRequest } from '../fixtures/files.ts';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A PDF of about `size` bytes (random bytes between the head and the end mark). */
function pdfOfSize(size: number): Uint8Array {
  const pdf = tinyPdf();
  const filler = randomBytes(size - pdf.length);
  const cut = pdf.length - 6; // before "%%EOF\n"
  return Buffer.concat([pdf.subarray(0, cut), filler, pdf.subarray(cut)]);
}

describe(`the database file store on ${onPostgres ? 'PostgreSQL' : 'PGlite'}`, () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let store: DatabaseFileStore;
  let dir: string;

  const chunkSizes = async (key: string) =>
    (
      await sql<{ seq: number; bytes: number }>`
        select c.seq, octet_length(c.data) as bytes from file_chunk c join file_object o on o.id = c."objectId"
         where o.key = ${key} order by c.seq`.execute(handle.db)
    ).rows.map((r) => Number(r.bytes));

  beforeAll(async () => {
    handle = await testDb();
    store = new DatabaseFileStore(handle.db);
    dir = mkdtempSync(join(tmpdir(), 'aix-filestore-'));
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes over a file in chunks of at most 256 KiB and gives the same bytes back, streamed chunk by chunk', async () => {
    const bytes = randomBytes(3 * CHUNK_BYTES + 12_345);
    const path = join(dir, 'upload.part');
    writeFileSync(path, bytes);
    await store.putFile('proposals/p1/a.pdf', path);
    expect(existsSync(path)).toBe(false);
    expect(await chunkSizes('proposals/p1/a.pdf')).toEqual([CHUNK_BYTES, CHUNK_BYTES, CHUNK_BYTES, 12_345]);
    const file = (await store.get('proposals/p1/a.pdf'))!;
    expect(file.size).toBe(bytes.length);
    const pieces: number[] = [];
    const read: Uint8Array[] = [];
    for await (const piece of file.stream() as unknown as AsyncIterable<Uint8Array>) {
      pieces.push(piece.length);
      read.push(piece);
    }
    expect(Math.max(...pieces)).toBeLessThanOrEqual(CHUNK_BYTES);
    expect(sha(Buffer.concat(read))).toBe(sha(bytes));
    expect(sha(await file.bytes())).toBe(sha(bytes));
  });

  it('replaces, deletes and refuses bad keys; a missing key is undefined', async () => {
    await store.put('introductions/i1/x.pdf', new TextEncoder().encode('first'));
    await store.put('introductions/i1/x.pdf', new TextEncoder().encode('second, longer'));
    expect(new TextDecoder().decode(await (await store.get('introductions/i1/x.pdf'))!.bytes())).toBe('second, longer');
    const objects = await handle.db.selectFrom('file_object').select('id').where('key', '=', 'introductions/i1/x.pdf').execute();
    expect(objects).toHaveLength(1);
    await store.put('empty/file', new Uint8Array());
    expect((await store.get('empty/file'))!.size).toBe(0);
    expect(await (await store.get('empty/file'))!.bytes()).toEqual(new Uint8Array());
    await store.delete('introductions/i1/x.pdf');
    await store.delete('introductions/i1/x.pdf');
    expect(await store.get('introductions/i1/x.pdf')).toBeUndefined();
    expect(
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from file_chunk c left join file_object o on o.id = c."objectId" where o.id is null`.execute(
          handle.db,
        )
      ).rows[0]!.n,
    ).toBe(0);
    await expect(store.put('../escape', new Uint8Array([1]))).rejects.toThrow(/valid file-store key/);
    await expect(store.get('a//b')).rejects.toThrow(/valid file-store key/);
  });

  it('a write cut off midway leaves the earlier file whole and no chunk behind', async () => {
    await store.put('proposals/p2/b.pdf', new TextEncoder().encode('kept'));
    const before = Number((await sql<{ n: number }>`select count(*)::int as n from file_chunk`.execute(handle.db)).rows[0]!.n);
    const failing = (async function* () {
      yield randomBytes(CHUNK_BYTES);
      yield randomBytes(CHUNK_BYTES);
      throw new Error('the connection was cut');
    })();
    // `put` takes bytes; the stream path is what `putFile` and the migration use.
    await expect(
      (store as unknown as { write(k: string, s: AsyncIterable<Uint8Array>): Promise<number> }).write(
        'proposals/p2/b.pdf',
        failing,
      ),
    ).rejects.toThrow(/cut/);
    expect(new TextDecoder().decode(await (await store.get('proposals/p2/b.pdf'))!.bytes())).toBe('kept');
    expect(Number((await sql<{ n: number }>`select count(*)::int as n from file_chunk`.execute(handle.db)).rows[0]!.n)).toBe(
      before,
    );
  });

  it('an upload through the intake lands in the database store and reads back whole', async () => {
    const pdf = pdfOfSize(2 * CHUNK_BYTES + 999);
    const owner = randomUUID();
    const outcome = await takeAttachment(
      { db: handle.db, store, tempDir: join(dir, 'uploads'), t: useTranslations() },
      uploadRequest(pdf, 'plan.pdf'),
      { type: 'proposal', id: owner },
      'uploader',
      { none: 'none', notPdf: 'not a PDF', tooLarge: 'too large' },
      (tx, file) =>
        insertAttachment(tx, {
          id: file.id,
          ownerId: owner,
          filename: file.filename,
          size: file.size,
          sha256: file.sha256,
          storageKey: file.storageKey,
          uploadedBy: 'uploader',
        }),
    );
    expect(outcome).toMatchObject({ ok: true });
    const row = await handle.db.selectFrom('attachment').selectAll().where('ownerId', '=', owner).executeTakeFirstOrThrow();
    expect(row.sha256).toBe(sha(pdf));
    expect(sha(await (await store.get(row.storageKey))!.bytes())).toBe(sha(pdf));
    expect(await chunkSizes(row.storageKey)).toHaveLength(3);
  });

  it('npm run files:migrate refuses to run without DATABASE_URL', () => {
    const run = spawnSync(process.execPath, ['src/cli/files-migrate.ts'], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: join(dir, 'none') },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/set DATABASE_URL/);
  });

  it.skipIf(!onPostgres)(
    'npm run files:migrate copies the disk files into the database, checks them, and with --remove deletes them',
    () => {
      const dataDir = join(dir, 'data');
      const files = {
        'proposals/p3/one.pdf': randomBytes(CHUNK_BYTES + 10),
        'introductions/i3/two.pdf': randomBytes(100),
      };
      for (const [key, bytes] of Object.entries(files)) {
        mkdirSync(join(dataDir, 'files', key, '..'), { recursive: true });
        writeFileSync(join(dataDir, 'files', key), bytes);
      }
      const migrate = (...args: string[]) =>
        spawnSync(process.execPath, ['src/cli/files-migrate.ts', ...args], {
          encoding: 'utf8',
          env: { ...process.env, DATABASE_URL: handle.url, DATA_DIR: dataDir },
        });
      const first = migrate();
      expect(first.stderr).toBe('');
      expect(first.stdout).toMatch(/2 copied into the database, 0 already there, 0 removed/);
      const again = migrate('--remove');
      expect(again.stdout).toMatch(/0 copied into the database, 2 already there, 2 removed/);
      for (const key of Object.keys(files)) expect(existsSync(join(dataDir, 'files', key))).toBe(false);
      return Promise.all(
        Object.entries(files).map(async ([key, bytes]) => expect(sha(await (await store.get(key))!.bytes())).toBe(sha(bytes))),
      );
    },
  );
});
