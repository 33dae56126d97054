// Open-data benchmark: `npm run build && node bench/opendata.ts` seeds 10,000 synthetic
// packages (bench/synthetic.ts) and 2,000 introductions at every stage into a scratch
// database, starts the built site on it, and prints the time to render /statistics and to
// produce the whole-catalog download (JSON and CSV): the first request after start (which
// reads the catalog) and the median of the next ones (kept until the catalog version moves).
// Env: BENCH_PACKAGES (10000), BENCH_INTRODUCTIONS (2000), BENCH_REPEAT (15), BENCH_KEEP.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrateToLatest } from '../db/index.ts';
import { toRow } from '../db/queries/packages.ts';
import { killSite, ROOT, startSite, stopSite, type Site } from './site.ts';
import { syntheticPackages } from './synthetic.ts';

const PACKAGES = Number(process.env.BENCH_PACKAGES ?? 10_000);
const INTRODUCTIONS = Number(process.env.BENCH_INTRODUCTIONS ?? 2_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 15);
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The path of stages an introduction went through, cut at a random depth. */
const PATH = [
  ['take', 'requested', 'taken'],
  ['broker', 'taken', 'brokered'],
  ['accept', 'brokered', 'accepted'],
  ['hold-meeting', 'accepted', 'meeting-held'],
  ['close', 'meeting-held', 'closed'],
] as const;

async function timed(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url, { redirect: 'follow' });
  const body = await response.arrayBuffer();
  return { ms: performance.now() - started, bytes: body.byteLength, status: response.status };
}

async function main() {
  if (!existsSync(join(ROOT, 'dist/server/entry.mjs'))) {
    console.error('No build: run `npm run build` first.');
    process.exit(1);
  }
  console.log(
    `Node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${PACKAGES} packages, ${INTRODUCTIONS} introductions.`,
  );
  const scratch = mkdtempSync(join(tmpdir(), 'aiexports-bench-opendata-'));
  let site: Site | undefined;
  try {
    const handle = await createDb({ dataDir: scratch, purpose: 'the benchmark' });
    try {
      await migrateToLatest(handle.db);
      const packages = syntheticPackages(PACKAGES, 1);
      for (let i = 0; i < packages.length; i += 500) {
        await handle.db
          .insertInto('package')
          .values(packages.slice(i, i + 500).map(toRow))
          .execute();
      }
      const ids = (await handle.db.selectFrom('package').select('id').where('status', '=', 'designated').execute()).map(
        (r) => r.id,
      );
      const userId = randomUUID();
      await handle.db
        .insertInto('user')
        .values({
          id: userId,
          name: 'Bench Buyer',
          email: 'bench@example.com',
          emailVerified: true,
          image: null,
          role: 'buyer',
          banned: false,
          banReason: null,
          banExpires: null,
          twoFactorEnabled: false,
        })
        .execute();
      const orgId = randomUUID();
      await handle.db
        .insertInto('organization')
        .values({ id: orgId, name: 'Bench Buyer', slug: `bench-${orgId}`, logo: null, createdAt: new Date(), metadata: null })
        .execute();
      await handle.db
        .insertInto('organization_profile')
        .values({
          organizationId: orgId,
          kind: 'buyer',
          legalName: 'Bench Buyer',
          country: 'KE',
          organizationType: 'company',
          registrationNumber: null,
          website: null,
          address: null,
          sectors: [],
        })
        .execute();
      const day = 86_400_000;
      for (let i = 0; i < INTRODUCTIONS; i++) {
        const created = new Date(Date.UTC(2026, 0, 5) + (i % 120) * day);
        const depth = i % (PATH.length + 1);
        const state = depth === 0 ? 'requested' : PATH[depth - 1]![2];
        const intro = await handle.db
          .insertInto('introduction')
          .values({
            buyerOrganizationId: orgId,
            packageId: ids[i % ids.length]!,
            requestedBy: userId,
            state,
            needs: 'Benchmark',
            timeline: 'Soon',
            budgetBand: '10m-50m',
            deploymentModel: 'hybrid',
            financingInterest: false,
            participants: 'Bench',
            officerId: null,
            brief: null,
            meetingProposal: null,
            outcome: state === 'closed' ? ['deal-signed', 'in-negotiation', 'no-fit'][i % 3]! : null,
            outcomeNote: null,
            createdAt: created,
            updatedAt: created,
            waitingSince: created,
            remindedAt: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const events = PATH.slice(0, depth).map(([move, fromState, toState], k) => ({
          introductionId: intro.id,
          move,
          fromState,
          toState,
          actorId: null,
          note: null,
          at: new Date(created.getTime() + (k + 1) * ((i % 4) + 1) * day),
        }));
        if (events.length) await handle.db.insertInto('introduction_event').values(events).execute();
      }
    } finally {
      await handle.close();
    }

    let started = performance.now();
    // Start-up builds the 10,000-package search index: slow on a busy machine.
    site = await startSite(scratch, {}, 900_000);
    console.log(`Site ready in ${fmt((performance.now() - started) / 1000)} s (builds the 10,000-package search index).`);

    const rows: [string, string, string, string][] = [];
    for (const [label, path] of [
      ['GET /statistics (page)', '/statistics'],
      ['GET /api/v1/statistics (JSON)', '/api/v1/statistics'],
      ['whole catalog, JSON (/downloads/catalog.json → its version)', '/downloads/catalog.json'],
      ['whole catalog, CSV (/downloads/catalog.csv → its version)', '/downloads/catalog.csv'],
      ['search download, CSV (/packages.csv?sector=healthcare)', '/packages.csv?sector=healthcare'],
      ['Atom feed (/packages.atom)', '/packages.atom'],
      ['sitemap.xml', '/sitemap.xml'],
    ] as const) {
      const first = await timed(`${site.url}${path}`);
      if (first.status !== 200) throw new Error(`${path}: ${first.status}`);
      const next: number[] = [];
      for (let i = 0; i < REPEAT; i++) next.push((await timed(`${site.url}${path}`)).ms);
      rows.push([label, `${fmt(first.ms)} ms`, `${fmt(median(next))} ms`, `${fmt(first.bytes / 1024 / 1024, 2)} MB`]);
    }
    console.log('\n| request | first after start | median of the next ' + REPEAT + ' | size |');
    console.log('| --- | --- | --- | --- |');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  } finally {
    if (site) await stopSite(site).catch(() => killSite(site, join(scratch, 'meilisearch.pid')));
    else killSite(undefined, join(scratch, 'meilisearch.pid'));
    if (!process.env.BENCH_KEEP) rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
