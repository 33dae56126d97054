import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD } from './auth-support.ts';

// The life of the process, with real processes: the built site started by `src/cli/serve.ts`
// on a data directory of its own (not the run's shared server): a start that cannot succeed
// exits with the reason; SIGTERM lets the requests in flight finish; SIGKILL during writes
// loses nothing that was acknowledged. (Run by `npm run test:e2e`, which builds first.)

test.describe.configure({ mode: 'serial' });

const root = fileURLToPath(new URL('../..', import.meta.url));
// The run's copy of the build (tests/playwright.config.ts), so that a build meanwhile cannot change it.
const runSite = join(process.env.AIX_E2E_DATA_DIR ?? '', 'site');
const siteDir = existsSync(join(runSite, 'dist/server/entry.mjs')) ? runSite : root;
const pinnedNode = join(root, 'node_modules/.bin/node');
const node = existsSync(pinnedNode) ? pinnedNode : process.execPath;
const SUPPLIER = 'supplier@demo.aiexports.example.com';

interface Site {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function startSite(dataDir: string, env: Record<string, string> = {}): Promise<Site> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(node, [join(root, 'src/cli/serve.ts')], {
    cwd: siteDir,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      SITE_URL: url,
      SMTP_URL: '',
      TRUST_PROXY_HEADER: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, url, output: () => output, exited };
}

/** Polls /readyz until 200; every other answer meanwhile must be a 503 (or no answer yet). */
async function ready(site: Site, timeoutMs = 150_000): Promise<number[]> {
  const seen: number[] = [];
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (site.child.exitCode !== null) throw new Error(`The site exited (${site.child.exitCode}):\n${site.output()}`);
    const status = await fetch(`${site.url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status) seen.push(status);
    if (status === 200) return seen;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`The site was not ready within ${timeoutMs / 1000} s:\n${site.output()}`);
}

async function stopSite(site: Site): Promise<number | null> {
  if (site.child.exitCode === null) site.child.kill('SIGTERM');
  return site.exited;
}

/** A signed-in visitor: the session cookie, and form posts with the site's own origin. */
async function signIn(site: Site, email: string): Promise<string> {
  const response = await fetch(`${site.url}/account/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: site.url },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
    redirect: 'manual',
  });
  expect(response.status, `sign-in as ${email}`).toBe(303);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** A new (draft) proposal of one of the supplier's consortia: its id. */
async function newProposal(site: Site, cookie: string): Promise<string> {
  const form = await (await fetch(`${site.url}/proposals/new`, { headers: { cookie } })).text();
  const consortiumId = /<option value="([0-9a-f-]{36})"/.exec(form)?.[1];
  if (!consortiumId) throw new Error('The supplier leads no consortium');
  const response = await fetch(`${site.url}/proposals/new`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: site.url, cookie },
    body: new URLSearchParams({ consortiumId }),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  return /\/proposals\/([0-9a-f-]{36})\//.exec(response.headers.get('location') ?? '')![1]!;
}

/** A small, distinct, well-formed PDF. */
function pdf(label: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);
}

