// Starts the built site (dist/) and its services, then says where to go; stops cleanly.
// `npm start` builds first; `npm run serve` skips the build.
//
// Start: listen, then start the services (database, search, jobs) at once, not on a visitor's
// time; requests that arrive meanwhile wait for them. If they cannot start (the data
// directory is in use, a production setting is missing, …) say why in one sentence and exit 1:
// a process that cannot serve pages must not look alive.
// Stop (SIGTERM, SIGINT): stop accepting connections, let the requests in flight finish (up to
// DRAIN_SECONDS), then stop the jobs, the outbox worker, Meilisearch and the database; exit 0.
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addLocaleRouting } from '../lib/server/locale.ts';
import { addCompression, addSecurityHeaders } from '../lib/server/static-headers.ts';

/** How long requests in flight may take to finish once the site is told to stop. */
const DRAIN_SECONDS = 10;

interface Runtime {
  start(): Promise<unknown>;
  phase(): string;
  draining(): void;
  stop(): Promise<void>;
  explain(error: unknown): string;
}

function fail(sentence: string): never {
  console.error(`\n  The site could not start: ${sentence}\n`);
  process.exit(1);
}

const entry = resolve('dist/server/entry.mjs');
if (!existsSync(entry)) {
  console.error('The site is not built yet: run `npm run build` first (or `npm start`, which builds).');
  process.exit(1);
}
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
// This process owns the signals and the exit (src/lib/server/runtime.ts leaves them to it).
(globalThis as Record<symbol, unknown>)[Symbol.for('aiexports.runtime.managed')] = true;

const site = await import(pathToFileURL(entry).href);
const started = site.startServer();
started.done?.catch(() => undefined); // a listening error is reported below
const http: Server = started.server.server;
// Static files (/_astro/*, public/) are served without the middleware: their headers are set here.
addSecurityHeaders(http, process.env.APP_ENV === 'production');
addCompression(http);
// `/es/packages` is the Spanish `/packages`: the language code comes off the path here.
addLocaleRouting(http);
const port: number = started.server.port;
const host: string = started.server.host;

await new Promise<void>((listening) => {
  if (http.listening) return listening();
  http.once('listening', () => listening());
  http.once('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE')
      fail(`port ${port} on ${host} is already in use (is the site running already?): stop that process or set PORT.`);
    if (error.code === 'EACCES') fail(`this user may not listen on port ${port} of ${host}: set PORT to 1024 or above.`);
    fail(`it cannot listen on ${host}:${port} (${error.message}).`);
  });
});

// One request loads the site's middleware and with it the runtime; then start the services.
const loopback = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
const local = `http://${loopback.includes(':') ? `[${loopback}]` : loopback}:${port}`;
await fetch(`${local}/healthz`).then((r) => r.body?.cancel());
const runtime = (globalThis as Record<symbol, unknown>)[Symbol.for('aiexports.runtime')] as Runtime | undefined;
if (!runtime) fail('the build does not provide the runtime (src/lib/server/runtime.ts): rebuild with `npm run build`.');

let stopping = false;
async function stop(signal: NodeJS.Signals) {
  if (stopping) {
    console.log(`[aiexports] ${signal} again: stopping now.`);
    process.exit(1);
  }
  stopping = true;
  console.log(`[aiexports] ${signal}: no new connections; finishing the requests in flight (up to ${DRAIN_SECONDS} s).`);
  runtime!.draining();
  const closed = new Promise<void>((done) => http.close(() => done()));
  // Keep-alive connections are closed as soon as they have no request in flight.
  http.closeIdleConnections();
  const idle = setInterval(() => http.closeIdleConnections(), 50);
  const deadline = setTimeout(() => {
    console.log(`[aiexports] Requests still in flight after ${DRAIN_SECONDS} s: closing their connections.`);
    http.closeAllConnections();
  }, DRAIN_SECONDS * 1000);
  await closed;
  clearInterval(idle);
  clearTimeout(deadline);
  try {
    await runtime!.stop();
    console.log('[aiexports] Stopped.');
    process.exit(0);
  } catch (error) {
    console.error('[aiexports] Stopping the services failed:', error);
    process.exit(1);
  }
}
process.once('SIGTERM', (signal) => void stop(signal));
process.on('SIGINT', (signal) => void stop(signal));

try {
  await runtime!.start();
} catch (error) {
  http.close();
  http.closeAllConnections();
  fail(runtime!.explain(error));
}

const response = await fetch(`${local}/readyz`);
const body = await response.json();
if (response.ok) {
  console.log(`\n  The American AI Exports marketplace is ready: http://localhost:${port}/\n`);
} else {
  console.log(`\n  The site is up on http://localhost:${port}/ but not fully ready:`, body, '\n');
}
