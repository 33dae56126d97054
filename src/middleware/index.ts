import { randomUUID } from 'node:crypto';
import { defineMiddleware, sequence } from 'astro:middleware';
import type { APIContext } from 'astro';
import { APP_ENV, TRUST_PROXY_HEADER } from 'astro:env/server';
import { ABSOLUTE_TIMEOUT, CLIENT_IP_HEADER } from '../lib/auth/index.ts';
import { DEFAULT_LANG, isLang, negotiate, useTranslations, type MessageKey } from '../i18n/index.ts';
import {
  isPagePath,
  LOCALE_COOKIE,
  LOCALE_HEADER,
  localizeHtml,
  localizePath,
  requestLang,
  withLang,
} from '../lib/server/locale.ts';
import { CROSS_SITE_POST_PATHS, decide } from '../lib/server/access.ts';
import { rateLimitPolicy } from '../lib/opendata/config.ts';
import { checkRateLimit, PUBLIC_DATA_PATHS, tooManyRequests } from '../lib/opendata/rate-limit.ts';
import { isInputError, type InputError } from '../lib/server/forms.ts';
import { cleanForLog, logger } from '../lib/server/log.ts';
import { recordRequest } from '../lib/server/metrics.ts';
import { localizeProblem, problem } from '../lib/server/problem.ts';
import { services, startFailure } from '../lib/server/runtime.ts';
import { HEADER_CSP, securityHeaders as headerList } from '../lib/server/static-headers.ts';
import { normalizeLine, normalizeText } from '../lib/server/text.ts';
import type { SiteRole } from '../../db/schema/user.ts';

const production = APP_ENV === 'production';
/** Bytes a form or API request may send; attachment uploads (PDF, 20 MB) get a little more than their own limit. */
const MAX_BODY = 1024 * 1024;
const MAX_UPLOAD_BODY = 21 * 1024 * 1024;
const UPLOAD_PATHS = /\/attachments(\/|$)/;
const HEADERS = headerList(production);
const requestLog = logger.child({ component: 'http' });

/**
 * A request id for every request (sent back as `X-Request-Id`), one log line per request
 * (the path as sent, percent-encoded, never decoded), and the answer to a body the form or
 * JSON reader refused (`InputError`): problem+json for the API, a page saying what was wrong
 * for the rest.
 */
const requestContext = defineMiddleware(async (context, next) => {
  // A rewrite (to /404, /400) runs the middleware again, within the same request.
  if (context.locals.requestId) return next();
  const id = randomUUID();
  context.locals.requestId = id;
  // The reader's language: the one the path names (src/lib/server/locale.ts), else English.
  context.locals.t = useTranslations(requestLang(context.request.headers));
  const started = performance.now();
  let response: Response;
  try {
    response = await next();
  } catch (error) {
    if (!isInputError(error)) {
      requestLog.error({ reqId: id, err: error, ...where(context.request) }, 'The request failed.');
      throw error;
    }
    response = await refused(context, error);
  }
  response.headers.set('X-Request-Id', id);
  const status = response.status;
  const fields = { reqId: id, ...where(context.request), status, ms: Math.round(performance.now() - started) };
  recordRequest(context.request.method, context.routePattern, status, (performance.now() - started) / 1000);
  if (status >= 500) requestLog.error(fields, 'request');
  else if (status === 413 || status === 429) requestLog.warn(fields, 'request');
  else requestLog.info(fields, 'request');
  return response;
});

/** The method and the path as the client sent them (still percent-encoded, so one line stays one line). */
function where(request: Request): { method: string; path: string } {
  const url = new URL(request.url);
  return { method: cleanForLog(request.method, 20), path: cleanForLog(url.pathname + url.search, 300) };
}

async function refused(context: APIContext, error: InputError): Promise<Response> {
  if (context.request.headers.get('x-aix-autosave') === '1') {
    // The proposal editor's background save: its own answer shape, the message under the form.
    const message = useTranslations()(`error.input.${error.problem}` as MessageKey, { limit: error.limit ?? '' });
    return Response.json(
      { ok: false, errors: { form: message } },
      { status: error.status, headers: { 'cache-control': 'no-store' } },
    );
  }
  if (context.url.pathname.startsWith('/api/') || (context.request.headers.get('accept') ?? '').includes('json')) {
    return problem({
      title: error.status === 413 ? 'Request too large' : error.status === 415 ? 'Unsupported media type' : 'Bad request',
      status: error.status,
      detail: error.message,
      code: error.problem,
    });
  }
  context.locals.inputError = error;
  // The body is read: the error page is rendered as a GET of its own.
  const response = await context.rewrite(new Request(new URL('/400', context.url), { headers: context.request.headers }));
  return new Response(response.body, { status: error.status, headers: response.headers });
}

