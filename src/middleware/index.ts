import { defineMiddleware, sequence } from 'astro:middleware';
import { services } from '../lib/server/runtime.ts';

/** Headers every answer carries. */
const securityHeaders = defineMiddleware(async (_context, next) => {
  const response = await next();
  const headers = response.headers;
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  headers.set('X-Frame-Options', 'DENY');
  if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', "frame-ancestors 'none'");
  return response;
});

/** Resolves the process's services once per request; /healthz answers without them. */
const withServices = defineMiddleware(async (context, next) => {
  if (context.url.pathname === '/healthz') return next();
  context.locals.app = await services();
  return next();
});

export const onRequest = sequence(securityHeaders, withServices);
