// npm run screening:import -- FILE: loads the Consolidated Screening List (its JSON or CSV export)
// into the database, replacing the previous list, and rebuilds the screening search index.
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { bootstrap, configFromEnv } from '../lib/server/bootstrap.ts';
import { parseCsl } from '../lib/screening/csl.ts';
import { importScreeningList } from '../lib/screening/import.ts';
import { rescreenVerified } from '../lib/vetting/jobs.ts';
import { runCli } from './_services.ts';

await runCli(async () => {
  const file = process.argv.slice(2).find((a) => !a.startsWith('-'));
  if (!file) {
    console.error('Usage: npm run screening:import -- FILE   (the CSL JSON or CSV export, e.g. db/seed/csl-demo.json)');
    process.exitCode = 2;
    return;
  }
  const path = resolve(file);
  const content = await readFile(path);
  // A bad file is refused before anything starts (the error names the line or entry).
  parseCsl(content, { filename: basename(path) });
  const app = await bootstrap({ ...configFromEnv(), demoData: false });
  try {
    const clients = app.search.clients();
    if (!clients) throw new Error('Search is unreachable: check MEILI_URL and MEILI_MASTER_KEY.');
    const result = await importScreeningList(app.db, clients.admin, content, { filename: basename(path), importedBy: 'cli' });
    console.log(`Imported ${result.entryCount} entries from ${basename(path)} (${result.format}), import ${result.importId}:`);
    const width = Math.max(...Object.keys(result.sources).map((s) => s.length));
    for (const [source, { count, newest }] of Object.entries(result.sources)) {
      console.log(`  ${source.padEnd(width)}  ${String(count).padStart(6)}  newest ${newest ?? '—'}`);
    }
    console.log(`Screening index rebuilt: ${result.indexed} documents.`);
    const rescreen = await rescreenVerified(app);
    console.log(
      `Re-screened ${rescreen.screened} buyers; ${rescreen.flagged.length} with new matches flagged to their officers.`,
    );
  } finally {
    await app.close();
  }
});
