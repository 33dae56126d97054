// npm run bench: search performance of the built site against Meilisearch on its own.
//
//  1. a scratch data directory with 10,000 synthetic packages (bench/synthetic.ts);
//  2. a full reindex timed from this process (embedded Meilisearch on the scratch directory),
//     twice: into an empty Meilisearch, then again over the live index (as `npm run search:reindex`);
//  3. the built site (`node src/cli/serve.ts`) started on that directory;
//  4. autocannon against GET /api/v1/packages and against Meilisearch's /multi-search with the
//     very body the API sends, cycling through a fixed list of queries;
//  5. a table of the figures against the targets.
//
// Informational extra runs: both targets again at BENCH_LOW_CONNECTIONS (default 4) for
// BENCH_LOW_DURATION s (default 10), i.e. latency when the host is not saturated; and Meilisearch
// with `Accept-Encoding: gzip, deflate` (what the site's fetch sends) for BENCH_GZIP_DURATION s.
// Also informational: the browse pages (home, sector and region indexes, one sector, one
// country), which count and list designated packages in the database rather than in search,
// at BENCH_LOW_CONNECTIONS for BENCH_BROWSE_DURATION s (default 10).
// The CPU each process used during each run is printed, so that other work on the host shows.
//
// Needs `npm run build` first. Environment: BENCH_DURATION (s, default 20), BENCH_CONNECTIONS
// (default 32), BENCH_PACKAGES (default 10000), BENCH_WARMUP (s, default 2), BENCH_KEEP=1 to keep
// the scratch directory, BENCH_SITE_NODE_OPTIONS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof")
// passed to the site as NODE_OPTIONS. Exits non-zero only when the benchmark itself could not run.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { Meilisearch, MultiSearchParams } from 'meilisearch';
import { createDb, migrateToLatest } from '../db/index.ts';
import { designatedPackagesBatches, toRow } from '../db/queries/packages.ts';
import { connectSearch } from '../search/client.ts';
import { startEmbeddedMeilisearch } from '../search/embedded.ts';
import { reindexPackages, type ReindexResult } from '../search/reindex.ts';
import { searchPackages } from '../search/query.ts';
import { toDocument } from '../search/indexes/packages.ts';
import { parseCatalogQuery } from '../src/lib/catalog/query.ts';
import { loadReference } from '../src/lib/reference/index.ts';
import { killSite, readPid, ROOT, startSite, stopSite, type Site } from './site.ts';
import { syntheticPackages } from './synthetic.ts';

process.chdir(ROOT); // the embedded Meilisearch binary and content/ are found from the working directory

const DURATION = Number(process.env.BENCH_DURATION ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PACKAGES = Number(process.env.BENCH_PACKAGES ?? 10_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
/** A second, lighter pass (informational): latency when the host is not saturated. 0 skips it. */
const LOW_CONNECTIONS = Number(process.env.BENCH_LOW_CONNECTIONS ?? 4);
const LOW_DURATION = Number(process.env.BENCH_LOW_DURATION ?? Math.min(DURATION, 10));
/**
 * Informational: Meilisearch again with the Accept-Encoding that the site's fetch (undici) sends
 * by default, so that Meilisearch gzips every answer as it does for the site. 0 skips it.
 */
const GZIP_DURATION = Number(process.env.BENCH_GZIP_DURATION ?? Math.min(DURATION, 10));
/** Informational: the browse pages (HTML from the database, no search), at LOW_CONNECTIONS. 0 skips it. */
const BROWSE_DURATION = Number(process.env.BENCH_BROWSE_DURATION ?? Math.min(DURATION, 10));
const BROWSE_PATHS = ['/', '/sectors', '/regions', '/sectors/healthcare', '/countries/KE', '/regions/asean'];
const INSERT_BATCH = 500;

const TARGETS = { reindexSeconds: 15, apiP95Ms: 50, apiShareOfDirect: 0.5 };

/** API query strings: words, typos, facet filters, sorting, paging. */
const QUERIES = [
  'q=gpu',
  'q=arabic+large+language+model',
  'q=telemedicine',
  'q=agricultre', // typo
  'q=fraud+detecton', // typo
  'q=sovereign+ai+factory',
  'q=grid+forecasting&sector=energy',
  'sector=healthcare',
  'country=KE',
  'q=cloud&region=asean',
  'q=confidential+computing&layer=security',
  'financing=exim-loan-guarantees',
  'q=data+center&sort=newest',
  'sort=newest',
  'q=llm&page=2',
  'q=port+logistics&sector=transportation&country=PA',
  'sector=education&sector=public-services&region=african-union',
  'q=portugese&country=BR', // typo
  'q=cybersecurity&layer=security&financing=dfc-equity&sort=newest',
  'q=swahili&page=2&perPage=10',
  'q=predictive+maintenance&region=eu&page=2',
  '',
];

// ---------------------------------------------------------------------------------------------

const log = (message: string) => console.log(message);
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function procStatus(pid: number | undefined): { hwmKb?: number; rssKb?: number } {
  if (!pid) return {};
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) : undefined;
    };
    return { hwmKb: kb('VmHWM'), rssKb: kb('VmRSS') };
  } catch {
    return {};
  }
}