/**
 * The reader's language. A page asked for without a language code goes to the reader's
 * language: the one chosen before (the cookie), else the best of Accept-Language (302,
 * varying on both); `/en/…` chooses English (303 to the root path, cookie set). A page read in
 * a language remembers it in the cookie. Pages in a language other than English get their
 * own links, forms and redirects in that language, and reference data names things in it.
 */
const language = defineMiddleware(async (context, next) => {
  const { request, url } = context;
  const path = url.pathname;
  // The API and files are the same in every language; only a problem's title follows Accept-Language.
  if (!isPagePath(path)) {
    const wanted = path.startsWith('/api/') ? negotiate(request.headers.get('accept-language')) : undefined;
    const response = await next();
    return wanted ? localizeProblem(response, useTranslations(wanted)) : response;
  }
  const lang = context.locals.t.lang;
  const named = request.headers.has(LOCALE_HEADER);
  const chosen = context.cookies.get(LOCALE_COOKIE)?.value;
  const reading = request.method === 'GET' || request.method === 'HEAD';
  const cookie = (value: string) =>
    context.cookies.set(LOCALE_COOKIE, value, {
      path: '/',
      maxAge: 365 * 24 * 3600,
      sameSite: 'lax',
      secure: production,
      httpOnly: true,
    });
  if (reading && named && lang === DEFAULT_LANG) {
    cookie(DEFAULT_LANG);
    return context.redirect(path + url.search, 303);
  }
  if (reading && !named) {
    const wanted = isLang(chosen) ? chosen : negotiate(request.headers.get('accept-language'));
    if (wanted && wanted !== DEFAULT_LANG) {
      const response = context.redirect(localizePath(path + url.search, wanted), 302);
      response.headers.set('Vary', 'Accept-Language, Cookie');
      return response;
    }
  }
  if (named && chosen !== lang) cookie(lang);
  return withLang(lang, async () => {
    const response = await next();
    if (!named) {
      response.headers.append('Vary', 'Accept-Language, Cookie');
      return response;
    }
    const location = response.headers.get('location');
    if (location?.startsWith('/')) response.headers.set('location', localizePath(location, lang));
    if (!(response.headers.get('content-type') ?? '').startsWith('text/html') || !response.body) return response;
    const html = localizeHtml(await response.text(), lang);
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(html, { status: response.status, statusText: response.statusText, headers });
  });
});

/** Headers every answer carries. */
const securityHeaders = defineMiddleware(async (_context, next) => {
  const response = await next();
  const headers = response.headers;
  for (const [name, value] of HEADERS) headers.set(name, value);
  // Script and style sources are in the page's own CSP <meta> (Astro's hashes); these cannot be.
  // (Once: a rewrite runs the middleware again on the same answer.)
  if (!headers.get('Content-Security-Policy')?.includes('frame-ancestors')) headers.append('Content-Security-Policy', HEADER_CSP);
  return response;
});

/**
 * True when the path, decoded once and again (Astro decodes the path and then its parameters,
 * so `%2500` reaches a route as NUL), is valid Unicode without control characters.
 */
function cleanPath(raw: string): boolean {
  let path = raw;
  for (let level = 0; level < 3; level++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return false;
    }
    if (normalizeLine(decoded) !== decoded) return false;
    if (decoded === path) return true;
    path = decoded;
  }
  // Still percent-encoded after three levels: nothing on the site is named so.
  return false;
}

/**
 * A path that is not valid, normalised Unicode names nothing (404) and never reaches a route:
 * NUL or another control character (PostgreSQL refuses NUL), a percent-encoding that is not
 * UTF-8 (`%ED%A0%80`, a lone surrogate; overlong forms). Query parameters are normalised in
 * place (`Astro.url` is the same object), as form fields are.
 */
const cleanUrl = defineMiddleware(async (context, next) => {
  if (!cleanPath(new URL(context.request.url).pathname)) return context.rewrite('/404');
  const params = context.url.searchParams;
  let changed = false;
  const clean: [string, string][] = [];
  for (const [name, value] of params) {
    const n = normalizeLine(name) ?? '';
    const v = normalizeText(value) ?? '';
    if (n !== name || v !== value) changed = true;
    clean.push([n, v]);
  }
  if (changed) context.url.search = new URLSearchParams(clean).toString();
  return next();
});

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * Cross-site form posts are refused: Astro's own origin check (security.checkOrigin, turned off
 * in astro.config.mjs so that this one can make its single exception), the same rule — a
 * non-GET request with a form body, or with no body type, must carry the site's own Origin —
 * but for CROSS_SITE_POST_PATHS (RFC 8058 one-click unsubscribe, authorized by its signed link).
 */
const originCheck = defineMiddleware(async (context, next) => {
  const { request, url } = context;
  if (['GET', 'HEAD', 'OPTIONS'].includes(request.method) || CROSS_SITE_POST_PATHS.test(url.pathname)) return next();
  const sameOrigin = request.headers.get('origin') === url.origin;
  const type = request.headers.get('content-type');
  const forbidden = type === null ? !sameOrigin : FORM_TYPES.some((f) => type.toLowerCase().includes(f)) && !sameOrigin;
  if (forbidden) return new Response(`Cross-site ${request.method} form submissions are forbidden`, { status: 403 });
  return next();
});