function multipart(file: Buffer, filename: string): { body: Buffer; type: string } {
  const boundary = `aix${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Posts an upload over a connection of its own, sending the body in two halves with `pause`
 * between them; resolves with the status, or the connection error's code.
 */
function upload(
  site: Site,
  cookie: string,
  proposalId: string,
  file: Buffer,
  pause?: Promise<unknown>,
): Promise<number | string> {
  const { body, type } = multipart(file, 'evidence.pdf');
  const target = new URL(`${site.url}/proposals/${proposalId}/attachments`);
  return new Promise((done) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent: false,
        headers: { 'content-type': type, 'content-length': body.length, cookie, origin: site.url },
      },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
        res.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
    const half = Math.floor(body.length / 2);
    req.write(body.subarray(0, half));
    void Promise.resolve(pause).then(() => req.end(body.subarray(half)));
  });
}

/** GET over a new connection (not one kept alive from before): the status, or the connection error's code. */
function probe(url: string): Promise<number | string> {
  return new Promise((done) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
    req.end();
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test.describe('the process', () => {
  const dirs: string[] = [];
  const sites: Site[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'aix-life-'));
    dirs.push(dir);
    return dir;
  };
  const launch = async (dir: string, env?: Record<string, string>) => {
    const site = await startSite(dir, env);
    sites.push(site);
    return site;
  };
  test.afterAll(async () => {
    for (const site of sites) {
      if (site.child.exitCode === null) site.child.kill('SIGKILL');
    }
    await Promise.all(sites.map((s) => s.exited));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('a start that cannot succeed exits 1 with the reason, and a second site never serves the first one’s data', async () => {
    test.setTimeout(300_000);
    const dir = newDir();
    const first = await launch(dir);
    const answers = await ready(first);
    // Until start-up is over, /readyz says 503 (never 200 early, never a 500).
    expect(answers.slice(0, -1).every((s) => s === 503)).toBe(true);

    const second = await launch(dir);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(
      `The site could not start: The data directory ${dir} is in use by process ${first.child.pid}`,
    );

    const production = await launch(newDir(), { APP_ENV: 'production', DEMO_DATA: 'false', BETTER_AUTH_SECRET: '' });
    expect(await production.exited).toBe(1);
    expect(production.output()).toContain('The site could not start: APP_ENV=production needs BETTER_AUTH_SECRET and SMTP_URL.');

    // The first site went on serving, and stops cleanly.
    expect((await fetch(`${first.url}/`)).status).toBe(200);
    expect(await stopSite(first)).toBe(0);
    expect(first.output()).toContain('Stopped.');
  });

  test('SIGTERM: requests in flight are answered, new connections refused, the process exits 0', async () => {
    test.setTimeout(300_000);
    const dir = newDir();
    const site = await launch(dir);
    await ready(site);
    const cookie = await signIn(site, SUPPLIER);
    const proposalId = await newProposal(site, cookie);

    // Two uploads half-sent when the signal comes; the rest follows a second later.
    let sendRest!: () => void;
    const rest = new Promise<void>((done) => (sendRest = done));
    const files = [pdf('in flight 1'), pdf('in flight 2')];
    const inFlight = files.map((file) => upload(site, cookie, proposalId, file, rest));
    await new Promise((done) => setTimeout(done, 500));
    site.child.kill('SIGTERM');
    await new Promise((done) => setTimeout(done, 500));
    expect(await probe(`${site.url}/healthz`)).toBe('ECONNREFUSED');
    sendRest();
    expect(await Promise.all(inFlight)).toEqual([303, 303]);
    expect(await site.exited).toBe(0);
    expect(site.output()).toContain('SIGTERM: no new connections');

    // Both files were kept: start again on the same directory and look.
    const again = await launch(dir);
    await ready(again);
    const page = await (
      await fetch(`${again.url}/proposals/${proposalId}/attachments`, { headers: { cookie: await signIn(again, SUPPLIER) } })
    ).text();
    for (const file of files) expect(page).toContain(sha256(file));
    expect(await stopSite(again)).toBe(0);
  });

  test('SIGKILL during writes: after a restart on the same directory every acknowledged write is there', async () => {
    test.setTimeout(300_000);
    const dir = newDir();
    const site = await launch(dir);
    await ready(site);
    const cookie = await signIn(site, SUPPLIER);
    const proposalId = await newProposal(site, cookie);

    // Writers post until the process dies: new proposals (plain form posts) and uploads.
    const acknowledgedProposals: string[] = [];
    const acknowledgedFiles: Buffer[] = [];
    let stop = false;
    let n = 0;
    const proposalWriter = async () => {
      while (!stop) {
        try {
          acknowledgedProposals.push(await newProposal(site, cookie));
        } catch {
          return; // the process is gone
        }
      }
    };
    const uploadWriter = async (w: number) => {
      while (!stop) {
        const file = pdf(`writer ${w}, file ${n++}`);
        const status = await upload(site, cookie, proposalId, file);
        if (status === 303) acknowledgedFiles.push(file);
        else if (typeof status === 'string') return;
      }
    };
    const writers = [proposalWriter(), proposalWriter(), uploadWriter(1), uploadWriter(2)];
    const until = Date.now() + 60_000;
    while (acknowledgedFiles.length + acknowledgedProposals.length < 16 && Date.now() < until) {
      await new Promise((done) => setTimeout(done, 50));
    }
    site.child.kill('SIGKILL');
    expect(await site.exited).toBe(null);
    stop = true;
    await Promise.all(writers);
    expect(acknowledgedFiles.length + acknowledgedProposals.length).toBeGreaterThanOrEqual(16);

    // The restarted site takes over the lock the killed one left, opens the database, and has everything.
    const again = await launch(dir);
    await ready(again);
    const signedIn = await signIn(again, SUPPLIER);
    for (const id of acknowledgedProposals) {
      expect((await fetch(`${again.url}/proposals/${id}`, { headers: { cookie: signedIn } })).status, `proposal ${id}`).toBe(200);
    }
    const page = await (
      await fetch(`${again.url}/proposals/${proposalId}/attachments`, { headers: { cookie: signedIn } })
    ).text();
    for (const file of acknowledgedFiles) expect(page, 'an acknowledged upload').toContain(sha256(file));
    // A stored file comes back whole.
    const first = /href="(\/proposals\/[0-9a-f-]{36}\/attachments\/[0-9a-f-]{36})"/.exec(page)?.[1];
    if (acknowledgedFiles.length && first) {
      const bytes = Buffer.from(await (await fetch(`${again.url}${first}`, { headers: { cookie: signedIn } })).arrayBuffer());
      expect(acknowledgedFiles.map(sha256)).toContain(sha256(bytes));
    }
    expect(await stopSite(again)).toBe(0);
    // The store holds every acknowledged file (an upload cut short may leave one more, never one less).
    const stored = readdirSync(join(dir, 'files', 'proposals', proposalId)).length;
    expect(stored).toBeGreaterThanOrEqual(acknowledgedFiles.length);
  });
});
