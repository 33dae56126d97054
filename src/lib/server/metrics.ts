import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { sql, type Kysely } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../../../db/index.ts';
import type { LeasedRun } from '../../../db/queries/job-lease.ts';
import type { SearchClients } from '../../../search/client.ts';
import { logger } from './log.ts';

// The site's Prometheus metrics (`/metrics`, text format 0.0.4, by prom-client). Counters of
// this process (requests, its job runs) add up across instances in Prometheus; the shared
// state (outbox depth and age, every instance's job runs from `job_lease`, database and
// search health) is read from the database and Meilisearch at each scrape.

interface Metrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  jobRuns: Counter<'job' | 'outcome'>;
  outboxDepth: Gauge<'outbox'>;
  outboxAge: Gauge<'outbox'>;
  jobRunsAll: Gauge<'job'>;
  jobFailuresAll: Gauge<'job'>;
  jobOverdue: Gauge<'job'>;
  jobRunning: Gauge<'job'>;
  up: Gauge<'service'>;
}

const KEY = Symbol.for('aiexports.metrics');

function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'aix_' });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'aix_http_requests_total',
      help: 'Requests answered by this instance, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    duration: new Histogram({
      name: 'aix_http_request_duration_seconds',
      help: 'Time to answer a request (to the first byte of the body), by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    jobRuns: new Counter({
      name: 'aix_job_runs_total',
      help: 'Runs of a periodic job made by this instance, by outcome (ok, failed).',
      labelNames: ['job', 'outcome'],
      registers,
    }),
    outboxDepth: new Gauge({
      name: 'aix_outbox_depth',
      help: 'Rows waiting in an outbox (search: index updates; mail: saved-search alert mails not yet sent).',
      labelNames: ['outbox'],
      registers,
    }),
    outboxAge: new Gauge({
      name: 'aix_outbox_oldest_age_seconds',
      help: 'Age of the oldest row waiting in an outbox (0 when empty).',
      labelNames: ['outbox'],
      registers,
    }),
    jobRunsAll: new Gauge({
      name: 'aix_job_runs_recorded',
      help: 'Runs of a periodic job finished by any instance (job_lease).',
      labelNames: ['job'],
      registers,
    }),
    jobFailuresAll: new Gauge({
      name: 'aix_job_failures_recorded',
      help: 'Failed runs of a periodic job by any instance (job_lease).',
      labelNames: ['job'],
      registers,
    }),
    jobOverdue: new Gauge({
      name: 'aix_job_overdue_seconds',
      help: 'How long a job has been due without an instance taking it (0 when not due or running).',
      labelNames: ['job'],
      registers,
    }),
    jobRunning: new Gauge({
      name: 'aix_job_running',
      help: '1 while some instance holds the job (a run under way), else 0.',
      labelNames: ['job'],
      registers,
    }),
    up: new Gauge({
      name: 'aix_up',
      help: '1 when the service answers this instance (database, search), else 0.',
      labelNames: ['service'],
      registers,
    }),
  };
}

function metrics(): Metrics {
  const holder = globalThis as { [KEY]?: Metrics };
  return (holder[KEY] ??= create());
}

/** Counts one answered request under its route pattern (`/packages/[slug]`, never the raw path). */
export function recordRequest(method: string, route: string | undefined, status: number, seconds: number): void {
  const m = metrics();
  const labels = { method: method.slice(0, 10), route: route || 'unmatched' };
  m.requests.inc({ ...labels, status: String(status) });
  m.duration.observe(labels, seconds);
}

/** Counts one run of a periodic job made by this instance (`ScheduleOptions.onRun`). */
export function recordJobRun(job: { name: string }, run: LeasedRun<unknown>): void {
  metrics().jobRuns.inc({ job: job.name, outcome: 'error' in run ? 'failed' : 'ok' });
}

async function measure(db: Kysely<Database>, clients: SearchClients | undefined): Promise<void> {
  const m = metrics();
  try {
    const outboxes = await sql<{ outbox: string; depth: number; age: number | null }>`
      select 'search' as outbox, count(*)::int as depth, extract(epoch from now() - min("createdAt"))::float8 as age from search_outbox
      union all
      select 'mail', count(*)::int, extract(epoch from now() - min("createdAt"))::float8 from saved_search_mail where "sentAt" is null`.execute(
      db,
    );
    for (const row of outboxes.rows) {
      m.outboxDepth.set({ outbox: row.outbox }, Number(row.depth));
      m.outboxAge.set({ outbox: row.outbox }, Math.max(0, Number(row.age ?? 0)));
    }
    const jobs = await sql<{ name: string; runs: number; failures: number; overdue: number; running: boolean }>`
      select name, runs, failures,
             case when holder is null or "leaseUntil" < now() then greatest(0, extract(epoch from now() - "dueAt"))::float8 else 0 end as overdue,
             (holder is not null and "leaseUntil" >= now()) as running
        from job_lease`.execute(db);
    for (const job of jobs.rows) {
      m.jobRunsAll.set({ job: job.name }, Number(job.runs));
      m.jobFailuresAll.set({ job: job.name }, Number(job.failures));
      m.jobOverdue.set({ job: job.name }, Number(job.overdue));
      m.jobRunning.set({ job: job.name }, job.running ? 1 : 0);
    }
    m.up.set({ service: 'database' }, 1);
  } catch {
    m.up.set({ service: 'database' }, 0);
  }
  try {
    if (!clients) throw new Error('not connected');
    await clients.search.health();
    m.up.set({ service: 'search' }, 1);
  } catch {
    m.up.set({ service: 'search' }, 0);
  }
}

/** The metrics in the Prometheus text format, the shared figures read now. */
export async function renderMetrics(app: {
  db: Kysely<Database>;
  search: { clients(): SearchClients | undefined };
}): Promise<Response> {
  await measure(app.db, app.search.clients());
  const { registry } = metrics();
  return new Response(await registry.metrics(), {
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
  });
}

/**
 * The address ranges `METRICS_ALLOW` names (comma-separated CIDR blocks or single addresses,
 * IPv4 or IPv6). An entry that is neither is reported and ignored.
 */
export function allowList(setting: string): BlockList {
  const list = new BlockList();
  for (const entry of setting
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address = '', bits] = entry.split('/');
    const type = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
    const prefix = bits === undefined ? (type === 'ipv4' ? 32 : 128) : Number(bits);
    if (!type || !Number.isInteger(prefix) || prefix < 0 || prefix > (type === 'ipv4' ? 32 : 128)) {
      logger.warn({ component: 'metrics', entry }, `METRICS_ALLOW: “${entry}” is not an address or a CIDR block; ignored.`);
      continue;
    }
    list.addSubnet(address, prefix, type);
  }
  return list;
}

/** Whether the socket address `address` (an IPv4-mapped IPv6 address counts as its IPv4) is in `list`. */
export function isAllowed(list: BlockList, address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  if (isIPv4(ip)) return list.check(ip, 'ipv4');
  if (isIPv6(ip)) return list.check(ip, 'ipv6');
  return false;
}
