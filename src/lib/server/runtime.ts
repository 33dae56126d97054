import { resolve } from 'node:path';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  APP_ENV,
  BETTER_AUTH_SECRET,
  DATA_DIR,
  DATABASE_URL,
  DEMO_DATA,
  MAIL_FROM,
  MEILI_MASTER_KEY,
  MEILI_URL,
  SITE_URL,
  SMTP_URL,
} from 'astro:env/server';
import { bootstrap, type AppServices } from './bootstrap.ts';
import { startJobs } from './jobs.ts';
import { infoLog, logger } from './log.ts';

const KEY = Symbol.for('aiexports.services');
type Holder = { [KEY]?: Promise<AppServices> };

const log = infoLog('site');

/**
 * The one set of services of this process, started on first use. Kept on globalThis so
 * that a reload of this module in development does not open the database a second time.
 */
export function services(): Promise<AppServices> {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const started = bootstrap(
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
      },
      log,
    );
    holder[KEY] = started;
    started.then(
      (s) => {
        const jobs = startJobs(s, log);
        const shutdown = (signal: NodeJS.Signals) => {
          log(`${signal}: stopping.`);
          jobs.stop();
          s.close().finally(() => process.exit(0));
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      },
      (error) => {
        delete holder[KEY];
        logger.error({ err: error, component: 'site' }, 'The site could not start.');
      },
    );
  }
  return holder[KEY];
}
