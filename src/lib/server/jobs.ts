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

export interface JobRunner {
  /** No more runs; resolves once a run under way has finished. */
  stop(): Promise<void>;
}

/** Runs every job now (after start-up settles) and then every `intervalMs`; a failing job is logged, never fatal. */
export function startJobs(app: AppServices, log: Log, intervalMs = 60 * 60 * 1000): JobRunner {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = async () => {
    if (running || stopped) return;
    running = runAll();
    await running;
  };
  const runAll = async () => {
    try {
      for (const job of JOBS) {
        if (stopped) break;
        try {
          await job.run(app, new Date());
        } catch (error) {
          logger.error({ component: 'jobs', job: job.name, err: error }, `Job “${job.name}” failed.`);
        }
      }
    } finally {
      running = undefined;
    }
  };
  const first = setTimeout(() => void tick(), 30_000);
  const timer = setInterval(() => void tick(), intervalMs);
  first.unref();
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * The saved-search alerts, on their own timer (every `intervalMs`, ALERTS_INTERVAL_SECONDS):
 * immediate alerts should not wait for the hourly jobs. Each run is safe to repeat or to
 * interrupt (see src/lib/alerts/job.ts); a failing run is logged and tried at the next tick.
 */
export function startAlerts(app: AppServices, log: Log, intervalMs = 60_000): JobRunner {
  let running = false;
  let failing = false;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const run = async () => {
    try {
      await runAlerts(app, new Date());
      if (failing) log('Saved-search alerts run again.');
      failing = false;
    } catch (error) {
      if (!failing) log(`Saved-search alerts failed, will retry: ${(error as Error).message}`);
      failing = true;
    } finally {
      running = false;
    }
  };
  const tick = () => {
    if (running || stopped) return;
    running = true;
    current = run();
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    /** Stops the timer and waits for a run under way. */
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
