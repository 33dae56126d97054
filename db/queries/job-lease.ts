import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema/index.ts';
import type { JobLeaseRow } from '../schema/job-lease.ts';

// Every time here is the database's (`now()`), so instances whose clocks disagree still agree
// on who holds a job and when it is due.

/** This process, as a lease holder names it: host, pid and a random part (a restarted pid differs). */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export interface TakenJob {
  name: string;
  /** This run's own holder token: renewing and finishing need it, so a run that lost its lease changes nothing. */
  holder: string;
  /** The previous run's lease ran out before it finished (its instance died or stalled). */
  takenOver: boolean;
}

/**
 * Takes `name` for one run when it is due and nobody holds it (or the holder's lease has run
 * out), in one conditional update: of any number of instances asking at once, one gets it.
 */
export async function takeJob(db: Kysely<Database>, name: string, leaseMs: number): Promise<TakenJob | undefined> {
  await db
    .insertInto('job_lease')
    .values({ name })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const holder = `${INSTANCE_ID}/${randomUUID()}`;
  // The previous holder is read in the same statement (a self-join on the locked row) so that a takeover is counted.
  const row = await sql<{ previous: string | null }>`
    update job_lease as j
       set holder = ${holder},
           "leaseUntil" = now() + make_interval(secs => ${leaseMs / 1000}),
           "startedAt" = now(),
           "takenOver" = j."takenOver" + case when j.holder is null then 0 else 1 end
      from (select name, holder from job_lease where name = ${name} for update) as old
     where j.name = old.name
       and j."dueAt" <= now()
       and (j.holder is null or j."leaseUntil" < now())
    returning old.holder as previous`.execute(db);
  const taken = row.rows[0];
  return taken ? { name, holder, takenOver: taken.previous !== null } : undefined;
}

/** Extends the lease of a run under way; false when it was lost (another instance took the job over). */
export async function renewJob(db: Kysely<Database>, job: TakenJob, leaseMs: number): Promise<boolean> {
  const result = await db
    .updateTable('job_lease')
    .set({ leaseUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
    .where('name', '=', job.name)
    .where('holder', '=', job.holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Ends a run: the lease is let go and the job is next due `nextInMs` from now (its interval
 * after a success, a shorter retry after a failure). Nothing changes if the run lost its lease.
 */
export async function finishJob(
  db: Kysely<Database>,
  job: TakenJob,
  outcome: { error?: string | undefined; nextInMs: number; durationMs: number },
): Promise<boolean> {
  const failed = outcome.error !== undefined;
  const result = await db
    .updateTable('job_lease')
    .set({
      holder: null,
      leaseUntil: null,
      finishedAt: sql`now()`,
      dueAt: sql`now() + make_interval(secs => ${outcome.nextInMs / 1000})`,
      runs: sql`runs + 1`,
      failures: failed ? sql`failures + 1` : sql`failures`,
      lastError: failed ? outcome.error!.slice(0, 1000) : null,
      lastDurationMs: Math.round(outcome.durationMs),
    })
    .where('name', '=', job.name)
    .where('holder', '=', job.holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Makes `name` due now (the operator's "run it now", and the tests). */
export async function makeJobDue(db: Kysely<Database>, name: string, at: Date | 'now' = 'now'): Promise<void> {
  const dueAt = at === 'now' ? sql<Date>`now()` : at;
  await db
    .insertInto('job_lease')
    .values({ name, dueAt })
    .onConflict((oc) => oc.column('name').doUpdateSet({ dueAt }))
    .execute();
}

export async function listJobs(db: Kysely<Database>): Promise<JobLeaseRow[]> {
  return db.selectFrom('job_lease').selectAll().orderBy('name').execute();
}

export interface LeasedRun<T> {
  /** False when another run held the job or it was not due: nothing ran. */
  ran: boolean;
  takenOver?: boolean;
  value?: T;
  error?: unknown;
  durationMs?: number;
}

/**
 * Runs `task` if this process takes `name` (see `takeJob`), renewing the lease every third of
 * `leaseMs` while it runs, then finishes the run: next due `nextInMs(ok)` from now. `task` gets
 * a signal that is aborted if the lease is lost (a stall longer than the lease: another
 * instance may be running the job by then), to stop at its next safe point. A task's error is
 * returned, not thrown; the job is due again after the failure delay.
 */
export async function runLeased<T>(
  db: Kysely<Database>,
  name: string,
  options: { leaseMs: number; nextInMs: (ok: boolean) => number },
  task: (signal: AbortSignal) => Promise<T>,
): Promise<LeasedRun<T>> {
  const job = await takeJob(db, name, options.leaseMs);
  if (!job) return { ran: false };
  const lost = new AbortController();
  const heartbeat = setInterval(
    () => {
      renewJob(db, job, options.leaseMs).then(
        (held) => held || lost.abort(new Error(`The lease of “${name}” was lost.`)),
        () => undefined, // the database is away: the next beat tries again, and the lease may run out
      );
    },
    Math.max(50, Math.floor(options.leaseMs / 3)),
  );
  heartbeat.unref();
  const started = performance.now();
  let outcome: LeasedRun<T>;
  try {
    outcome = { ran: true, takenOver: job.takenOver, value: await task(lost.signal) };
  } catch (error) {
    outcome = { ran: true, takenOver: job.takenOver, error };
  } finally {
    clearInterval(heartbeat);
  }
  outcome.durationMs = performance.now() - started;
  const ok = !('error' in outcome);
  await finishJob(db, job, {
    error: ok ? undefined : String((outcome.error as Error)?.message ?? outcome.error),
    nextInMs: options.nextInMs(ok),
    durationMs: outcome.durationMs,
  });
  return outcome;
}
