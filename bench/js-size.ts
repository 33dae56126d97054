// npx node bench/js-size.ts: JavaScript each page type ships, raw and gzip, against the budgets.
//
// Starts the built site on a scratch data directory with the demo data, GETs one page of each
// type, collects every <script src>, <link rel="modulepreload"> and inline <script> it has,
// fetches the scripts and the modules they import statically (what the browser loads before
// the page is interactive; dynamic import() chunks are listed apart), and sums the bytes.
// Needs `npm run build` first. Exits non-zero only when the measurement could not run.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { demoCatalog } from '../db/seed/index.ts';
import { killSite, ROOT, startSite, stopSite, type Site } from './site.ts';

process.chdir(ROOT);

const KB = 1024;
interface PageType {
  name: string;
  path: string;
  /** Budget for the page's JavaScript, gzip bytes; undefined when there is none. */
  budget?: number;
}

function pageTypes(): PageType[] {
  const pkg = demoCatalog().find((p) => p.status === 'designated')!;
  return [
    { name: 'home', path: '/', budget: 15 * KB },
    { name: 'search', path: '/packages?q=gpu', budget: 40 * KB },
    { name: 'package', path: `/packages/${pkg.slug}`, budget: 15 * KB },
    { name: 'sector', path: `/sectors/${pkg.sectors[0]}` },
    { name: 'program', path: '/about' },
  ];
}

interface Asset {
  url: string;
  raw: number;
  gzip: number;
  /** Reached only through import(): loaded on demand, not counted in the page's total. */
  lazy: boolean;
}

const attr = (tag: string, name: string) =>
  new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')
    .exec(tag)
    ?.slice(1)
    .find((v) => v !== undefined);

/** External script URLs, modulepreloads and inline script bodies of a page. */
function scriptsOf(html: string): { external: string[]; inline: string[] } {
  const external: string[] = [];
  const inline: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const tag = `<script ${m[1]}>`;
    const type = (attr(tag, 'type') ?? '').toLowerCase();
    if (type && !['module', 'text/javascript', 'application/javascript'].includes(type)) continue; // JSON-LD, import maps...
    const src = attr(tag, 'src');
    if (src) external.push(src);
    else if (m[2]!.trim()) inline.push(m[2]!);
  }
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = (attr(m[0], 'rel') ?? '').toLowerCase();
    const href = attr(m[0], 'href');
    if (href && rel.split(/\s+/).includes('modulepreload')) external.push(href);
  }
  return { external, inline };
}

