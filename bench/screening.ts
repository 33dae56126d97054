// npm run bench:screening: restricted-party screening at real list size — 15,000 generated
// entries (about 70,000 names) held in memory — prints the time to build the index, the
// retrieval recall of generated variants (typos, word order, legal forms, added words) and the
// screening latency percentiles. No database: the list index is what every screening uses.
import { performance } from 'node:perf_hooks';
import { ScreeningIndex } from '../src/lib/screening/list-index.ts';
import { screenWithIndex, DEFAULT_MIN_SCORE } from '../src/lib/screening/match.ts';
import { syntheticEntries } from '../src/lib/screening/synthetic.ts';

const count = Number(process.env.BENCH_SCREENING_ENTRIES ?? 15_000);
const { entries, queries } = syntheticEntries(count, 11, 25);
let t0 = performance.now();
const b0 = process.cpuUsage();
const index = new ScreeningIndex(entries);
const buildMs = performance.now() - t0;
const buildCpu = process.cpuUsage(b0);
console.log(
  `List: ${entries.length} entries, ${index.aliasCount} names; index built in ${(buildMs / 1000).toFixed(1)} s (${((buildCpu.user + buildCpu.system) / 1e6).toFixed(1)} s of CPU).`,
);

let retrieved = 0;
let found = 0;
const times: number[] = [];
const cpu: number[] = [];
for (const q of queries) {
  t0 = performance.now();
  const c0 = process.cpuUsage();
  const candidates = screenWithIndex(index, { names: [q.name] }, DEFAULT_MIN_SCORE);
  const used = process.cpuUsage(c0);
  times.push(performance.now() - t0);
  cpu.push((used.user + used.system) / 1000);
  if (index.candidateEntries({ names: [q.name] }).some((e) => index.entries[e]!.id === q.expected)) retrieved++;
  if (candidates.some((c) => c.entryId === q.expected)) found++;
}
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const at = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!.toFixed(1);
const pct = (p: number) => at(times, p);
console.log(
  `Variants screened: ${queries.length}; retrieved ${retrieved} (${((retrieved / queries.length) * 100).toFixed(1)} %), found at ${DEFAULT_MIN_SCORE}: ${found} (${((found / queries.length) * 100).toFixed(1)} %).`,
);
console.log(`Screening latency (ms): p50 ${pct(50)}  p95 ${pct(95)}  p99 ${pct(99)}  max ${times[times.length - 1]!.toFixed(1)}`);
// CPU time of the process per screening: what the latency is on a machine that is not shared.
console.log(`CPU time per screening (ms): p50 ${at(cpu, 50)}  p95 ${at(cpu, 95)}  p99 ${at(cpu, 99)}`);
