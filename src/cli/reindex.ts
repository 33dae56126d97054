// npm run search:reindex: rebuilds the catalog index from the database, swapping it in with no downtime.
import { bootstrap, configFromEnv } from '../lib/server/bootstrap.ts';
import { reindexPackages } from '../../search/reindex.ts';
import { clearOutboxBefore } from '../../search/sync.ts';
import { runCli } from './_services.ts';

await runCli(async () => {
  const app = await bootstrap({ ...configFromEnv(), demoData: false });
  try {
    const clients = app.search.clients();
    if (!clients) throw new Error('Search is unreachable: check MEILI_URL and MEILI_MASTER_KEY.');
    const startedAt = new Date();
    const result = await reindexPackages(app.db, clients.admin, app.reference.inLang('en'));
    await clearOutboxBefore(app.db, startedAt);
    console.log(`Reindexed ${result.documents} packages in ${result.seconds.toFixed(2)} s.`);
  } finally {
    await app.close();
  }
});
