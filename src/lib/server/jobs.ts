import type { Kysely } from 'kysely';
import type { Database } from '../../../db/index.ts';
import { runLeased, type LeasedRun } from '../../../db/queries/job-lease.ts';
import { runAlerts } from '../alerts/job.ts';
import { remindWaiting } from '../introductions/jobs.ts';
import { expireVettings, remindRenewals } from '../vetting/jobs.ts';
import type { AppServices, Log } from './bootstrap.ts';
import { logger } from './log.ts';

type Job = { name: string; run: (app: AppServices, now: Date) => Promise<unknown> };

/** The periodic work: lapsing verifications and their reminders, and introduction reminders. */
export const JOBS: Job[] = [
  { name: 'expire verifications', run: (app, now) => expireVettings(app, now) },
  { name: 'remind renewals', run: (app, now) => remindRenewals(app, now) },
  { name: 'remind introductions', run: (app, now) => remindWaiting(app, now) },
];

/** The name of the saved-search alerts in `job_lease`. */
export const ALERTS_JOB = 'saved-search alerts';

export interface JobRunner {
  /** No more runs; resolves once a run under way has finished. */
  stop(): Promise<void>;
}

/** One job on the shared schedule (`job_lease`): due every `intervalMs`, run by one instance at a time. */
export interface ScheduledJob {
  name: string;
  intervalMs: number;
  /** How long a run may go unrenewed before another instance takes it over (renewed every third of it). */
  leaseMs?: number;
  /** After a failure the job is due again this much later (default: the interval, at most 5 min). */
  retryMs?: number;
  run: (signal: AbortSignal) => Promise<unknown>;
}

export interface ScheduleOptions {
  /** How often each instance asks whether a job is due (default: a quarter of the shortest interval, 250 ms to 60 s). */
  tickMs?: number;
  /** The first ask after start-up (default 30 s: start-up settles first). */
  firstDelayMs?: number;
  /** Called after every run this instance made (for the metrics and the logs). */
  onRun?: (job: ScheduledJob, run: LeasedRun<unknown>) => void;
  /** Called after every tick of this instance, whether or not it ran anything. */
  onTick?: () => void;
}

/**
 * Runs `jobs` on the schedule every instance shares. Each instance ticks; at a tick, a job that
 * is due and not held is taken by exactly one instance (a leased row, `runLeased`), run, and
 * moved to its next due time, so a run is neither repeated by a second instance nor skipped
 * when one instance is down. A run whose instance dies is taken up again once its lease runs
 * out (the jobs are safe to repeat: each step is conditional on the state it moves from).
 */
export function startSchedule(db: Kysely<Database>, jobs: ScheduledJob[], options: ScheduleOptions = {}): JobRunner {
  const shortest = Math.min(...jobs.map((job) => job.intervalMs));
  const tickMs = options.tickMs ?? Math.min(60_000, Math.max(250, Math.floor(shortest / 4)));
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    for (const job of jobs) {
      if (stopped) return;
      const leaseMs = job.leaseMs ?? 120_000;
      const retryMs = job.retryMs ?? Math.min(job.intervalMs, 5 * 60_000);
      try {
        const run = await runLeased(db, job.name, { leaseMs, nextInMs: (ok) => (ok ? job.intervalMs : retryMs) }, job.run);
        if (run.ran) options.onRun?.(job, run);
      } catch (error) {
        // The database could not be asked: the next tick asks again.
        logger.warn({ component: 'jobs', job: job.name, err: error }, `Could not take the job “${job.name}”.`);
      }
    }
  };
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(() => {
        running = undefined;
        options.onTick?.();
        schedule(tickMs);
      });
    }, delay);
    timer.unref();
  };
  schedule(options.firstDelayMs ?? 30_000);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** The hourly jobs, each on its own lease row; a failing job is logged, never fatal. */
export function startJobs(app: AppServices, log: Log, intervalMs = 60 * 60 * 1000, options: ScheduleOptions = {}): JobRunner {
  return startSchedule(
    app.db,
    JOBS.map((job) => ({ name: job.name, intervalMs, run: () => job.run(app, new Date()) })),
    {
      ...options,
      onRun(job, run) {
        if ('error' in run) {
          logger.error({ component: 'jobs', job: job.name, err: run.error }, `Job “${job.name}” failed.`);
        } else if (run.takenOver) {
          log(`Job “${job.name}” taken up again after an unfinished run.`);
        }
        options.onRun?.(job, run);
      },
    },
  );
}

/**
 * The saved-search alerts, on their own schedule (every `intervalMs`, ALERTS_INTERVAL_SECONDS):
 * immediate alerts should not wait for the hourly jobs. Each run is safe to repeat or to
 * interrupt (see src/lib/alerts/job.ts); a failing run is logged and tried at the next tick.
 */
export function startAlerts(app: AppServices, log: Log, intervalMs = 60_000, options: ScheduleOptions = {}): JobRunner {
  let failing = false;
  return startSchedule(app.db, [{ name: ALERTS_JOB, intervalMs, retryMs: intervalMs, run: () => runAlerts(app, new Date()) }], {
    firstDelayMs: intervalMs,
    ...options,
    onRun(job, run) {
      if ('error' in run) {
        if (!failing) log(`Saved-search alerts failed, will retry: ${(run.error as Error).message}`);
        failing = true;
      } else {
        if (failing) log('Saved-search alerts run again.');
        failing = false;
      }
      options.onRun?.(job, run);
    },
  });
}
