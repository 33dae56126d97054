import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database, type DbHandle } from '../../db/index.ts';
import { makeJobDue, takeJob } from '../../db/queries/job-lease.ts';
import { createMailer, type Mailer } from '../../src/lib/mail/index.ts';
import { startSchedule, type JobRunner, type ScheduledJob } from '../../src/lib/server/jobs.ts';
import { testDb } from '../fixtures/db.ts';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const HOUR = 3_600_000;

async function waitFor(check: () => Promise<boolean> | boolean, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** One site instance's share of the schedule: its own connection pool (on PGlite the one database both use), mailer and tick count. */
interface Instance {
  db: Kysely<Database>;
  mailer: Mailer;
  ticks: number;
  runner?: JobRunner;
}

describe(`periodic jobs across instances on ${onPostgres ? 'PostgreSQL' : 'PGlite'}`, () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let second: DbHandle | undefined;
  let a: Instance;
  let b: Instance;

  const mails = async (subject: string) =>
    (await handle.db.selectFrom('dev_mail').select('subject').where('subject', '=', subject).execute()).length;
  const lease = (name: string) =>
    handle.db.selectFrom('job_lease').selectAll().where('name', '=', name).executeTakeFirstOrThrow();

  /** Both instances tick (every 10 ms) over the same jobs; each run of `job` is done by whichever instance took it. */
  const startBoth = (job: (instance: Instance) => ScheduledJob) => {
    for (const instance of [a, b]) {
      instance.ticks = 0;
      instance.runner = startSchedule(instance.db, [job(instance)], {
        tickMs: 10,
        firstDelayMs: 0,
        onTick: () => void instance.ticks++,
      });
    }
  };
  /** Waits until each instance has ticked `n` more times: long enough for a second run to have started, were one possible. */
  const moreTicks = async (n: number) => {
    const [ta, tb] = [a.ticks, b.ticks];
    await waitFor(() => a.ticks >= ta + n && b.ticks >= tb + n, `${n} more ticks`);
  };
  /** The same, counting the ticks of both together: the instance running a job does not tick until it is done. */
  const moreTicksTogether = async (n: number) => {
    const before = a.ticks + b.ticks;
    await waitFor(() => a.ticks + b.ticks >= before + n, `${n} more ticks`);
  };
  const stopBoth = async () => {
    await Promise.all([a.runner?.stop(), b.runner?.stop()]);
  };

  beforeAll(async () => {
    handle = await testDb();
    if (handle.url) second = await createDb({ databaseUrl: handle.url, dataDir: 'memory://' });
    const instance = (db: Kysely<Database>): Instance => ({
      db,
      mailer: createMailer({ db, from: 'test@example.com' }),
      ticks: 0,
    });
    a = instance(handle.db);
    b = instance(second?.db ?? handle.db);
  });
  afterAll(async () => {
    await stopBoth();
    await second?.close();
    await handle.close();
  });

  it('a job due once runs once, whichever instance takes it, and is next due after its interval', async () => {
    await makeJobDue(handle.db, 'once');
    startBoth((instance) => ({
      name: 'once',
      intervalMs: HOUR,
      run: () => instance.mailer.send({ to: 'jobs@example.com', subject: 'once', text: 'ran' }),
    }));
    await waitFor(async () => (await lease('once')).runs === 1, 'the run');
    await moreTicks(20);
    await stopBoth();
    expect(await mails('once')).toBe(1);
    const row = await lease('once');
    expect(row).toMatchObject({ runs: 1, failures: 0, holder: null, leaseUntil: null, takenOver: 0 });
    expect(row.dueAt.getTime() - row.finishedAt!.getTime()).toBeGreaterThan(HOUR - 60_000);
  });

  it('a run under way is not started again by the other instance, even when due again meanwhile', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    await makeJobDue(handle.db, 'slow');
    startBoth((instance) => ({
      name: 'slow',
      intervalMs: HOUR,
      leaseMs: 300,
      run: async () => {
        started++;
        await gate;
        await instance.mailer.send({ to: 'jobs@example.com', subject: 'slow', text: 'ran' });
      },
    }));
    await waitFor(() => started === 1, 'the slow run to start');
    await makeJobDue(handle.db, 'slow');
    // Longer than the lease: the heartbeat keeps it, so the other instance never takes it over.
    const leaseSeen = (await lease('slow')).leaseUntil!.getTime();
    await waitFor(async () => (await lease('slow')).leaseUntil!.getTime() > leaseSeen + 300, 'the lease renewed');
    await moreTicksTogether(30);
    expect(started).toBe(1);
    release();
    await waitFor(async () => (await lease('slow')).runs === 1, 'the slow run to finish');
    await moreTicks(10);
    await stopBoth();
    expect(started).toBe(1);
    expect(await mails('slow')).toBe(1);
  });

  it('a failed run is tried again after its retry delay, not skipped until the next interval', async () => {
    let attempts = 0;
    await makeJobDue(handle.db, 'flaky');
    startBoth((instance) => ({
      name: 'flaky',
      intervalMs: HOUR,
      retryMs: 50,
      run: async () => {
        if (++attempts === 1) throw new Error('SMTP is down');
        await instance.mailer.send({ to: 'jobs@example.com', subject: 'flaky', text: 'ran' });
      },
    }));
    await waitFor(async () => (await lease('flaky')).runs === 2, 'the retry');
    await moreTicks(10);
    await stopBoth();
    expect(attempts).toBe(2);
    expect(await mails('flaky')).toBe(1);
    expect(await lease('flaky')).toMatchObject({ runs: 2, failures: 1, lastError: null });
  });

  it('a run left unfinished by an instance that stopped renewing its lease is taken up again by another', async () => {
    await makeJobDue(handle.db, 'orphan');
    // What an instance killed mid-run leaves behind: the job taken, a lease nobody renews.
    const dead = await takeJob(handle.db, 'orphan', 200);
    expect(dead).toBeDefined();
    startBoth((instance) => ({
      name: 'orphan',
      intervalMs: HOUR,
      run: () => instance.mailer.send({ to: 'jobs@example.com', subject: 'orphan', text: 'ran' }),
    }));
    await waitFor(async () => (await lease('orphan')).runs === 1, 'the run taken over');
    await moreTicks(10);
    await stopBoth();
    expect(await mails('orphan')).toBe(1);
    expect(await lease('orphan')).toMatchObject({ runs: 1, takenOver: 1, holder: null });
  });

  it.skipIf(!onPostgres)('a run whose process is killed midway is taken up again by a running instance', async () => {
    await makeJobDue(handle.db, 'killed');
    const child = spawn(process.execPath, ['tests/fixtures/job-contender.ts', handle.url!, 'killed', '500'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('running') && resolve());
      child.on('exit', (code) => reject(new Error(`the contender exited (${code}) before running`)));
    });
    startBoth((instance) => ({
      name: 'killed',
      intervalMs: HOUR,
      leaseMs: 500,
      run: () => instance.mailer.send({ to: 'jobs@example.com', subject: 'killed: finished', text: 'ran' }),
    }));
    // While the contender lives its heartbeat holds the job: nobody else runs it.
    await moreTicks(20);
    expect(await mails('killed: finished')).toBe(0);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    await waitFor(async () => (await mails('killed: finished')) === 1, 'the run taken over');
    await moreTicks(10);
    await stopBoth();
    expect(await mails('killed: started')).toBe(1);
    expect(await mails('killed: finished')).toBe(1);
    expect(await lease('killed')).toMatchObject({ runs: 1, takenOver: 1, holder: null });
  });
});