/** Busy and total CPU time of the whole machine, in clock ticks (/proc/stat). */
function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

/** User + system CPU time of a process (all its threads), in clock ticks. */
function processCpu(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Where the CPU went during a run, as % of one core: each watched process, and everything else. */
interface CpuShare {
  [name: string]: number;
}

function cpuMeter(pids: Record<string, number | undefined>): () => CpuShare {
  const cores = availableParallelism();
  const m0 = machineCpu();
  const p0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, processCpu(pid)]));
  return () => {
    const m1 = machineCpu();
    const perCore = (m1.total - m0.total) / cores;
    const share: CpuShare = {};
    let ours = 0;
    for (const [name, pid] of Object.entries(pids)) {
      const used = processCpu(pid) - p0[name]!;
      ours += used;
      share[name] = (100 * used) / perCore;
    }
    share.other = (100 * Math.max(0, m1.busy - m0.busy - ours)) / perCore;
    share.idle = (100 * Math.max(0, m1.total - m1.busy - (m0.total - m0.busy))) / perCore;
    return share;
  };
}

const mb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

interface LoadResult {
  label: string;
  requests: number;
  rps: number;
  bytesPerResponse: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  seconds: number;
  cpu: CpuShare;
}

type Request = { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string };

async function load(
  label: string,
  url: string,
  requests: Request[],
  seconds: number,
  connections: number,
  pids: Record<string, number | undefined> = {},
  record = true,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const meter = cpuMeter(pids);
  const instance = autocannon({ url, connections, duration: seconds, requests, timeout: 10 });
  if (record) {
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
    });
  }
  const result = await instance;
  const cpu = meter();
  latencies.sort((a, b) => a - b);
  const codes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) codes[code] = (stat as { count: number }).count;
  return {
    label,
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    bytesPerResponse: result.throughput.total / Math.max(1, result.requests.total),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: codes,
    seconds: result.duration,
    cpu,
  };
}

// ---------------------------------------------------------------------------------------------