/** Oversized bodies are refused before anything reads them. */
const bodyLimit = defineMiddleware(async (context, next) => {
  const declared = context.request.headers.get('content-length');
  // A body without a declared length (chunked) cannot be bounded before it is read: refuse it.
  if (declared === null && context.request.body !== null && !['GET', 'HEAD', 'OPTIONS'].includes(context.request.method)) {
    return new Response('Send the request with a Content-Length.', {
      status: 411,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const length = Number(declared ?? 0);
  if (length > (UPLOAD_PATHS.test(context.url.pathname) ? MAX_UPLOAD_BODY : MAX_BODY)) {
    return new Response('The request body is too large.', {
      status: 413,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  return next();
});

/** The client's address: the socket's, or the trusted proxy header's first entry when configured. */
function clientIp(request: Request, socketAddress: string): string {
  if (TRUST_PROXY_HEADER) {
    const forwarded = request.headers.get(TRUST_PROXY_HEADER)?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return socketAddress;
}

/** /healthz and /readyz answer from the process itself: they never wait for (or start) the services. */
const PROBES = new Set(['/healthz', '/readyz']);

/** Services, the client address, and the signed-in person (if any) for every route but the probes. */
const withServices = defineMiddleware(async (context, next) => {
  if (PROBES.has(context.url.pathname)) return next();
  let app;
  try {
    app = await services();
  } catch (error) {
    // A start that failed stays failed: `npm run serve` and `astro dev` exit; anything else says so here.
    const why = production ? 'its log says why.' : startFailure(error);
    return new Response(`The site could not start: ${why}`, {
      status: 503,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30' },
    });
  }
  context.locals.app = app;
  let ip = '';
  try {
    ip = clientIp(context.request, context.clientAddress);
  } catch {
    // No socket (prerendering): leave empty.
  }
  context.locals.clientIp = ip;
  // Only the site sets this header; a client's own copy is dropped.
  context.request.headers.delete(CLIENT_IP_HEADER);
  if (ip) context.request.headers.set(CLIENT_IP_HEADER, ip);
  return next();
});

const fairUse = rateLimitPolicy();

/** Fair use of the public API, feeds and downloads: a request budget per client (429 past it). */
const publicDataLimit = defineMiddleware(async (context, next) => {
  if (!PUBLIC_DATA_PATHS.test(context.url.pathname)) return next();
  const decision = await checkRateLimit(context.locals.app.db, context.locals.clientIp, fairUse);
  if (!decision) return next();
  if (!decision.allowed) return tooManyRequests(decision, fairUse);
  const response = await next();
  for (const [name, value] of Object.entries(decision.headers)) response.headers.set(name, value);
  return response;
});

/** Resolves the session once, ends it past the absolute timeout, and applies the access rules. */
const session = defineMiddleware(async (context, next) => {
  if (PROBES.has(context.url.pathname) || context.url.pathname.startsWith('/_astro/')) return next();
  const { auth, db } = context.locals.app;
  const { headers: refreshed, response: found } = await auth.api.getSession({
    headers: context.request.headers,
    returnHeaders: true,
  });
  let current = found;
  if (current && Date.now() - new Date(current.session.createdAt).getTime() > ABSOLUTE_TIMEOUT * 1000) {
    await db.deleteFrom('session').where('id', '=', current.session.id).execute();
    current = null;
    const response = context.redirect('/account/sign-in?expired=1', 303);
    return response;
  }
  context.locals.user = current?.user
    ? {
        id: current.user.id,
        name: current.user.name,
        email: current.user.email,
        role: (current.user.role ?? 'buyer') as SiteRole,
        twoFactorEnabled: current.user.twoFactorEnabled === true,
      }
    : undefined;
  context.locals.session = current?.session
    ? { id: current.session.id, token: current.session.token, createdAt: new Date(current.session.createdAt) }
    : undefined;

  const decision = decide(context.url.pathname, context.locals.user, { production });
  let response: Response;
  if (decision === 'allow') response = await next();
  else if (decision === 'sign-in') {
    response = context.redirect(`/account/sign-in?next=${encodeURIComponent(context.url.pathname + context.url.search)}`, 303);
  } else if (decision === 'two-factor-setup') response = context.redirect('/account/two-factor?required=1', 303);
  else response = await context.rewrite(decision === 'forbidden' ? '/403' : '/404');

  for (const cookie of refreshed?.getSetCookie() ?? []) response.headers.append('set-cookie', cookie);
  if (context.locals.user) response.headers.set('Cache-Control', 'private, no-store');
  return response;
});

export const onRequest = sequence(
  requestContext,
  securityHeaders,
  cleanUrl,
  language,
  originCheck,
  bodyLimit,
  withServices,
  publicDataLimit,
  session,
);
