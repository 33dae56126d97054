import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { AppError } from './errors.ts';

export interface DataLock {
  readonly path: string;
  release(): void;
}

/** What a lock file says about its holder. Written whole before the file gets its name. */
interface LockRecord {
  pid?: number;
  purpose?: string;
  since?: string;
  /** Unique per taking: names the lock's generation. */
  token?: string;
  /** The holder's start time in clock ticks since boot (Linux), so that a reused pid is not taken for the holder. */
  started?: number;
}

const LOCK_NAME = 'aiexports.lock';
/** The tokens of the locks this process holds (a lock naming this pid but none of these was left by an earlier process). */
const heldHere = new Set<string>();

/** This process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), where there is /proc. */
function startTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process a lock names still runs: not this process (a restarted container reuses its pid), not a newer one under the same pid. */
function holderAlive(record: LockRecord): boolean {
  const pid = record.pid;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return typeof record.token === 'string' && heldHere.has(record.token);
  if (!pidAlive(pid)) return false;
  if (record.started !== undefined) {
    const now = startTicks(pid);
    if (now !== undefined && now !== record.started) return false;
  }
  return true;
}

/** The record under `path`; undefined when there is no such file, `{}` when it says nothing readable (an old half-written lock). */
function readRecord(path: string): LockRecord | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as LockRecord) : {};
  } catch {
    return {};
  }
}

/** Creates `name` as a second link to `file`: atomic, and fails (false) when `name` exists. */
function tryLink(file: string, name: string): boolean {
  try {
    linkSync(file, name);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** A generation name for a lock file (its token, or for an old-format lock its inode). */
function generationOf(path: string, record: LockRecord): string | undefined {
  if (typeof record.token === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(record.token)) return record.token;
  try {
    const info = statSync(path);
    return `ino-${info.ino}-${Math.trunc(info.mtimeMs)}`;
  } catch {
    return undefined;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function pause(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * (tests only) `AIX_LOCK_RACE_PAUSE_MS`: a random pause of up to that long between each read and
 * the step that acts on it, so that tests/integration/lock.test.ts can race processes with the
 * widest windows a slow machine could give them. Unset, nothing waits.
 */
const racePause = Number(process.env.AIX_LOCK_RACE_PAUSE_MS) || 0;
function raceWindow(): void {
  if (racePause > 0) pause(Math.random() * racePause);
}

function lockedError(dir: string, holder: LockRecord): AppError {
  return new AppError(
    'DATA_DIR_LOCKED',
    `The data directory ${dir} is in use by process ${holder.pid} (${holder.purpose ?? 'unknown'}). ` +
      'The embedded database can be opened by one process at a time: stop the site first ' +
      '(Ctrl+C in its terminal), or run this command against PostgreSQL with DATABASE_URL.',
  );
}

/**
 * Takes the lock file that guards an embedded database directory: PGlite itself does not
 * lock its directory, and lets one process at a time open it.
 *
 * Every step is atomic. The record is written whole to a file of its own name and then
 * linked to `aiexports.lock` (link(2) fails if the name exists), so no one ever reads a
 * half-written lock. A stale lock (its process is gone) is replaced only by the one process
 * that wins the right to replace that generation: the one whose link to
 * `aiexports.lock.next.<generation>` succeeds; it checks that the lock is still that
 * generation and renames its own record over it. If that winner dies half-way, its own
 * record (now stale) names the next election, and so on.
 */
export function acquireDataLock(dir: string, purpose: string): DataLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_NAME);
  const token = randomUUID();
  const record: LockRecord = {
    pid: process.pid,
    purpose,
    since: new Date().toISOString(),
    token,
    started: startTicks(process.pid),
  };
  const mine = join(dir, `.${LOCK_NAME}.${token}.tmp`);
  const fd = openSync(mine, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify(record));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // Ballots this process won, and ballots of winners that died, followed on the way.
  const ballots = { won: [] as string[], dead: [] as string[] };
  let taken = false;
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (tryLink(mine, path)) {
        taken = true;
        return held(path, token);
      }
      const holder = readRecord(path);
      if (holder === undefined) continue; // released in between: try again
      if (holderAlive(holder)) throw lockedError(dir, holder);
      raceWindow();
      if (replaceStale(path, mine, holder, ballots) === 'taken') {
        taken = true;
        return held(path, token);
      }
      pause(5 + Math.floor(Math.random() * 20));
    }
    throw new AppError('DATA_DIR_LOCKED', `Could not take the lock on ${dir}: it kept changing hands.`);
  } finally {
    rmSync(mine, { force: true });
    // A ballot is cleared only once its generation is over: always so for one this process won
    // (it replaced the lock, or found it replaced); for a dead winner's, only if this process
    // now holds the lock (otherwise the election it started may still be under way).
    for (const name of ballots.won) rmSync(name, { force: true });
    if (taken) for (const name of ballots.dead) rmSync(name, { force: true });
  }
}

/**
 * One attempt at replacing the stale lock generation `stale`: 'taken' when this process now
 * holds the lock, 'retry' when another process is at it (or took it).
 */
function replaceStale(
  path: string,
  mine: string,
  stale: LockRecord,
  ballots: { won: string[]; dead: string[] },
): 'taken' | 'retry' {
  const generation = generationOf(path, stale);
  if (!generation) return 'retry';
  let election = generation;
  // Follow the elections of winners that died before they finished.
  for (let depth = 0; depth < 20; depth++) {
    const ballot = `${path}.next.${election}`;
    if (tryLink(mine, ballot)) {
      ballots.won.push(ballot);
      const now = readRecord(path);
      if (now === undefined || generationOf(path, now) !== generation) return 'retry';
      raceWindow();
      // Still the stale generation, and only the winner of its election may replace it.
      const staged = `${mine}.${depth}.staged`;
      linkSync(mine, staged);
      renameSync(staged, path);
      return 'taken';
    }
    const winner = readRecord(ballot);
    if (winner === undefined || holderAlive(winner)) return 'retry';
    const next = generationOf(ballot, winner);
    if (!next) return 'retry';
    ballots.dead.push(ballot);
    election = next;
  }
  return 'retry';
}

function held(path: string, token: string): DataLock {
  let released = false;
  heldHere.add(token);
  const release = () => {
    if (released) return;
    released = true;
    heldHere.delete(token);
    // Only the holder's own generation is removed.
    if (readRecord(path)?.token === token) rmSync(path, { force: true });
  };
  process.once('exit', release);
  return { path, release };
}
