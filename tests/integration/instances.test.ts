import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJobDue } from '../../db/queries/job-lease.ts';
import { upsertPackage } from '../../db/queries/packages.ts';
import { startEmbeddedMeilisearch, type EmbeddedMeilisearch } from '../../search/embedded.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/lib/auth/users.ts';
import { cookieHeader } from '../fixtures/auth.ts';
import { testDb } from '../fixtures/db.ts';
import { tinyPdf } from '../fixtures/files.ts';
import { buildPackage } from '../fixtures/packages.ts';
import { addOrganization } from '../fixtures/people.ts';

// Two site instances (two `src/cli/serve.ts` processes over the build) on one PostgreSQL
// database and one Meilisearch, as behind a load balancer: what one does, the other sees.
// PostgreSQL only (TEST_DATABASE_URL): PGlite is one process's database.

const server = process.env.TEST_DATABASE_URL;
const PORTS = { a: 5310, b: 5311 };
const SITE_URL = `http://127.0.0.1:${PORTS.a}`;
const SECRET = randomBytes(32).toString('base64url');
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function waitFor(check: () => Promise<boolean>, what: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`Timed out waiting for ${what}`);
}

interface Instance {
  name: keyof typeof PORTS;
  url: string;
  process: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

describe.skipIf(!server)('two site instances on one PostgreSQL and one Meilisearch', () => {
  let dir: string;
  let meili: EmbeddedMeilisearch;
  let handle: Awaited<ReturnType<typeof testDb>>;
  const instances: Partial<Record<keyof typeof PORTS, Instance>> = {};

  const start = async (name: keyof typeof PORTS): Promise<Instance> => {
    const child = spawn(process.execPath, ['src/cli/serve.ts'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        PORT: String(PORTS[name]),
        HOST: '127.0.0.1',
        // One public address and one secret for every instance: sessions made by one are good at the other.
        SITE_URL,
        BETTER_AUTH_SECRET: SECRET,
        DATA_DIR: join(dir, name),
        DATABASE_URL: handle.url,
        MEILI_URL: meili.url,
        MEILI_MASTER_KEY: meili.masterKey,
        DEMO_DATA: 'true',
        JOBS_CHECK_SECONDS: '1',
        ALERTS_INTERVAL_SECONDS: '1',
        TRUST_PROXY_HEADER: 'x-forwarded-for',
        API_RATE_LIMIT: '0',
        LOG_LEVEL: 'warn',
        // A serves its metrics to a range the test is not in; B to loopback (the default).
        ...(name === 'a' ? { METRICS_ALLOW: '10.0.0.0/8' } : {}),
      },
    });
    const output: string[] = [];
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const instance = { name, url: `http://127.0.0.1:${PORTS[name]}`, process: child, output, exited };
    await waitFor(async () => (await fetch(`${instance.url}/readyz`)).status === 200, `instance ${name} ready`, 180_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}\n${output.join('')}`);
      },
    );
    instances[name] = instance;
    return instance;
  };

  /** Signs the demo supplier in through `instance` (the sign-in form); returns the session cookie. */
  const signIn = async (instance: Instance): Promise<string> => {
    const supplier = DEMO_ACCOUNTS.find((a) => a.role === 'supplier')!;
    const response = await fetch(`${instance.url}/account/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: SITE_URL, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '10.9.0.1' },
      body: new URLSearchParams({ email: supplier.email, password: DEMO_PASSWORD }),
    });
    expect(response.status).toBe(303);
    return cookieHeader(response.headers);
  };

  /** A draft proposal of the demo supplier's consortium (the demo ones are all designated), made on the database. */
  const draftProposal = async (): Promise<string> => {
    const supplier = DEMO_ACCOUNTS.find((a) => a.role === 'supplier')!;
    const consortium = await sql<{ id: string }>`
      select c.id from consortium c
        join member m on m."organizationId" = c."anchorOrganizationId"
        join "user" u on u.id = m."userId"
       where u.email = ${supplier.email} and m.role in ('owner', 'admin') limit 1`.execute(handle.db);
    const row = await handle.db
      .insertInto('proposal')
      .values({
        consortiumId: consortium.rows[0]!.id,
        state: 'draft',
        draft: JSON.stringify({ title: 'Two instances' }),
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    return (row as { id: string }).id;
  };

  const upload = (instance: Instance, cookie: string, proposalId: string, body: BodyInit, boundary: string) =>
    fetch(`${instance.url}/proposals/${proposalId}/attachments`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: SITE_URL, cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit);
  const multipart = (filename: string, bytes: Uint8Array, boundary: string) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
  const attachmentsOf = (proposalId: string) =>
    handle.db.selectFrom('attachment').selectAll().where('ownerId', '=', proposalId).orderBy('createdAt').execute();
  const download = (instance: Instance, cookie: string, proposalId: string, id: string) =>
    fetch(`${instance.url}/proposals/${proposalId}/attachments/${id}`, { headers: { cookie } });
  const search = async (instance: Instance, q: string) =>
    ((await (await fetch(`${instance.url}/api/v1/packages?q=${encodeURIComponent(q)}`)).json()) as { hits: { slug: string }[] })
      .hits;

  beforeAll(async () => {
    if (!existsSync('dist/server/entry.mjs')) {
      const build = spawnSync('npm', ['run', 'build'], { encoding: 'utf8' });
      if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
    }
    dir = mkdtempSync(join(tmpdir(), 'aix-instances-'));
    meili = await startEmbeddedMeilisearch({ dataDir: join(dir, 'meilisearch') });
    handle = await testDb();
    // A first, alone: it migrates and loads the demo data; then B joins the same database.
    await start('a');
    await start('b');
  }, 400_000);
  afterAll(async () => {
    for (const instance of Object.values(instances)) {
      if (instance.process.exitCode === null && instance.process.signalCode === null) {
        instance.process.kill('SIGTERM');
        await instance.exited;
      }
    }
    await handle?.close();
    await meili?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a package designated on the shared database is indexed once and found by search through both', async () => {
    const word = `Zanzibarquantum${randomBytes(3).toString('hex')}`;
    const pkg = buildPackage({ title: `${word} regional compute` });
    await upsertPackage(handle.db, pkg);
    await waitFor(async () => (await search(instances.b!, word)).some((h) => h.slug === pkg.slug), 'the package found through B');
    expect((await search(instances.a!, word)).map((h) => h.slug)).toEqual([pkg.slug]);
    const outbox = await handle.db.selectFrom('search_outbox').selectAll().execute();
    expect(outbox).toEqual([]);
  });

  it('an attachment uploaded through A downloads through B, with the session A made', async () => {
    const cookie = await signIn(instances.a!);
    const proposalId = await draftProposal();
    const pdf = tinyPdf();
    const response = await upload(instances.a!, cookie, proposalId, multipart('plan.pdf', pdf, 'aixAB'), 'aixAB');
    expect(response.status).toBe(303);
    const [row] = await attachmentsOf(proposalId);
    const fromB = await download(instances.b!, cookie, proposalId, row!.id);
    expect(fromB.status).toBe(200);
    expect(sha(new Uint8Array(await fromB.arrayBuffer()))).toBe(sha(pdf));
    // Nothing of it is on either instance's disk.
    for (const name of ['a', 'b']) expect(existsSync(join(dir, name, 'files', 'proposals', proposalId))).toBe(false);
  });

  it('a periodic job due once runs once across both instances', async () => {
    const org = await addOrganization(handle.db, { kind: 'buyer', legalName: 'Lapsing Buyer Ltd', country: 'KE' });
    const vetting = await handle.db
      .insertInto('vetting')
      .values({
        organizationId: org.organizationId,
        state: 'verified',
        alternateNames: [],
        endUse: 'Data centre',
        endUsers: 'Ministry',
        expiresAt: new Date(Date.now() - 86_400_000),
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const lease = (name: string) =>
      handle.db.selectFrom('job_lease').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
    const before = (await lease('expire verifications')).runs;
    await makeJobDue(handle.db, 'expire verifications');
    await waitFor(async () => (await lease('expire verifications')).runs > before, 'the expiry run');
    // Both instances keep ticking (every second): the alerts run a few more times meanwhile.
    const alerts = (await lease('saved-search alerts')).runs;
    await waitFor(async () => (await lease('saved-search alerts')).runs >= alerts + 4, 'more ticks of both instances');
    expect((await lease('expire verifications')).runs).toBe(before + 1);
    const events = await handle.db
      .selectFrom('vetting_event')
      .select('move')
      .where('vettingId', '=', (vetting as { id: string }).id)
      .execute();
    expect(events).toEqual([{ move: 'expire' }]);
    const mails = await handle.db.selectFrom('dev_mail').select('to').where('to', '=', org.owner.email).execute();
    expect(mails).toHaveLength(1);
  });

  it("/metrics: request counts by route pattern, outboxes, every instance's job runs and health, only to allowed addresses", async () => {
    expect((await fetch(`${instances.a!.url}/metrics`)).status).toBe(404);
    await fetch(`${instances.b!.url}/api/v1/packages?q=cloud`).then((r) => r.body?.cancel());
    const response = await fetch(`${instances.b!.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/^aix_http_requests_total\{method="GET",route="\/api\/v1\/packages",status="200"\} [1-9]/m);
    expect(text).toMatch(
      /^aix_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/api\/v1\/packages"\} [1-9]/m,
    );
    expect(text).toMatch(/^aix_outbox_depth\{outbox="search"\} \d+$/m);
    expect(text).toMatch(/^aix_outbox_oldest_age_seconds\{outbox="mail"\} [\d.]+$/m);
    expect(text).toMatch(/^aix_job_runs_recorded\{job="expire verifications"\} [1-9]/m);
    expect(text).toMatch(/^aix_job_runs_recorded\{job="search outbox"\} [1-9]/m);
    expect(text).toMatch(/^aix_up\{service="database"\} 1$/m);
    expect(text).toMatch(/^aix_up\{service="search"\} 1$/m);
    expect(text).toMatch(/^aix_process_resident_memory_bytes \d+/m);
  });

  it('killing A mid-upload loses no acknowledged upload, and B keeps serving (and takes over the outbox)', async () => {
    const cookie = await signIn(instances.a!);
    const proposalId = await draftProposal();
    const acknowledged: { sha: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const pdf = Buffer.concat([tinyPdf(), Buffer.from(`%${i}\n%%EOF\n`)]);
      const response = await upload(instances.a!, cookie, proposalId, multipart(`doc-${i}.pdf`, pdf, 'aixK'), 'aixK');
      expect(response.status).toBe(303);
      acknowledged.push({ sha: sha(pdf) });
    }
    // A fourth upload in flight: half its body sent (a raw request, so the half is on the wire), then A is killed.
    const big = multipart('cut.pdf', Buffer.concat([tinyPdf(), randomBytes(2 * 1024 * 1024)]), 'aixK');
    const request = httpRequest(`${instances.a!.url}/proposals/${proposalId}/attachments`, {
      method: 'POST',
      headers: { origin: SITE_URL, cookie, 'content-type': 'multipart/form-data; boundary=aixK', 'content-length': big.length },
    });
    const inFlight = new Promise<unknown>((resolve) => {
      request.on('error', resolve);
      request.on('response', resolve);
    });
    request.write(big.subarray(0, big.length / 2));
    const uploads = join(dir, 'a', 'uploads');
    await waitFor(
      async () => (await readdir(uploads)).some((name) => statSync(join(uploads, name)).size > 0),
      'the upload under way on A',
    );
    instances.a!.process.kill('SIGKILL');
    await instances.a!.exited;
    expect(await inFlight).toBeInstanceOf(Error);

    expect((await fetch(`${instances.b!.url}/readyz`)).status).toBe(200);
    const rows = await attachmentsOf(proposalId);
    expect(rows.map((r) => r.sha256)).toEqual(acknowledged.map((a) => a.sha));
    for (const row of rows) {
      const response = await download(instances.b!, cookie, proposalId, row.id);
      expect(response.status).toBe(200);
      expect(sha(new Uint8Array(await response.arrayBuffer()))).toBe(row.sha256);
    }
    // The search outbox: A's lease runs out and B drains what is written now.
    const word = `Afterkill${randomBytes(3).toString('hex')}`;
    const pkg = buildPackage({ title: `${word} sovereign cloud` });
    await upsertPackage(handle.db, pkg);
    await waitFor(
      async () => (await search(instances.b!, word)).some((h) => h.slug === pkg.slug),
      'B indexing after A died',
      90_000,
    );
  }, 180_000);
});
