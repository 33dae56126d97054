import type { Server } from 'node:http';
import { constants } from 'node:zlib';
import compression from 'compression';
import { beforeRequests } from './before-requests.ts';

/**
 * The security headers every answer carries: pages and endpoints get them from the middleware,
 * static files (`/_astro/*`, everything from `public/`) from `addSecurityHeaders`, since
 * @astrojs/node serves those without running the middleware.
 */
export function securityHeaders(production: boolean): [string, string][] {
  const headers: [string, string][] = [
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'strict-origin-when-cross-origin'],
    ['X-Frame-Options', 'DENY'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Permissions-Policy', 'camera=(), microphone=(), geolocation=()'],
  ];
  if (production) headers.push(['Strict-Transport-Security', 'max-age=63072000; includeSubDomains']);
  return headers;
}

/**
 * The CSP directives that cannot be in a page's `<meta>` (Astro puts its script and style
 * hashes there); static files get them as their whole policy.
 */
export const HEADER_CSP = "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/**
 * Sets the security headers on every answer of `server` before its own handlers run (the
 * node adapter's static handler and the app): a handler that sets one of them again (the
 * middleware, for pages) wins, so nothing is doubled.
 */
export function addSecurityHeaders(server: Server, production: boolean): void {
  const headers = securityHeaders(production);
  beforeRequests(server, (_req, res, pass) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    res.setHeader('Content-Security-Policy', HEADER_CSP);
    pass();
  });
}

/**
 * Compresses answers (brotli, else gzip) for clients that accept it: HTML, JSON, CSS, JS, SVG,
 * XML and text over 1 KiB. Brotli at quality 5: near gzip's speed on pages rendered per
 * request, a quarter smaller than gzip on the stylesheet. Runs before the node adapter's
 * handlers (static files and the app) so both are covered.
 */
export function addCompression(server: Server): void {
  const compress = compression({
    threshold: 1024,
    brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } },
  });
  beforeRequests(server, (req, res, pass) => compress(req as never, res as never, pass));
}
