// npm run screening:import -- FILE [--confirm]: loads the Consolidated Screening List (its JSON or
// CSV export) into the database, replacing the previous list, and re-screens verified buyers. An
// import that would drop a whole source list or more than a tenth of the entries is refused,
// printing what would vanish, unless --confirm is given.
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { bootstrap, configFromEnv } from '../lib/server/bootstrap.ts';
import { parseCsl } from '../lib/screening/csl.ts';
import { importScreeningList } from '../lib/screening/import.ts';
import { rescreenVerified } from '../lib/vetting/jobs.ts';
import { runCli } from './_services.ts';

await runCli(async () => {
  const args = process.argv.slice(2);
  const confirm = args.includes('--confirm');
  const file = args.find((a) => !a.startsWith('-'));
  if (!file) {
    console.error(
      'Usage: npm run screening:import -- FILE [--confirm]   (the CSL JSON or CSV export, e.g. db/seed/csl-demo.json)',
    );
    process.exitCode = 2;
    return;
  }
  const path = resolve(file);
  const content = await readFile(path);
  // A bad file is refused before anything starts (the error names the line or entry).
  parseCsl(content, { filename: basename(path) });
  const app = await bootstrap({ ...configFromEnv(), demoData: false });
  try {
    const result = await importScreeningList(app.db, undefined, content, {
      filename: basename(path),
      importedBy: 'cli',
      confirm,
    });
    console.log(`Imported ${result.entryCount} entries from ${basename(path)} (${result.format}), import ${result.importId}:`);
    const width = Math.max(...Object.keys(result.sources).map((s) => s.length));
    for (const [source, { count, newest }] of Object.entries(result.sources)) {
      console.log(`  ${source.padEnd(width)}  ${String(count).padStart(6)}  newest ${newest ?? '—'}`);
    }
    if (result.removal.removedCount > 0) {
      console.log(
        `Removed ${result.removal.removedCount} entries of the previous list${result.removal.removedSources.length ? ` and the source list(s) ${result.removal.removedSources.map((s) => s.source).join(', ')}` : ''}${result.removal.needsConfirmation ? ' (confirmed)' : ''}.`,
      );
    }
    const rescreen = await rescreenVerified(app);
    console.log(
      `Re-screened ${rescreen.screened} buyers; ${rescreen.flagged.length} with new matches flagged to their officers.`,
    );
  } finally {
    await app.close();
  }
});
