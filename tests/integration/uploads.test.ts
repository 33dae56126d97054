import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAttachment } from '../../db/queries/proposals.ts';
import { useTranslations } from '../../src/i18n/index.ts';
import { LocalDiskStore, MAX_ATTACHMENT_BYTES } from '../../src/lib/files/index.ts';
import { takeAttachment, uploadRefusal, type Intake } from '../../src/lib/files/intake.ts';
import { ATTACHMENT_QUOTAS, UPLOADS_IN_FLIGHT, UploadSlots } from '../../src/lib/files/quota.ts';
import { testDb } from '../fixtures/db.ts';
import { tinyPdf, uploadRequest } from '../fixtures/files.ts';

// Uploads are streamed to disk, limited while in flight, and held to quotas — against a real
// database and the local-disk store, with bodies that arrive piece by piece as over a socket.

const BOUNDARY = 'aixTestBoundary';
const head = (filename: string) =>
  new TextEncoder().encode(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
const foot = new TextEncoder().encode(`\r\n--${BOUNDARY}--\r\n`);

/** A multipart upload whose body the test sends chunk by chunk (`push`, then `end`). */
function slowUpload(filename = 'slow.pdf') {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const request = new Request('http://127.0.0.1/upload', {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body,
    duplex: 'half',
  } as RequestInit);
  controller.enqueue(head(filename));
  return {
    request,
    push: (bytes: Uint8Array) => controller.enqueue(bytes),
    end: () => {
      controller.enqueue(foot);
      controller.close();
    },
  };
}

const settle = () => new Promise((done) => setTimeout(done, 50));

/** Waits until `check` holds (a busy machine may take longer than a fixed pause), at most 10 s. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 25) {
    // The temporary folder is made by the first upload: not there yet is "not yet".
    if (await check().catch(() => false)) return;
    await new Promise((done) => setTimeout(done, 25));
  }
}

describe('attachment uploads', () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let dir: string;
  let intake: Intake;
  const t = useTranslations();
  const messages = { none: 'none', notPdf: 'not a PDF', tooLarge: 'too large' };

  beforeAll(async () => {
    handle = await testDb();
    dir = mkdtempSync(join(tmpdir(), 'aix-uploads-'));
    intake = { db: handle.db, store: new LocalDiskStore(join(dir, 'files')), tempDir: join(dir, 'uploads'), t };
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const take = (request: Request, owner: string, user: string, into: Intake = intake) =>
    takeAttachment(into, request, { type: 'proposal', id: owner }, user, messages, (tx, file) =>
      insertAttachment(tx, {
        id: file.id,
        ownerId: owner,
        filename: file.filename,
        size: file.size,
        sha256: file.sha256,
        storageKey: file.storageKey,
        uploadedBy: user,
      }),
    );
  /** Attachments recorded as if uploaded before (the quotas count rows, not bytes on disk). */
  const pastUploads = async (owner: string, user: string, count: number, size: number) => {
    for (let i = 0; i < count; i++) {
      await insertAttachment(handle.db, {
        id: randomUUID(),
        ownerId: owner,
        filename: `old-${i}.pdf`,
        size,
        sha256: '0'.repeat(64),
        storageKey: `proposals/${owner}/old-${i}.pdf`,
        uploadedBy: user,
      });
    }
  };

  it('writes the file to disk while it arrives, and takes it when it ends as a PDF', async () => {
    const upload = slowUpload('Site plan.pdf');
    const pdf = tinyPdf();
    const half = Math.floor(pdf.length / 2);
    const owner = randomUUID();
    const taking = take(upload.request, owner, 'streamer');
    upload.push(pdf.subarray(0, half));
    const parts = async () => (await readdir(intake.tempDir)).filter((n) => n.endsWith('.part'));
    await until(async () => {
      const found = await parts();
      return found.length === 1 && (await stat(join(intake.tempDir, found[0]!))).size === half;
    });
    // Half the body has been sent: it is already in a temporary file, not in memory.
    const partial = await parts();
    expect(partial).toHaveLength(1);
    expect((await stat(join(intake.tempDir, partial[0]!))).size).toBe(half);
    upload.push(pdf.subarray(half));
    upload.end();
    const outcome = await taking;
    expect(outcome).toMatchObject({ ok: true });
    const rows = await handle.db.selectFrom('attachment').selectAll().where('ownerId', '=', owner).execute();
    expect(rows).toMatchObject([{ filename: 'Site plan.pdf', size: pdf.length }]);
    expect(await (await intake.store.get(rows[0]!.storageKey))!.bytes()).toEqual(pdf);
    expect(await readdir(intake.tempDir)).toEqual([]);
  });

  it('stops keeping a file at its first bytes when it is not a PDF, and at 20 MB when it is too large', async () => {
    const notPdf = slowUpload('budget.pdf');
    const taking = take(notPdf.request, randomUUID(), 'checker');
    notPdf.push(new TextEncoder().encode('MZ\x90\x00 an executable'));
    // The upload has begun (its temporary file is there) and its first bytes were looked at.
    await until(async () => (await readdir(intake.tempDir)).length > 0);
    await settle();
    const kept = (await readdir(intake.tempDir)).map((n) => join(intake.tempDir, n));
    expect(await Promise.all(kept.map(async (p) => (await stat(p)).size))).toEqual(kept.map(() => 0));
    notPdf.push(new Uint8Array(1024 * 1024));
    notPdf.end();
    expect(await taking).toMatchObject({ ok: false, status: 400, message: 'not a PDF' });

    const huge = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
    huge.set(tinyPdf().subarray(0, 9));
    // No Content-Length (a streamed body): the limit holds as it streams.
    expect(await take(uploadRequest(huge, 'huge.pdf'), randomUUID(), 'checker')).toMatchObject({ ok: false, status: 413 });
    // A body declared too large is refused before it is read.
    const declared = new Request('http://127.0.0.1/upload', {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(30 * 1024 * 1024) },
      body: 'x',
    });
    expect(await take(declared, randomUUID(), 'checker')).toMatchObject({ ok: false, status: 413, message: 'too large' });
    expect(await take(uploadRequest(null), randomUUID(), 'checker')).toMatchObject({ ok: false, status: 400, message: 'none' });
    const broken = new Request('http://127.0.0.1/upload', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data' },
      body: 'no boundary',
    });
    expect(await take(broken, randomUUID(), 'checker')).toMatchObject({ ok: false, status: 400 });
    expect(await readdir(intake.tempDir)).toEqual([]);
    expect(await handle.db.selectFrom('attachment').select('id').where('uploadedBy', '=', 'checker').execute()).toEqual([]);
  });

  it('answers 429 with a wait to an account (or a site) with too many uploads in flight', async () => {
    const slots = new UploadSlots({ perAccount: UPLOADS_IN_FLIGHT.perAccount, site: 3 });
    const limited = { ...intake, slots };
    const owner = randomUUID();
    const open = Array.from({ length: UPLOADS_IN_FLIGHT.perAccount }, () => slowUpload());
    const pending = open.map((u) => take(u.request, owner, 'busy-buyer', limited));
    await settle();
    const refused = await take(uploadRequest(tinyPdf()), owner, 'busy-buyer', limited);
    expect(refused).toMatchObject({ ok: false, status: 429, retryAfter: expect.any(Number) });
    if (!refused.ok) expect(refused.message).toMatch(/already uploading 2 files/);
    // Another account has a slot of its own, until the site's are all taken.
    const other = slowUpload();
    const otherPending = take(other.request, owner, 'other-buyer', limited);
    await settle();
    const siteFull = await take(uploadRequest(tinyPdf()), owner, 'third-buyer', limited);
    expect(siteFull).toMatchObject({ ok: false, status: 429 });
    if (!siteFull.ok) expect(siteFull.message).toMatch(/many files right now/);
    for (const u of [...open, other]) {
      u.push(tinyPdf());
      u.end();
    }
    expect(await Promise.all([...pending, otherPending])).toMatchObject([{ ok: true }, { ok: true }, { ok: true }]);
    expect(slots.inFlight).toBe(0);
    // An API client gets the same answer as problem details; a browser gets the page.
    const api = new Request('http://127.0.0.1/upload', { headers: { accept: 'application/json' } });
    const answer = uploadRefusal(api, 429, 'wait', 10)!;
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('10');
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(await answer.json()).toMatchObject({ status: 429, detail: 'wait', retryAfter: 10 });
    expect(
      uploadRefusal(new Request('http://127.0.0.1/', { headers: { accept: 'text/html,*/*' } }), 429, 'wait'),
    ).toBeUndefined();
    expect(await take(uploadRequest(tinyPdf()), owner, 'busy-buyer', limited)).toMatchObject({ ok: true });
  });

  it('keeps each proposal and each account within its quota of files and bytes, with a 413 that says which', async () => {
    const full = randomUUID();
    await pastUploads(full, 'quota-a', ATTACHMENT_QUOTAS.proposal.files, 1000);
    const refused = await take(uploadRequest(tinyPdf()), full, 'quota-a');
    expect(refused).toMatchObject({ ok: false, status: 413 });
    if (!refused.ok)
      expect(refused.message).toBe(t('files.error.quota.proposal.files', { limit: ATTACHMENT_QUOTAS.proposal.files }));

    const heavy = randomUUID();
    await pastUploads(heavy, 'quota-b', 1, ATTACHMENT_QUOTAS.proposal.bytes - 100);
    const over = await take(uploadRequest(tinyPdf()), heavy, 'quota-b');
    expect(over).toMatchObject({ ok: false, status: 413 });
    if (!over.ok) expect(over.message).toMatch(/past 200 MB/);

    // An account's uploads count across everything it has uploaded to.
    await pastUploads(randomUUID(), 'quota-c', 5, Math.ceil(ATTACHMENT_QUOTAS.account.bytes / 5));
    const account = await take(uploadRequest(tinyPdf()), randomUUID(), 'quota-c');
    expect(account).toMatchObject({ ok: false, status: 413 });
    if (!account.ok) expect(account.message).toMatch(/your uploads past 1024 MB/);
    expect(await readdir(intake.tempDir)).toEqual([]);
  });

  it('lets exactly one of two parallel uploads take the last place under a quota', async () => {
    const owner = randomUUID();
    await pastUploads(owner, 'racer', ATTACHMENT_QUOTAS.proposal.files - 1, 1000);
    const results = await Promise.all([
      take(uploadRequest(tinyPdf()), owner, 'racer'),
      take(uploadRequest(tinyPdf()), owner, 'racer-2'),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toMatchObject([{ status: 413 }]);
    const count = await handle.db.selectFrom('attachment').select('id').where('ownerId', '=', owner).execute();
    expect(count).toHaveLength(ATTACHMENT_QUOTAS.proposal.files);
    const stored = await readdir(join(dir, 'files', 'proposals', owner));
    expect(stored).toHaveLength(1);
  });
});
