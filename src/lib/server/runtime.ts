import { resolve } from 'node:path';
import { DATA_DIR, DATABASE_URL, DEMO_DATA, MEILI_MASTER_KEY, MEILI_URL } from 'astro:env/server';
import { bootstrap, type AppServices } from './bootstrap.ts';

const KEY = Symbol.for('aiexports.services');
type Holder = { [KEY]?: Promise<AppServices> };

function log(message: string) {
  console.log(`[aiexports] ${message}`);
}

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
      },
      log,
    );
    holder[KEY] = started;
    started.then(
      (s) => {
        const shutdown = (signal: NodeJS.Signals) => {
          log(`${signal}: stopping.`);
          s.close().finally(() => process.exit(0));
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      },
      (error) => {
        delete holder[KEY];
        console.error(error);
      },
    );
  }
  return holder[KEY];
}