/** Static (`import x from "./a.js"`, `import "./a.js"`, `export * from`) and dynamic imports. */
function importsOf(code: string): { statics: string[]; dynamics: string[] } {
  const statics = [...code.matchAll(/(?:\bfrom|\bimport)\s*["']([^"']+)["']/g)].map((m) => m[1]!);
  const dynamics = [...code.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
  return { statics, dynamics };
}

async function measure(site: Site, page: PageType) {
  const pageUrl = new URL(page.path, site.url);
  const response = await fetch(pageUrl);
  const html = await response.text();
  if (!response.ok) throw new Error(`GET ${page.path}: ${response.status}`);
  const { external, inline } = scriptsOf(html);
  const assets = new Map<string, Asset>();
  const queue: { url: string; lazy: boolean }[] = external.map((src) => ({ url: new URL(src, pageUrl).href, lazy: false }));
  while (queue.length) {
    const { url, lazy } = queue.shift()!;
    const known = assets.get(url);
    if (known && (known.lazy === lazy || !known.lazy)) continue;
    if (known) known.lazy = false; // first met as lazy, now reached statically: re-walk its imports as static
    const res = await fetch(url);
    if (!res.ok) throw new Error(`GET ${url} (from ${page.path}): ${res.status}`);
    const body = Buffer.from(await res.arrayBuffer());
    assets.set(url, { url, raw: body.length, gzip: gzipSync(body).length, lazy });
    if (new URL(url).origin !== site.url) continue;
    const { statics, dynamics } = importsOf(body.toString('utf8'));
    for (const s of statics) queue.push({ url: new URL(s, url).href, lazy });
    for (const d of dynamics) if (!d.includes('${')) queue.push({ url: new URL(d, url).href, lazy: true });
  }
  const inlineRaw = inline.reduce((n, s) => n + Buffer.byteLength(s), 0);
  // Inline scripts travel inside the HTML, compressed with it: count them gzip'd together.
  const inlineGzip = inline.length ? gzipSync(Buffer.from(inline.join('\n'))).length : 0;
  const eager = [...assets.values()].filter((a) => !a.lazy);
  const lazyAssets = [...assets.values()].filter((a) => a.lazy);
  return {
    page,
    status: response.status,
    eager,
    lazy: lazyAssets,
    inlineCount: inline.length,
    inlineRaw,
    inlineGzip,
    raw: eager.reduce((n, a) => n + a.raw, 0) + inlineRaw,
    gzip: eager.reduce((n, a) => n + a.gzip, 0) + inlineGzip,
  };
}

const kb = (n: number) => `${(n / KB).toFixed(1)} KB`;

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/server/entry.mjs'))) {
    console.error('dist/server/entry.mjs is missing: the site is not built. Run `npm run build` first.');
    process.exitCode = 1;
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'aiexports-jssize-'));
  let site: Site | undefined;
  const cleanup = () => {
    killSite(site, join(scratch, 'meilisearch.pid'));
    rmSync(scratch, { recursive: true, force: true });
  };
  const onSignal = () => {
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    site = await startSite(scratch, { DEMO_DATA: 'true' });
    console.log(`Built site on ${site.url} with the demo data (scratch ${scratch}).`);
    const results = [];
    for (const page of pageTypes()) results.push(await measure(site, page));

    const line = '-'.repeat(100);
    console.log(
      `\nJavaScript per page type (each file gzip'd on its own with zlib's default level; inline scripts gzip'd together):`,
    );
    console.log(line);
    console.log(
      `${'page'.padEnd(10)}${'path'.padEnd(58)}${'raw'.padStart(10)}${'gzip'.padStart(10)}${'budget'.padStart(10)}  verdict`,
    );
    console.log(line);
    for (const r of results) {
      const verdict = r.page.budget === undefined ? '-' : r.gzip < r.page.budget ? 'PASS' : 'MISS';
      console.log(
        `${r.page.name.padEnd(10)}${r.page.path.slice(0, 56).padEnd(58)}${kb(r.raw).padStart(10)}${kb(r.gzip).padStart(10)}${(r.page.budget ? `< ${kb(r.page.budget)}` : '').padStart(10)}  ${verdict}`,
      );
    }
    console.log(line);
    console.log('Files (raw / gzip):');
    for (const r of results) {
      console.log(`  ${r.page.name} (${r.page.path}):`);
      for (const a of r.eager)
        console.log(`    ${new URL(a.url).pathname.padEnd(60)} ${kb(a.raw).padStart(9)} / ${kb(a.gzip).padStart(8)}`);
      if (r.inlineCount)
        console.log(
          `    ${`${r.inlineCount} inline script(s)`.padEnd(60)} ${kb(r.inlineRaw).padStart(9)} / ${kb(r.inlineGzip).padStart(8)}`,
        );
      for (const a of r.lazy)
        console.log(
          `    ${`${new URL(a.url).pathname} (dynamic import, not counted)`.padEnd(60)} ${kb(a.raw).padStart(9)} / ${kb(a.gzip).padStart(8)}`,
        );
      if (!r.eager.length && !r.inlineCount) console.log('    (no JavaScript)');
    }
    await stopSite(site);
  } finally {
    cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().catch((error) => {
  console.error('The JavaScript size measurement failed to run:', error);
  process.exitCode = 1;
});
