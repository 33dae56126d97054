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
  stop(): void;
}

/** Runs every job now (after start-up settles) and then every `intervalMs`; a failing job is logged, never fatal. */
export function startJobs(app: AppServices, _log: Log, intervalMs = 60 * 60 * 1000): JobRunner {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      for (const job of JOBS) {
        try {
          await job.run(app, new Date());
        } catch (error) {
          logger.error({ component: 'jobs', job: job.name, err: error }, `Job “${job.name}” failed.`);
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
