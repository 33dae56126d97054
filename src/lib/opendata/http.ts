import { createHash } from 'node:crypto';
import { problem } from '../server/problem.ts';
import type { ParamProblem } from './params.ts';

/** 400 problem+json naming every parameter at fault, as the search API answers. */
export function badParams(problems: ParamProblem[]): Response {
  return problem({
    title: 'Invalid query parameters',
    status: 400,
    detail: problems.map((p) => p.detail).join(' '),
    errors: problems,
  });
}

export function searchUnavailable(): Response {
  return problem(
    { title: 'Search unavailable', status: 503, detail: 'The search service cannot be reached. Try again later.' },
    { 'retry-after': '30' },
  );
}

/** A strong validator of the bytes sent. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

function matches(header: string, etag: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/** True when the client's copy is current (RFC 9110 §13: If-None-Match first, else If-Modified-Since). */
export function notModified(request: Request, etag: string, lastModified?: Date): boolean {
  const ifNoneMatch = request.headers.get('if-none-match');
  if (ifNoneMatch !== null) return matches(ifNoneMatch, etag);
  const since = request.headers.get('if-modified-since');
  if (since && lastModified) {
    const date = Date.parse(since);
    if (!Number.isNaN(date)) return Math.floor(lastModified.getTime() / 1000) * 1000 <= date;
  }
  return false;
}

export interface CacheableOptions {
  contentType: string;
  cacheControl: string;
  /** Defaults to a hash of the body. */
  etag?: string;
  lastModified?: Date;
  headers?: Record<string, string>;
}

/** A GET answer with its validators, or 304 Not Modified when the client's copy is current. */
export function cacheable(request: Request, body: string, options: CacheableOptions): Response {
  const etag = options.etag ?? etagOf(body);
  const headers: Record<string, string> = {
    'cache-control': options.cacheControl,
    etag,
    vary: 'Accept-Encoding',
    ...(options.lastModified ? { 'last-modified': options.lastModified.toUTCString() } : {}),
    ...options.headers,
  };
  if (notModified(request, etag, options.lastModified)) return new Response(null, { status: 304, headers });
  return new Response(request.method === 'HEAD' ? null : body, {
    status: 200,
    headers: { 'content-type': options.contentType, ...headers },
  });
}

export function cacheableJson(request: Request, value: unknown, options: Omit<CacheableOptions, 'contentType'>): Response {
  return cacheable(request, JSON.stringify(value), { contentType: 'application/json', ...options });
}
