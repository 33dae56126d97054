import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataLock } from '../../db/lock.ts';
import { isAppError } from '../../db/errors.ts';

// The lock that guards an embedded database directory, raced by real processes.
const node = resolve('node_modules/.bin/node');
const contender = resolve('tests/fixtures/lock-contender.ts');

/** The pid of a process that has exited (so a lock naming it is stale). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

/**
 * Eight (or `count`) contenders at once; each answers `held` or `locked`. Holders keep the lock
 * until every contender has answered, so two answers `held` mean two holders at the same time.
 */
async function race(dir: string, count: number, goAt: number, pauseMs: number): Promise<string[]> {
  const children = Array.from({ length: count }, () =>
    spawn(existsSync(node) ? node : process.execPath, [contender, dir, String(goAt)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, AIX_LOCK_RACE_PAUSE_MS: String(pauseMs) },
    }),
  );
  const answers = children.map(
    (child) =>
      new Promise<string>((done, fail) => {
        let out = '';
        child.stdout!.on('data', (chunk) => {
          out += chunk;
          if (out.includes('\n')) done(out.trim());
        });
        child.stderr!.on('data', (chunk) => (out += chunk));
        child.on('error', fail);
        child.on('exit', () => done(out.trim()));
      }),
  );
  const results = await Promise.all(answers);
  for (const child of children) child.stdin!.end();
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((done) => child.once('exit', done)) : null)));
  return results;
}

/** The stale locks a crash can leave: a whole record of a dead process, an old-format one, an empty file. */
const STALE = [
  (pid: number) => JSON.stringify({ pid, purpose: 'the site', since: new Date(0).toISOString(), token: 'dead-holder' }),
  (pid: number) => JSON.stringify({ pid, purpose: 'the site', since: new Date(0).toISOString() }),
  () => '',
];

describe('the data-directory lock', () => {
  it('is held by exactly one of eight processes that start together on a stale lock, every time', async () => {
    const trials = 15;
    const contenders = 8;
    for (let trial = 0; trial < trials; trial++) {
      const dir = mkdtempSync(join(tmpdir(), 'aix-lock-race-'));
      try {
        writeFileSync(join(dir, 'aiexports.lock'), STALE[trial % STALE.length]!(deadPid()));
        // Node takes a few hundred milliseconds to start on a busy machine: start together later.
        const goAt = Date.now() + 2500;
        // Every other trial widens each window between a read and the step that acts on it.
        const results = await race(dir, contenders, goAt, trial % 2 ? 40 : 0);
        expect(
          results.filter((r) => r !== 'held' && r !== 'locked'),
          `trial ${trial}`,
        ).toEqual([]);
        expect(
          results.filter((r) => r === 'held'),
          `trial ${trial}: ${results.join(', ')}`,
        ).toHaveLength(1);
        // Nothing is left behind but (at most) the released lock's directory entries.
        expect(readdirSync(dir).filter((name) => name !== 'aiexports.lock')).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 180_000);

  it('names the live holder, is not taken from it, and is free again once released', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aix-lock-'));
    try {
      const lock = acquireDataLock(dir, 'the test site');
      let refused: unknown;
      try {
        acquireDataLock(dir, 'a seed');
      } catch (error) {
        refused = error;
      }
      expect(isAppError(refused, 'DATA_DIR_LOCKED')).toBe(true);
      expect((refused as Error).message).toContain(`process ${process.pid} (the test site)`);
      lock.release();
      expect(existsSync(join(dir, 'aiexports.lock'))).toBe(false);
      acquireDataLock(dir, 'again').release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes over a lock that names its own pid (a restarted container reuses the pid)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aix-lock-'));
    try {
      writeFileSync(
        join(dir, 'aiexports.lock'),
        JSON.stringify({ pid: process.pid, purpose: 'the site', since: new Date(0).toISOString(), token: 'before-restart' }),
      );
      acquireDataLock(dir, 'the site again').release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
