import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { createDb, migrateToLatest, type Database } from '../../../db/index.ts';
import { countPackages } from '../../../db/queries/packages.ts';
import { seedDemoThroughWorkflow } from '../../../db/seed/workflow.ts';
import { connectSearch, type SearchClients } from '../../../search/client.ts';
import { startEmbeddedMeilisearch, type EmbeddedMeilisearch } from '../../../search/embedded.ts';
import { applySettings } from '../../../search/apply-settings.ts';
import { PACKAGES_INDEX, packageSettings } from '../../../search/indexes/packages.ts';
import { reindexPackages } from '../../../search/reindex.ts';
import { clearOutboxBefore, startOutboxWorker, type OutboxWorker } from '../../../search/sync.ts';
import { loadReference, type Reference } from '../reference/index.ts';
import { createAuth, type Auth } from '../auth/index.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, ensureUser, seedDemoAccounts } from '../auth/users.ts';
import { createMailer, type Mailer } from '../mail/index.ts';
import { sweepUploads, uploadTempDir } from '../files/upload.ts';
import { LocalDiskStore, useFileStore, type FileStore } from '../files/index.ts';
import { DatabaseFileStore } from '../files/database.ts';
import { importScreeningList } from '../screening/import.ts';
import { minScoreFromEnv } from '../screening/match.ts';
import { validityMonths } from '../vetting/config.ts';
import { latestScreeningImport } from '../../../db/queries/screening.ts';
import cslDemo from '../../../db/seed/csl-demo.json' with { type: 'json' };

/** Everything the server reads from its environment; see the README's configuration table. */
export interface AppConfig {
  dataDir: string;
  databaseUrl?: string | undefined;
  meiliUrl?: string | undefined;
  meiliMasterKey?: string | undefined;
  /** Load the demo packages into an empty database. */
  demoData: boolean;
  contentDir?: string | undefined;
  /** Production: __Host- cookies, HSTS, SMTP and an auth secret required, no demo data. */
  production: boolean;
  siteUrl: string;
  authSecret?: string | undefined;
  smtpUrl?: string | undefined;
  mailFrom: string;
  adminEmail?: string | undefined;
  adminPassword?: string | undefined;
  /** VETTING_VALIDITY_MONTHS (undefined: the default, 12). */
  vettingValidityMonths?: number | undefined;
  /** SCREENING_MIN_SCORE (undefined: the default, 0.8). */
  screeningMinScore?: number | undefined;
}

export interface SearchState {
  /** Undefined while search is unreachable; pages fall back to the database. */
  clients(): SearchClients | undefined;
  embedded: EmbeddedMeilisearch | undefined;
  worker: OutboxWorker;
}

export interface AppServices {
  config: AppConfig;
  db: Kysely<Database>;
  dbKind: 'pglite' | 'postgres';
  reference: Reference;
  search: SearchState;
  auth: Auth;
  mailer: Mailer;
  /** Where attachments live: the database on PostgreSQL (every instance reaches them), the local disk on PGlite. */
  files: FileStore;
  close(): Promise<void>;
}

export type Log = (message: string) => void;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    dataDir: resolve(env.DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    meiliUrl: env.MEILI_URL || undefined,
    meiliMasterKey: env.MEILI_MASTER_KEY || undefined,
    demoData: !['0', 'false', 'no'].includes((env.DEMO_DATA ?? 'true').toLowerCase()),
    contentDir: env.CONTENT_DIR || undefined,
    production: env.APP_ENV === 'production',
    siteUrl: env.SITE_URL || `http://localhost:${env.PORT || 4321}`,
    authSecret: env.BETTER_AUTH_SECRET || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'American AI Exports <no-reply@aiexports.example.com>',
    adminEmail: env.ADMIN_EMAIL || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    vettingValidityMonths: validityMonths(env),
    screeningMinScore: minScoreFromEnv(env),
  };
}

/**
 * Starts the site's services: database (migrated, demo data loaded when empty), search
 * (embedded or external, settings applied, index built when empty) and the outbox worker.
 * Search that cannot be reached does not stop the start: it is retried in the background.
 */
/** A setting that stops the site from starting; its message says what to set. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Refuses settings that must not reach production. */
export function checkConfig(config: AppConfig): void {
  if (!config.production) return;
  const missing = [!config.authSecret && 'BETTER_AUTH_SECRET', !config.smtpUrl && 'SMTP_URL'].filter(Boolean);
  if (missing.length) throw new ConfigError(`APP_ENV=production needs ${missing.join(' and ')}.`);
  if (config.demoData) throw new ConfigError('APP_ENV=production refuses demo data: set DEMO_DATA=false.');
  if (!config.siteUrl.startsWith('https://'))
    throw new ConfigError('APP_ENV=production needs SITE_URL to be an https:// address.');
}

