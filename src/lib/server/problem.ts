import type { MessageKey, Translator } from '../../i18n/index.ts';

/** RFC 9457 problem details. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  /** Which request parameters were at fault, and why. */
  errors?: { param: string; detail: string }[];
  [extension: string]: unknown;
}

export function problem(body: Problem, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify({ type: 'about:blank', ...body }), {
    status: body.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
  });
}

/** The problem titles the site uses, and their messages in other languages. */
const TITLES: Record<string, MessageKey> = {
  'Bad request': 'problem.badRequest',
  'Not found': 'problem.notFound',
  'Invalid query parameters': 'problem.invalidQuery',
  'Search unavailable': 'problem.searchUnavailable',
  'Too many requests': 'problem.tooManyRequests',
  'Request too large': 'problem.tooLarge',
  'Unsupported media type': 'problem.unsupportedType',
  'Package not found': 'problem.packageNotFound',
  'Package no longer offered': 'problem.packageGone',
  'Superseded catalog version': 'problem.superseded',
};

/**
 * A problem+json answer with its title in the reader's language (Accept-Language), with
 * `Content-Language`; the `detail`, the `code` and the parameter names stay as they are, for
 * programs. Other answers are returned unchanged.
 */
export async function localizeProblem(response: Response, t: Translator): Promise<Response> {
  if (t.lang === 'en' || response.headers.get('content-type') !== 'application/problem+json') return response;
  const body = (await response.json()) as Problem;
  const key = TITLES[body.title];
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  if (key) {
    body.title = t(key);
    headers.set('content-language', t.lang);
  }
  headers.append('vary', 'Accept-Language');
  return new Response(JSON.stringify(body), { status: response.status, headers });
}
