// npm run seed: loads (or refreshes) the demo packages and brings the search index up to date.
import { bootstrap, configFromEnv } from '../lib/server/bootstrap.ts';
import { seedDemo } from '../../db/seed/index.ts';
import { drainOutbox } from '../../search/sync.ts';
import { runCli } from './_services.ts';

await runCli(async () => {
  const app = await bootstrap({ ...configFromEnv(), demoData: false });
  try {
    const count = await seedDemo(app.db);
    const clients = app.search.clients();
    if (clients) while ((await drainOutbox(app.db, clients.admin, app.reference)) > 0);
    console.log(
      `Seeded ${count} demo packages${clients ? ' and indexed them' : '; search was unreachable, the site will index them when it is'}.`,
    );
  } finally {
    await app.close();
  }
});