/** The multi-search body that searchPackages sends for a query, captured with a stand-in client. */
async function multiSearchBody(query: Parameters<typeof searchPackages>[1]): Promise<MultiSearchParams> {
  let captured: MultiSearchParams | undefined;
  const standIn = {
    async multiSearch(body: MultiSearchParams) {
      captured = body;
      return { results: body.queries.map(() => ({ hits: [], facetDistribution: {}, totalHits: 0, processingTimeMs: 0 })) };
    },
  } as unknown as Meilisearch;
  await searchPackages(standIn, query);
  if (!captured) throw new Error('searchPackages did not call multiSearch');
  return captured;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/server/entry.mjs'))) {
    console.error('dist/server/entry.mjs is missing: the site is not built. Run `npm run build` first.');
    process.exitCode = 1;
    return;
  }
  console.log(
    `Built site: dist/server/entry.mjs found. Node ${process.version}, ${PACKAGES} packages, ${CONNECTIONS} connections x ${DURATION} s per target.`,
  );
  console.log(
    `Host: ${availableParallelism()} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (other work on the host disturbs the figures).`,
  );

  const scratch = mkdtempSync(join(tmpdir(), 'aiexports-bench-'));
  let site: Site | undefined;
  const cleanup = () => {
    killSite(site, join(scratch, 'meilisearch.pid'));
    if (!process.env.BENCH_KEEP) rmSync(scratch, { recursive: true, force: true });
  };
  const onSignal = () => {
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    // 1. Data.
    console.log(`\nScratch data directory: ${scratch}`);
    let started = performance.now();
    const packages = syntheticPackages(PACKAGES, 1);
    const designated = packages.filter((p) => p.status === 'designated').length;
    console.log(
      `Generated ${packages.length} synthetic packages (${designated} designated) in ${fmt((performance.now() - started) / 1000, 2)} s.`,
    );

    const handle = await createDb({ dataDir: scratch, purpose: 'the benchmark' });
    let reindexes: ReindexResult[] = [];
    let benchMeiliHwm: number | undefined;
    let readSeconds = NaN;
    const reindexCpu: CpuShare[] = [];
    try {
      await migrateToLatest(handle.db);
      started = performance.now();
      for (let i = 0; i < packages.length; i += INSERT_BATCH) {
        await handle.db
          .insertInto('package')
          .values(packages.slice(i, i + INSERT_BATCH).map(toRow))
          .execute();
      }
      console.log(
        `Inserted ${packages.length} packages into PGlite in ${fmt((performance.now() - started) / 1000, 2)} s (batches of ${INSERT_BATCH}).`,
      );

      // 2. Full reindex, timed here (option (a): before the site holds the data directory).
      const meili = await startEmbeddedMeilisearch({ dataDir: scratch, log });
      try {
        const clients = await connectSearch(meili.url, meili.masterKey);
        const ref = await loadReference();
        const reindexPids = { benchmark: process.pid, meilisearch: readPid(join(scratch, 'meilisearch.pid')) };
        const cpuText = (share: CpuShare) =>
          Object.entries(share)
            .map(([k, v]) => `${k} ${fmt(v, 0)}`)
            .join(', ');
        let meter = cpuMeter(reindexPids);
        const cold = await reindexPackages(handle.db, clients.admin, ref);
        reindexCpu.push(meter());
        console.log(
          `Full reindex into an empty Meilisearch: ${cold.documents} documents in ${fmt(cold.seconds, 2)} s (CPU, % of a core: ${cpuText(reindexCpu[0]!)}).`,
        );
        meter = cpuMeter(reindexPids);
        const live = await reindexPackages(handle.db, clients.admin, ref);
        reindexCpu.push(meter());
        console.log(
          `Full reindex over the live index (as npm run search:reindex): ${live.documents} documents in ${fmt(live.seconds, 2)} s (CPU: ${cpuText(reindexCpu[1]!)}).`,
        );
        reindexes = [cold, live];
        benchMeiliHwm = procStatus(readPid(join(scratch, 'meilisearch.pid'))).hwmKb;
        // The reindex's own side, without Meilisearch: reading the rows and building the documents.
        started = performance.now();
        let jsonBytes = 0;
        for await (const rows of designatedPackagesBatches(handle.db, 2000)) {
          jsonBytes += JSON.stringify(rows.map((row) => toDocument(row, ref))).length;
        }
        readSeconds = (performance.now() - started) / 1000;
        console.log(
          `  of which reading the rows from PGlite and building the documents: ${fmt(readSeconds, 2)} s (${fmt(jsonBytes / 1024 / 1024)} MB of JSON); the rest is Meilisearch indexing.`,
        );
      } finally {
        await meili.stop();
      }
    } finally {
      await handle.close();
    }

    // 3. The built site.
    started = performance.now();
    site = await startSite(
      scratch,
      process.env.BENCH_SITE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SITE_NODE_OPTIONS } : {},
    );
    const readyMem = procStatus(site.child.pid);
    const startSeconds = (performance.now() - started) / 1000;
    const meiliUrl = /Search: embedded Meilisearch on (http:\/\/127\.0\.0\.1:\d+)/.exec(site.logs.join('\n'))?.[1];
    if (!meiliUrl) throw new Error(`no "Search: embedded Meilisearch on ..." line in the site's log:\n${site.logs.join('\n')}`);
    const initialBuild = /Search index built: (\d+) packages in ([\d.]+) s/.exec(site.logs.join('\n'));
    const masterKey = readFileSync(join(scratch, 'meilisearch.key'), 'utf8').trim();
    const meiliPid = readPid(join(scratch, 'meilisearch.pid'));
    console.log(
      `Site ready on ${site.url} in ${fmt(startSeconds, 1)} s (pid ${site.child.pid}); its Meilisearch on ${meiliUrl} (pid ${meiliPid ?? 'unknown'}).`,
    );
    console.log(
      initialBuild
        ? `Site log: initial index build of ${initialBuild[1]} packages in ${initialBuild[2]} s.`
        : 'Site log: no initial index build (the index was already built by the benchmark, as intended).',
    );

    // 4. The queries, both ways; check they agree before loading.
    const ref = await loadReference();
    const apiRequests: Request[] = [];
    const meiliRequests: Request[] = [];
    console.log('\nQueries (total hits: API / Meilisearch direct; number of queries in the multi-search):');
    for (const qs of QUERIES) {
      const parsed = parseCatalogQuery(new URLSearchParams(qs), ref);
      if (!parsed.ok) throw new Error(`query "${qs}" is invalid: ${JSON.stringify(parsed.problems)}`);
      const body = JSON.stringify(await multiSearchBody(parsed.query));
      const path = `/api/v1/packages${qs ? `?${qs}` : ''}`;
      apiRequests.push({ method: 'GET', path });
      meiliRequests.push({
        method: 'POST',
        path: '/multi-search',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${masterKey}` },
        body,
      });
      const apiResponse = await fetch(`${site.url}${path}`);
      const apiJson = (await apiResponse.json()) as { total?: number };
      const meiliResponse = await fetch(`${meiliUrl}/multi-search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${masterKey}` },
        body,
      });
      const meiliJson = (await meiliResponse.json()) as { results?: { totalHits?: number; processingTimeMs?: number }[] };
      const apiTotal = apiJson.total;
      const meiliTotal = meiliJson.results?.[0]?.totalHits;
      const flag = !apiResponse.ok || !meiliResponse.ok || apiTotal !== meiliTotal ? '   <-- MISMATCH/ERROR' : '';
      console.log(
        `  ${(qs || '(empty)').padEnd(66)} ${String(apiResponse.status)} ${String(apiTotal).padStart(5)} / ${String(meiliResponse.status)} ${String(meiliTotal).padStart(5)}  x${JSON.parse(body).queries.length}  ${meiliJson.results?.[0]?.processingTimeMs ?? '?'} ms${flag}`,
      );
    }

    // 5. Load.
    const pids = { site: site.child.pid, meilisearch: meiliPid, 'load generator': process.pid };
    const results: LoadResult[] = [];
    const lowResults: LoadResult[] = [];
    for (const [label, url, requests] of [
      ['API  GET /api/v1/packages', site.url, apiRequests],
      ['Meilisearch POST /multi-search', meiliUrl, meiliRequests],
    ] as const) {
      if (WARMUP > 0) await load(label, url, requests, WARMUP, Math.min(8, CONNECTIONS), {}, false);
      console.log(`\nLoading ${label}: ${CONNECTIONS} connections, ${DURATION} s ...`);
      const result = await load(label, url, requests, DURATION, CONNECTIONS, pids);
      console.log(`  ${result.requests} requests, status codes ${JSON.stringify(result.statusCodes)}`);
      results.push(result);
      if (LOW_CONNECTIONS > 0 && LOW_DURATION > 0) {
        console.log(`Loading ${label}: ${LOW_CONNECTIONS} connections, ${LOW_DURATION} s (informational) ...`);
        const low = await load(`${label} @${LOW_CONNECTIONS}`, url, requests, LOW_DURATION, LOW_CONNECTIONS, pids);
        console.log(`  ${low.requests} requests, status codes ${JSON.stringify(low.statusCodes)}`);
        lowResults.push(low);
      }
    }
    if (GZIP_DURATION > 0) {
      const connections = LOW_CONNECTIONS > 0 ? LOW_CONNECTIONS : CONNECTIONS;
      const label = `Meilisearch, Accept-Encoding gzip @${connections}`;
      const gzipRequests = meiliRequests.map((r) => ({ ...r, headers: { ...r.headers, 'accept-encoding': 'gzip, deflate' } }));
      console.log(`\nLoading ${label}: ${connections} connections, ${GZIP_DURATION} s (informational) ...`);
      const gz = await load(label, meiliUrl, gzipRequests, GZIP_DURATION, connections, pids);
      console.log(`  ${gz.requests} requests, status codes ${JSON.stringify(gz.statusCodes)}`);
      lowResults.push(gz);
    }

    if (BROWSE_DURATION > 0) {
      const connections = LOW_CONNECTIONS > 0 ? LOW_CONNECTIONS : CONNECTIONS;
      const label = `Browse pages (HTML, database) @${connections}`;
      for (const path of BROWSE_PATHS) {
        const response = await fetch(`${site.url}${path}`);
        if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
      }
      console.log(
        `\nLoading ${label}: ${BROWSE_PATHS.join(' ')}; ${connections} connections, ${BROWSE_DURATION} s (informational) ...`,
      );
      const browse = await load(
        label,
        site.url,
        BROWSE_PATHS.map((path) => ({ method: 'GET', path })),
        BROWSE_DURATION,
        connections,
        pids,
      );
      console.log(`  ${browse.requests} requests, status codes ${JSON.stringify(browse.statusCodes)}`);
      lowResults.push(browse);
      console.log('  one at a time, median of 15 requests per page:');
      for (const path of BROWSE_PATHS) {
        const times: number[] = [];
        for (let i = 0; i < 15; i++) {
          const started = performance.now();
          await (await fetch(`${site.url}${path}`)).arrayBuffer();
          times.push(performance.now() - started);
        }
        console.log(
          `    ${path.padEnd(22)}${fmt(
            percentile(
              times.sort((a, b) => a - b),
              50,
            ),
          ).padStart(8)} ms`,
        );
      }
    }

    const siteMem = procStatus(site.child.pid);
    const meiliMem = procStatus(meiliPid);
    const errorLines = site.logs.filter((l) => /error|fail|unavailable|exception/i.test(l));

    // 6. Report.
    const [api, direct] = results as [LoadResult, LoadResult];
    const ratio = api.rps / direct.rps;
    const reindexWorst = Math.max(...reindexes.map((r) => r.seconds));
    const line = '-'.repeat(121);
    console.log(`\n${line}`);
    console.log(
      `Search benchmark: ${designated} designated packages indexed; ${QUERIES.length} queries cycled; ${CONNECTIONS} connections x ${DURATION} s; load generator on the same ${availableParallelism()}-core host.`,
    );
    console.log(line);
    console.log(
      `${'target'.padEnd(40)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}${'req/s'.padStart(10)}${'requests'.padStart(10)}${'errors'.padStart(8)}${'timeouts'.padStart(9)}${'non-2xx'.padStart(9)}${'KB/resp'.padStart(9)}`,
    );
    for (const r of [...results, ...lowResults]) {
      console.log(
        `${r.label.padEnd(40)}${fmt(r.p50).padStart(9)}${fmt(r.p95).padStart(9)}${fmt(r.p99).padStart(9)}${fmt(r.max).padStart(9)}${fmt(r.rps, 0).padStart(10)}${String(r.requests).padStart(10)}${String(r.errors).padStart(8)}${String(r.timeouts).padStart(9)}${String(r.non2xx).padStart(9)}${fmt(r.bytesPerResponse / 1024).padStart(9)}`,
      );
    }
    console.log(line);
    console.log(`CPU during each run, % of one core (${availableParallelism()} cores = ${availableParallelism() * 100} %):`);
    for (const r of [...results, ...lowResults]) {
      console.log(
        `  ${r.label.padEnd(42)}${Object.entries(r.cpu)
          .map(([k, v]) => `${k} ${fmt(v, 0)}`)
          .join(', ')}`,
      );
    }
    const busyOther = Math.max(
      ...[...results, ...lowResults].map((r) => r.cpu.other ?? 0),
      ...reindexCpu.map((c) => c.other ?? 0),
    );
    if (busyOther > 10)
      console.log(
        `  WARNING: other processes on this host used up to ${fmt(busyOther, 0)} % of a core during the runs; the figures are disturbed.`,
      );
    console.log(`API throughput / direct Meilisearch throughput (${CONNECTIONS} connections): ${fmt(ratio * 100, 1)} %`);
    console.log(
      `Full reindex (${reindexes[0]?.documents} documents): into empty Meilisearch ${fmt(reindexes[0]?.seconds ?? NaN, 2)} s; over the live index ${fmt(reindexes[1]?.seconds ?? NaN, 2)} s; reading rows + building documents ${fmt(readSeconds, 2)} s`,
    );
    console.log(
      `Initial index build by the site: ${initialBuild ? `${initialBuild[2]} s (${initialBuild[1]} packages)` : 'not run (index prebuilt by the benchmark)'}; site start to ready: ${fmt(startSeconds, 1)} s`,
    );
    console.log(
      `Peak RSS (VmHWM): site node process ${mb(siteMem.hwmKb)} (at ready ${mb(readyMem.hwmKb)}, now ${mb(siteMem.rssKb)}); its Meilisearch ${mb(meiliMem.hwmKb)} (now ${mb(meiliMem.rssKb)}); benchmark's Meilisearch during reindex ${mb(benchMeiliHwm)}`,
    );
    console.log(line);
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    console.log(`Targets (${CONNECTIONS} connections):`);
    const targetLines: [string, boolean, string][] = [
      [
        `full reindex < ${TARGETS.reindexSeconds} s`,
        reindexWorst < TARGETS.reindexSeconds,
        `slower of the two: ${fmt(reindexWorst, 2)} s`,
      ],
      [`API p95 < ${TARGETS.apiP95Ms} ms`, api.p95 < TARGETS.apiP95Ms, `${fmt(api.p95)} ms`],
      [
        `API >= ${TARGETS.apiShareOfDirect * 100} % of direct Meilisearch req/s`,
        ratio >= TARGETS.apiShareOfDirect,
        `${fmt(ratio * 100, 1)} %`,
      ],
    ];
    for (const [label, ok, detail] of targetLines) console.log(`  ${label.padEnd(46)}${verdict(ok)}  (${detail})`);
    const failed = api.errors + api.timeouts + api.non2xx + direct.errors + direct.timeouts + direct.non2xx;
    if (failed > 0) console.log(`  NOTE: ${failed} failed requests (errors/timeouts/non-2xx) — see the status codes above.`);
    console.log(line);
    if (errorLines.length) {
      console.log(`Site log lines mentioning errors (${errorLines.length}, first 10):`);
      for (const l of errorLines.slice(0, 10)) console.log(`  ${l}`);
    }

    // 7. Stop.
    await stopSite(site);
    if (meiliPid && procStatus(meiliPid).rssKb !== undefined)
      console.log(`Warning: the site's Meilisearch (pid ${meiliPid}) was still running after the site stopped.`);
  } finally {
    cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    console.log(process.env.BENCH_KEEP ? `Kept ${scratch}.` : `Removed ${scratch}.`);
  }
}

main().catch((error) => {
  console.error('The benchmark failed to run:', error);
  process.exitCode = 1;
});
