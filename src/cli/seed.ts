// npm run seed: loads the demo accounts and (into an empty catalog) the demo packages through
// the designation workflow, then brings the search index up to date.
import { bootstrap, configFromEnv, loadDemoData } from '../lib/server/bootstrap.ts';
import { countPackages } from '../../db/queries/packages.ts';
import { drainOutbox } from '../../search/sync.ts';
import { runCli } from './_services.ts';

await runCli(async () => {
  const config = { ...configFromEnv(), demoData: false };
  const app = await bootstrap(config);
  try {
    await loadDemoData(app.db, app.auth, app.reference, config, console.log);
    const clients = app.search.clients();
    if (clients) while ((await drainOutbox(app.db, clients.admin, app.reference.inLang('en'))) > 0);
    console.log(
      `The catalog has ${await countPackages(app.db)} packages${clients ? ', all indexed' : '; search was unreachable, the site will index them when it is'}.`,
    );
  } finally {
    await app.close();
  }
});
