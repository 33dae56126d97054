// npm run db:migrate: applies pending migrations and exits.
import { createDb, migrateToLatest } from '../../db/index.ts';
import { configFromEnv } from '../lib/server/bootstrap.ts';
import { runCli } from './_services.ts';

await runCli(async () => {
  const config = configFromEnv();
  const { db, close } = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, purpose: 'db:migrate' });
  try {
    const { results = [] } = await migrateToLatest(db);
    console.log(
      results.length ? results.map((r) => `${r.migrationName}: ${r.status}`).join('\n') : 'The database is up to date.',
    );
  } finally {
    await close();
  }
});
