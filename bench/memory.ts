// npm run bench:memory: resident memory of the idle site and its embedded Meilisearch, on the
// demo catalog and at BENCH_PACKAGES (default 10,000) synthetic packages, each started twice on
// its data directory — the first start loads the data (demo workflow, or the first index
// build), the second only reuses it — and a first start on a fresh copy with the settings given
// in BENCH_MEMORY_TUNED (default `MEILI_MAX_INDEXING_MEMORY=256 MiB`; `;`-separated NAME=value).
// BENCH_MEMORY_CASES=demo or =packages runs one catalog only. For each: RSS (anonymous and
// file-backed) of both processes, and the site's V8 heap and external memory (its /metrics),
// which is where the embedded database's WebAssembly heap is counted.
//
// Needs `npm run build` first. Run it once: it starts the site six times (the machine is shared).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDb, migrateToLatest } from '../db/index.ts';
import { toRow } from '../db/queries/packages.ts';
import { readPid, ROOT, startSite, stopSite, type Site } from './site.ts';
import { syntheticPackages } from './synthetic.ts';

process.chdir(ROOT);
const PACKAGES = Number(process.env.BENCH_PACKAGES ?? 10_000);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5_000);
const TUNED = Object.fromEntries(
  (process.env.BENCH_MEMORY_TUNED ?? 'MEILI_MAX_INDEXING_MEMORY=256 MiB')
    .split(';')
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);

const MB = 1024 * 1024;
const mb = (bytes: number | undefined) => (bytes === undefined || Number.isNaN(bytes) ? '—' : `${Math.round(bytes / MB)}`);

/** VmRSS, RssAnon, RssFile and VmHWM of a process, in bytes. */
function status(pid: number | undefined): Record<'rss' | 'anon' | 'file' | 'peak', number> | undefined {
  if (!pid) return undefined;
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile'), peak: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

async function siteMetrics(site: Site): Promise<Record<string, number>> {
  const text = await (await fetch(`${site.url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+]+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    heapUsed: value('aix_nodejs_heap_size_used_bytes'),
    heapTotal: value('aix_nodejs_heap_size_total_bytes'),
    external: value('aix_nodejs_external_memory_bytes'),
  };
}

interface Row {
  catalog: string;
  start: string;
  settings: string;
  seconds: number;
  site: ReturnType<typeof status>;
  meili: ReturnType<typeof status>;
  heap: Record<string, number>;
}

async function measure(catalog: string, start: string, dir: string, env: Record<string, string>, settings: string): Promise<Row> {
  const began = performance.now();
  const site = await startSite(dir, env, 600_000);
  try {
    const seconds = (performance.now() - began) / 1000;
    // Idle: the start-up's background work (the demo screening list) done, then a settling pause.
    if (env.DEMO_DATA === 'true') {
      for (let i = 0; i < 600 && !site.logs.some((l) => /demo screening list/.test(l)); i++) await sleep(100);
    }
    await sleep(SETTLE_MS);
    const row = {
      catalog,
      start,
      settings,
      seconds,
      site: status(site.child.pid),
      meili: status(readPid(join(dir, 'meilisearch.pid'))),
      heap: await siteMetrics(site),
    };
    console.log(
      `${catalog}, ${start} start, ${settings}: site ${mb(row.site?.rss)} MB (anon ${mb(row.site?.anon)}, peak ${mb(row.site?.peak)}), ` +
        `Meilisearch ${mb(row.meili?.rss)} MB (anon ${mb(row.meili?.anon)}, file ${mb(row.meili?.file)}, peak ${mb(row.meili?.peak)})`,
    );
    return row;
  } finally {
    await stopSite(site);
  }
}

const rows: Row[] = [];
const dirs: string[] = [];
const CASES = (process.env.BENCH_MEMORY_CASES ?? 'demo,packages').split(',');
const tunedLabel = Object.entries(TUNED)
  .map(([k, v]) => `${k}=${v}`)
  .join(' ');

/** One measurement; a start that fails is reported and the others go on. */
async function attempt(...args: Parameters<typeof measure>): Promise<void> {
  try {
    rows.push(await measure(...args));
  } catch (error) {
    console.error(`${args[0]}, ${args[1]} start, ${args[4]}: failed: ${(error as Error).message.slice(0, 2000)}`);
  }
}

/** A scratch directory with PACKAGES synthetic packages straight in the database (the site indexes them at its first start). */
async function packagesDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'aix-bench-memory-big-'));
  dirs.push(dir);
  const handle = await createDb({ dataDir: dir, purpose: 'the memory benchmark' });
  try {
    await migrateToLatest(handle.db);
    const packages = syntheticPackages(PACKAGES, 1);
    for (let i = 0; i < packages.length; i += 500) {
      await handle.db
        .insertInto('package')
        .values(packages.slice(i, i + 500).map(toRow))
        .execute();
    }
  } finally {
    await handle.close();
  }
  return dir;
}

function demoDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aix-bench-memory-demo-'));
  dirs.push(dir);
  return dir;
}

try {
  // Each catalog: a first and a second start with the defaults, then a first start with the tuned settings on a fresh copy.
  if (CASES.includes('demo')) {
    const env = { DEMO_DATA: 'true' };
    const dir = demoDir();
    await attempt('demo', 'first', dir, env, 'defaults');
    await attempt('demo', 'second', dir, env, 'defaults');
    await attempt('demo', 'first', demoDir(), { ...env, ...TUNED }, tunedLabel);
  }
  if (CASES.includes('packages')) {
    const env = { DEMO_DATA: 'false' };
    const label = `${PACKAGES.toLocaleString('en')} packages`;
    const dir = await packagesDir();
    await attempt(label, 'first', dir, env, 'defaults');
    await attempt(label, 'second', dir, env, 'defaults');
    await attempt(label, 'first', await packagesDir(), { ...env, ...TUNED }, tunedLabel);
  }
} finally {
  if (!process.env.BENCH_KEEP) for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

console.log("\nResident memory when idle (MB; anon = the process's own memory, file = mapped files the kernel may drop):\n");
console.log(
  '| catalog | start | settings | site RSS (anon) | V8 heap used / total | external (PGlite heap…) | Meilisearch RSS (anon / file) | pair RSS | pair anon |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.catalog} | ${r.start} | ${r.settings} | ${mb(r.site?.rss)} (${mb(r.site?.anon)}) | ${mb(r.heap.heapUsed)} / ${mb(r.heap.heapTotal)} | ${mb(r.heap.external)} | ` +
      `${mb(r.meili?.rss)} (${mb(r.meili?.anon)} / ${mb(r.meili?.file)}) | ${mb((r.site?.rss ?? NaN) + (r.meili?.rss ?? NaN))} | ${mb((r.site?.anon ?? NaN) + (r.meili?.anon ?? NaN))} |`,
  );
}
