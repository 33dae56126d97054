// Lighthouse (mobile) on the home page, a search with a query, a package page and sign-in, in
// Debian's Chromium against the built site with its demo data; prints the four scores per page.
//   npm run build && npm run bench:lighthouse
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { startSite, stopSite } from './site.ts';

const PAGES = [
  ['home', '/'],
  ['search with a query', '/packages?q=telemedicine'],
  ['package', '/packages/east-africa-telemedicine-and-swahili-clinical-ai'],
  ['sign in', '/account/sign-in'],
] as const;
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

const dataDir = mkdtempSync(join(tmpdir(), 'aix-lighthouse-'));
// The demo catalog: the pages as a visitor sees them.
const site = await startSite(dataDir, { DEMO_DATA: 'true' });
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  console.log(
    `Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, mobile, ${site.url}`,
  );
  console.log(['page', ...CATEGORIES].join(' | '));
  for (const [name, path] of PAGES) {
    const result = await lighthouse(`${site.url}${path}`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: [...CATEGORIES],
      formFactor: 'mobile',
    });
    const problem = result?.lhr.runtimeError;
    if (problem) console.log(`  ${name}: ${problem.code} ${problem.message}`);
    const categories = result?.lhr.categories ?? {};
    const scores = CATEGORIES.map((c) => Math.round((categories[c]?.score ?? 0) * 100));
    console.log([name, ...scores].join(' | '));
    for (const c of CATEGORIES) {
      const category = categories[c];
      if (!category || (category.score ?? 0) >= 1) continue;
      const failing = category.auditRefs
        .map((ref) => result!.lhr.audits[ref.id])
        .filter((audit) => audit && audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== 'informative')
        .map((audit) => audit!.id);
      console.log(`  ${c}: ${failing.slice(0, 8).join(', ')}`);
    }
  }
} finally {
  await chrome.kill();
  await stopSite(site);
  rmSync(dataDir, { recursive: true, force: true });
}
