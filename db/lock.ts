import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from './errors.ts';

export interface DataLock {
  readonly path: string;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock file that guards an embedded database directory: PGlite lets one process
 * at a time open it. A lock left by a process that has died is taken over.
 */
export function acquireDataLock(dir: string, purpose: string): DataLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'aiexports.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, purpose, since: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
      };
      process.once('exit', release);
      return { path, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: { pid?: number; purpose?: string } = {};
      try {
        holder = JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        // A half-written lock: treat as stale.
      }
      if (holder.pid && isAlive(holder.pid)) {
        throw new AppError(
          'DATA_DIR_LOCKED',
          `The data directory ${dir} is in use by process ${holder.pid} (${holder.purpose ?? 'unknown'}). ` +
            'The embedded database can be opened by one process at a time: stop the site first ' +
            '(Ctrl+C in its terminal), or run this command against PostgreSQL with DATABASE_URL.',
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new AppError('DATA_DIR_LOCKED', `Could not take the lock on ${dir}.`);
}
