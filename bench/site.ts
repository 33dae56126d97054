// Starting and stopping the built site (`node src/cli/serve.ts`) for the benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../search/embedded.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface Site {
  child: ChildProcess;
  url: string;
  /** Every line the site printed, stdout and stderr. */
  logs: string[];
  exited: Promise<void>;
}

/**
 * Starts the built site on a free loopback port with the given data directory, on the same
 * Node as this process, and waits until GET /readyz answers 200.
 */
export async function startSite(dataDir: string, env: Record<string, string> = {}, timeoutMs = 180_000): Promise<Site> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['src/cli/serve.ts'], {
    cwd: ROOT,
    // No fair-use limit unless a benchmark sets one: load generators send far more than a client may.
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DEMO_DATA: 'false',
      PORT: String(port),
      HOST: '127.0.0.1',
      API_RATE_LIMIT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const collect = (stream: NodeJS.ReadableStream | null) => {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) logs.push(line);
    });
  };
  collect(child.stdout);
  collect(child.stderr);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the site exited during start-up (${child.exitCode ?? child.signalCode}):\n${logs.join('\n')}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the site was not ready within ${timeoutMs / 1000} s:\n${logs.join('\n')}`);
    }
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  return { child, url, logs, exited };
}

function running(site: Site): boolean {
  return site.child.exitCode === null && site.child.signalCode === null;
}

/** SIGTERM (the site stops its Meilisearch and closes the database), SIGKILL after 20 s. */
export async function stopSite(site: Site | undefined): Promise<void> {
  if (!site || !running(site)) return;
  site.child.kill('SIGTERM');
  const timedOut = await Promise.race([site.exited.then(() => false), sleep(20_000).then(() => true)]);
  if (timedOut) {
    console.error('The site did not stop within 20 s of SIGTERM; killing it.');
    site.child.kill('SIGKILL');
    await site.exited;
  }
}

/** For emergencies (an exception, Ctrl-C): kills the site and the Meilisearch whose pid file is given. */
export function killSite(site: Site | undefined, meiliPidFile?: string): void {
  if (site && running(site)) site.child.kill('SIGKILL');
  const pid = meiliPidFile ? readPid(meiliPidFile) : undefined;
  if (!pid) return;
  try {
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('meilisearch')) process.kill(pid, 'SIGKILL');
  } catch {
    // gone
  }
}

export function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
