import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { mailFile, startMailSink } from './e2e/mail.ts';

// Browser tests of the built site (`npm run test:e2e` builds first).
//
// One server for the whole run, on a fresh data directory: the runner creates it and hands it
// to its workers (which load this file again) through the environment, and removes it when it
// exits, after the web server has been stopped.
//
// The server runs a copy of the build taken when the run starts (dist/, content/ and
// package.json, with node_modules linked), so that another `astro build` in the same tree
// while the tests run cannot swap the server's chunks from under it.

const root = fileURLToPath(new URL('..', import.meta.url));
// A port of the run's own (handed to the workers through the environment), so that two runs
// on one machine do not collide.
process.env.AIX_E2E_PORT ??= String(4400 + (process.pid % 1000));
const PORT = Number(process.env.AIX_E2E_PORT);
const BASE_URL = `http://127.0.0.1:${PORT}`;

if (!process.env.AIX_E2E_DATA_DIR) {
  const dir = mkdtempSync(join(tmpdir(), 'aix-e2e-'));
  process.env.AIX_E2E_DATA_DIR = dir;
  if (!process.env.AIX_E2E_KEEP_DATA) process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const site = join(dir, 'site');
  if (existsSync(join(root, 'dist/server/entry.mjs'))) {
    mkdirSync(site);
    cpSync(join(root, 'dist'), join(site, 'dist'), { recursive: true });
    cpSync(join(root, 'content'), join(site, 'content'), { recursive: true });
    copyFileSync(join(root, 'package.json'), join(site, 'package.json'));
    symlinkSync(join(root, 'node_modules'), join(site, 'node_modules'), 'dir');
  }
}
const dataDir = process.env.AIX_E2E_DATA_DIR;
const siteDir = join(dataDir, 'site');

// Mail: a real SMTP server on loopback for the run, started by the runner (before the web
// server, which sends through it); what it receives goes to <DATA_DIR>/mail.jsonl, which the
// tests read (tests/e2e/mail.ts). The workers load this file again and find its port set.
if (!process.env.AIX_E2E_SMTP_PORT) {
  const smtp = await startMailSink(mailFile(dataDir));
  process.env.AIX_E2E_SMTP_PORT = new URL(smtp.url).port;
  process.on('exit', () => void smtp.close());
}
const SMTP_URL = `smtp://127.0.0.1:${process.env.AIX_E2E_SMTP_PORT}`;

// The project pins Node 24 (it runs the TypeScript CLI); the `node` first on PATH may be older.
const pinnedNode = resolve(root, 'node_modules/.bin/node');
const node = existsSync(pinnedNode) ? JSON.stringify(pinnedNode) : 'node';

// Browsers are not downloaded here: Debian's Chromium. The closed network makes Chromium hang
// on its background requests unless they are turned off.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const launchOptions = {
  ...(existsSync(chromiumPath) ? { executablePath: chromiumPath } : {}),
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './e2e',
  outputDir: './e2e/.results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  workers: 2,
  // In CI one retry, reported as flaky: a two-core machine running the whole suite can starve a
  // test past its timeout; a test that fails twice still fails the run.
  retries: process.env.CI ? 1 : 0,
  reporter: 'list',
  // Staff sign in with a TOTP code, and a code is good once: a second sign-in in the same
  // 30-second step waits for the next code, as a person would.
  timeout: 90_000,
  expect: { timeout: 7_000 },
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    launchOptions,
    locale: 'en-US',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      // Everything but the JavaScript-off flows.
      name: 'chromium',
      testIgnore: [/\.nojs\.spec\.ts$/, /(workflow|saved-searches|lifecycle|hostile)\.spec\.ts$/],
      use: { javaScriptEnabled: true },
    },
    {
      // The core flows, browse pages, errors and accessibility again, with JavaScript off.
      name: 'no-js',
      testIgnore: [/\.js\.spec\.ts$/, /api\.spec\.ts$/, /(workflow|saved-searches|lifecycle|hostile)\.spec\.ts$/],
      use: { javaScriptEnabled: false },
    },
    {
      // Start-up, stop and crash of the built site, with sites of its own (child processes on
      // data directories of their own; no browser): tests/e2e/lifecycle.spec.ts.
      name: 'lifecycle',
      testMatch: /lifecycle\.spec\.ts$/,
    },
    {
      // The proposal-to-designation flow adds (then suspends) a package, and the saved-search
      // alerts reinstate one: they run after the others, so that their counts of the demo
      // catalog hold.
      name: 'workflow',
      testMatch: /(workflow|saved-searches)\.spec\.ts$/,
      dependencies: ['chromium', 'no-js'],
      use: { javaScriptEnabled: true },
    },
    {
      // The same flow again with JavaScript off (its own names, so the two runs do not meet).
      name: 'workflow-no-js',
      testMatch: /(workflow|saved-searches)\.spec\.ts$/,
      dependencies: ['workflow'],
      use: { javaScriptEnabled: false },
    },
    {
      // The hostile-input suite posts to every form with real values in the other fields, so
      // it may change the demo data the others count on: it runs last. Alone:
      // `--project hostile --no-deps`.
      name: 'hostile',
      testMatch: /hostile\.spec\.ts$/,
      dependencies: ['workflow-no-js'],
      use: { javaScriptEnabled: false },
    },
  ],
  webServer: {
    // serve.ts starts dist/ of its working directory (and reads content/ from it).
    command: `${node} ${JSON.stringify(join(root, 'src/cli/serve.ts'))}`,
    cwd: existsSync(siteDir) ? siteDir : root,
    url: `${BASE_URL}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    // Each test may send its own X-Forwarded-For, so that sign-in rate limits (per client
    // address) are not shared by the whole run.
    env: {
      DATA_DIR: dataDir!,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      SITE_URL: BASE_URL,
      TRUST_PROXY_HEADER: 'x-forwarded-for',
      SMTP_URL,
      // The saved-search alerts run every 2 s, so that a test sees its alert soon.
      ALERTS_INTERVAL_SECONDS: '2',
      // One line per request is noise in a test run; warnings and errors still show.
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
  },
});
