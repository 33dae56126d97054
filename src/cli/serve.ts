// Starts the built site (dist/) and its services, then says where to go.
// `npm start` builds first; `npm run serve` skips the build.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addSecurityHeaders } from '../lib/server/static-headers.ts';

const entry = resolve('dist/server/entry.mjs');
if (!existsSync(entry)) {
  console.error('The site is not built yet: run `npm run build` first (or `npm start`, which builds).');
  process.exit(1);
}
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const server = await import(pathToFileURL(entry).href);
const { server: http } = server.startServer();
// Static files (/_astro/*, public/) are served without the middleware: their headers are set here.
addSecurityHeaders(http.server, process.env.APP_ENV === 'production');
const port: number = http.port;
const host: string = http.host;

// The first request starts the services (database, search); make it now, not on a visitor's time.
const local = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
for (let attempt = 0; attempt < 600; attempt++) {
  try {
    const response = await fetch(`${local}/readyz`);
    const body = await response.json();
    if (response.ok) {
      console.log(`\n  The American AI Exports marketplace is ready: http://localhost:${port}/\n`);
    } else {
      console.log(`\n  The site is up on http://localhost:${port}/ but not fully ready:`, body, '\n');
    }
    break;
  } catch {
    await new Promise((done) => setTimeout(done, 100));
  }
}
