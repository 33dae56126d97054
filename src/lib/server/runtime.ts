import { resolve } from 'node:path';
import {
  ADMIN_EMAIL,
  ALERTS_INTERVAL_SECONDS,
  ADMIN_PASSWORD,
  APP_ENV,
  BETTER_AUTH_SECRET,
  DATA_DIR,
  DATABASE_URL,
  DEMO_DATA,
  JOBS_CHECK_SECONDS,
  MAIL_FROM,
  MEILI_MASTER_KEY,
  MEILI_URL,
  SCREENING_MIN_SCORE,
  SITE_URL,
  SMTP_URL,
  VETTING_VALIDITY_MONTHS,
} from 'astro:env/server';
import { bootstrap, type AppServices } from './bootstrap.ts';
import { startAlerts, startJobs, type JobRunner } from './jobs.ts';
import { infoLog, logger } from './log.ts';
import { recordJobRun } from './metrics.ts';

const log = infoLog('site');

/** Where the process is in its life: /readyz answers 200 only when `ready` (and its checks pass). */
export type Phase = 'idle' | 'starting' | 'ready' | 'failed' | 'stopping' | 'stopped';

interface RuntimeState {
  phase: Phase;
  started?: Promise<AppServices>;
  services?: AppServices;
  jobs?: JobRunner;
  alerts?: JobRunner;
  error?: Error;
  stopped?: Promise<void>;
}

/**
 * What `src/cli/serve.ts` (which loads the built site into its own process) uses to start and
 * stop the services: it starts them before it says the site is up, exits when they fail, and
 * on SIGTERM stops them only once the requests in flight have been answered.
 */
export interface Runtime {
  start(): Promise<AppServices>;
  phase(): Phase;
  /** Marks the process as stopping (/readyz answers 503) without stopping anything yet. */
  draining(): void;
  stop(): Promise<void>;
  /** The one sentence that says why a start failed (and, for a failure nobody foresaw, its stack below). */
  explain(error: unknown): string;
}

const STATE = Symbol.for('aiexports.runtime.state');
const RUNTIME = Symbol.for('aiexports.runtime');
/** Set by `src/cli/serve.ts`: it owns the signals and the exit; without it (`astro dev`) this module does. */
const MANAGED = Symbol.for('aiexports.runtime.managed');
type Holder = { [STATE]?: RuntimeState; [RUNTIME]?: Runtime; [MANAGED]?: boolean };

// Kept on globalThis so that a reload of this module in development does not open the database a second time.
function state(): RuntimeState {
  const holder = globalThis as Holder;
  return (holder[STATE] ??= { phase: 'idle' });
}

/** The one sentence that says why the start failed (the first line of the error and of its cause). */
export function startFailure(error: unknown): string {
  const first = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
  const cause = error instanceof Error && error.cause ? first(error.cause) : '';
  const message = first(error);
  return cause && !message.includes(cause) ? `${message.replace(/\.$/, '')}: ${cause}` : message;
}

/**
 * The one set of services of this process, started on first use. A start that fails stays
 * failed: it is not tried again on the next request (a second site on a locked data directory
 * would otherwise take the data over when the first one stops). `src/cli/serve.ts` and
 * `astro dev` exit; a server started some other way answers 503 to every page.
 */
export function services(): Promise<AppServices> {
  const current = state();
  if (current.started) return current.started;
  current.phase = 'starting';
  current.started = bootstrap(
    {
      dataDir: resolve(DATA_DIR),
      databaseUrl: DATABASE_URL,
      meiliUrl: MEILI_URL,
      meiliMasterKey: MEILI_MASTER_KEY,
      demoData: DEMO_DATA,
      production: APP_ENV === 'production',
      siteUrl: SITE_URL ?? `http://localhost:${process.env.PORT ?? 4321}`,
      authSecret: BETTER_AUTH_SECRET,
      smtpUrl: SMTP_URL,
      mailFrom: MAIL_FROM,
      adminEmail: ADMIN_EMAIL,
      adminPassword: ADMIN_PASSWORD,
      vettingValidityMonths: VETTING_VALIDITY_MONTHS,
      screeningMinScore: SCREENING_MIN_SCORE,
    },
    log,
  );
  current.started.then(
    (s) => {
      current.services = s;
      current.jobs = startJobs(s, log, undefined, {
        tickMs: JOBS_CHECK_SECONDS * 1000,
        firstDelayMs: Math.min(30_000, JOBS_CHECK_SECONDS * 1000),
        onRun: recordJobRun,
      });
      current.alerts = startAlerts(s, log, ALERTS_INTERVAL_SECONDS * 1000, { onRun: recordJobRun });
      if (current.phase === 'starting') current.phase = 'ready';
      if (!(globalThis as Holder)[MANAGED]) {
        const shutdown = (signal: NodeJS.Signals) => {
          log(`${signal}: stopping.`);
          void stopServices().finally(() => process.exit(0));
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      }
    },
    (error: unknown) => {
      current.phase = 'failed';
      current.error = error instanceof Error ? error : new Error(String(error));
      if (!(globalThis as Holder)[MANAGED]) {
        logger.error(
          { err: error, component: 'site' },
          `The site could not start: ${(globalThis as Holder)[RUNTIME]!.explain(error)}`,
        );
        // `astro dev`: a server whose every page would fail is no use; stop it.
        if (import.meta.env.DEV) process.exit(1);
      }
    },
  );
  return current.started;
}

/** The phase of this process; `failed` comes with the error. */
export function runtimePhase(): { phase: Phase; error?: Error } {
  const { phase, error } = state();
  return error ? { phase, error } : { phase };
}

/** Stops the periodic jobs, the outbox worker, the embedded Meilisearch and the database, once. */
export function stopServices(): Promise<void> {
  const current = state();
  current.stopped ??= (async () => {
    current.phase = 'stopping';
    const started = await current.started?.catch(() => undefined);
    await current.jobs?.stop();
    await current.alerts?.stop();
    await started?.close();
    current.phase = 'stopped';
  })();
  return current.stopped;
}

(globalThis as Holder)[RUNTIME] = {
  start: services,
  phase: () => state().phase,
  draining: () => {
    const current = state();
    if (current.phase === 'ready' || current.phase === 'starting') current.phase = 'stopping';
  },
  stop: stopServices,
  explain: (error) => {
    const sentence = startFailure(error);
    const foreseen = error instanceof Error && (error.name === 'AppError' || error.name === 'ConfigError');
    return foreseen || !(error instanceof Error) ? sentence : `${sentence}\n\n${error.stack ?? ''}`;
  },
};