/** The auth secret: given, or generated once into the data directory (development). */
function authSecretFor(config: AppConfig): string {
  if (config.authSecret) return config.authSecret;
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * Demo mode: one account of each role, and (into an empty catalog) the demo packages, put
 * through the real workflow — consortium, proposal, submission, review, designation.
 */
export async function loadDemoData(
  db: Kysely<Database>,
  auth: Auth,
  reference: Reference,
  config: AppConfig,
  log: Log,
): Promise<void> {
  const created = await seedDemoAccounts(auth, db);
  if (created) log(`Created ${created} demo accounts (password “${DEMO_PASSWORD}”; see the README).`);
  if ((await countPackages(db)) > 0) return;
  const idOf = async (role: string) =>
    (
      await db
        .selectFrom('user')
        .select('id')
        .where('email', '=', DEMO_ACCOUNTS.find((a) => a.role === role)!.email)
        .executeTakeFirst()
    )?.id;
  const reviewerId = (await idOf('reviewer')) ?? (await idOf('admin'));
  if (!reviewerId) return;
  const result = await seedDemoThroughWorkflow(db, reference.policy, reviewerId, await idOf('supplier'), {
    contentDir: config.contentDir,
  });
  log(
    `Loaded the demo catalog through the designation workflow: ${result.designated + result.suspended + result.revoked} packages, now ${result.designated} designated, ${result.suspended} suspended, ${result.revoked} revoked.`,
  );
}

export async function bootstrap(config: AppConfig, log: Log = console.log): Promise<AppServices> {
  checkConfig(config);
  const reference = await loadReference(config.contentDir);
  const {
    db,
    kind,
    close: closeDb,
  } = await createDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    purpose: 'the site',
  });
  const files = kind === 'postgres' ? new DatabaseFileStore(db) : new LocalDiskStore(join(config.dataDir, 'files'));
  useFileStore(config, files);
  let embedded: EmbeddedMeilisearch | undefined;
  let mailer: Mailer;
  let auth: Auth;
  let clients: SearchClients | undefined;
  let worker: OutboxWorker | undefined;
  let retry: NodeJS.Timeout | undefined;
  try {
    await migrateToLatest(db);
    await sweepUploads(uploadTempDir(config));
    log(`Database: ${kind === 'pglite' ? `embedded PGlite in ${config.dataDir}/pglite` : 'PostgreSQL'} (migrations applied).`);
    mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, db, log });
    auth = createAuth({ db, baseURL: config.siteUrl, secret: authSecretFor(config), mailer, production: config.production, log });
    if (config.adminEmail && config.adminPassword) {
      const admin = await ensureUser(auth, db, {
        email: config.adminEmail,
        name: 'Administrator',
        password: config.adminPassword,
        role: 'admin',
      });
      if (admin.created) log(`Created the administrator ${config.adminEmail}.`);
    }
    if (config.demoData) await loadDemoData(db, auth, reference, config, log);

    if (!config.meiliUrl) {
      embedded = await startEmbeddedMeilisearch({ dataDir: config.dataDir, masterKey: config.meiliMasterKey, log });
      log(`Search: embedded Meilisearch on ${embedded.url}.`);
    }
    const url = config.meiliUrl ?? embedded!.url;
    const masterKey = config.meiliUrl ? config.meiliMasterKey : embedded!.masterKey;

    const connect = async () => {
      const connected = await connectSearch(url, masterKey);
      await applySettings(connected.admin, PACKAGES_INDEX, packageSettings);
      const stats = await connected.admin.index(PACKAGES_INDEX).getStats();
      if (stats.numberOfDocuments === 0 && (await countPackages(db)) > 0) {
        const startedAt = new Date();
        const result = await reindexPackages(db, connected.admin, reference.inLang('en'));
        await clearOutboxBefore(db, startedAt);
        log(`Search index built: ${result.documents} packages in ${result.seconds.toFixed(1)} s.`);
      }
      clients = connected;
      worker?.poke();
      if (config.demoData && !(await latestScreeningImport(db))) {
        // The made-up screening list, so that vetting can be tried; not awaited: start-up does not wait for it.
        void importScreeningList(db, connected.admin, JSON.stringify(cslDemo), {
          filename: 'csl-demo.json',
          importedBy: 'demo',
        }).then(
          (r) => log(`Loaded the demo screening list: ${r.entryCount} made-up entries.`),
          (error) => log(`Could not load the demo screening list: ${(error as Error).message}`),
        );
      }
    };
    const tryConnect = async () => {
      try {
        await connect();
      } catch (error) {
        log(`Search is unavailable (${(error as Error).message}); retrying in 5 s. Pages fall back to the database.`);
        retry = setTimeout(() => void tryConnect(), 5000);
      }
    };
    await tryConnect();
    worker = startOutboxWorker(db, () => clients?.admin, reference.inLang('en'), { log });
  } catch (error) {
    await embedded?.stop().catch(() => undefined);
    await closeDb().catch(() => undefined);
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    config,
    db,
    dbKind: kind,
    reference,
    search: { clients: () => clients, embedded, worker },
    auth,
    mailer,
    files,
    close() {
      closing ??= (async () => {
        if (retry) clearTimeout(retry);
        await worker?.stop();
        await embedded?.stop();
        await closeDb();
      })();
      return closing;
    },
  };
}
