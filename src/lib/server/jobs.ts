import { runAlerts } from '../alerts/job.ts';
import { remindWaiting } from '../introductions/jobs.ts';
import { expireVettings, remindRenewals } from '../vetting/jobs.ts';
import type { AppServices, Log } from './bootstrap.ts';

type Job = { name: string; run: (app: AppServices, now: Date) => Promise<unknown> };

/** The periodic work: lapsing verifications and their reminders, and introduction reminders. */
export const JOBS: Job[] = [
  { name: 'expire verifications', run: (app, now) => expireVettings(app, now) },
  { name: 'remind renewals', run: (app, now) => remindRenewals(app, now) },
  { name: 'remind introductions', run: (app, now) => remindWaiting(app, now) },
];

export interface JobRunner {
  stop(): void;
}

/** Runs every job now (after start-up settles) and then every `intervalMs`; a failing job is logged, never fatal. */
export function startJobs(app: AppServices, log: Log, intervalMs = 60 * 60 * 1000): JobRunner {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      for (const job of JOBS) {
        try {
          await job.run(app, new Date());
        } catch (error) {
          log(`Job “${job.name}” failed: ${(error as Error).message}`);
        }
      }
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), 30_000);
  const timer = setInterval(() => void tick(), intervalMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
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
  const tick = async () => {
    if (running) return;
    running = true;
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
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
