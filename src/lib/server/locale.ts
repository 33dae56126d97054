import { AsyncLocalStorage } from 'node:async_hooks';
import type { Server } from 'node:http';
import { beforeRequests } from './before-requests.ts';
import { DEFAULT_LANG, isLang, LANGS, type Lang } from '../../i18n/index.ts';

/**
 * The reader's language lives in the URL: English at the root (`/packages`), every other
 * language under its code (`/es/packages`, `/ar/packages/…`). The server in front of Astro
 * (src/cli/serve.ts) takes the code off the path before routing, so that one set of routes
 * serves every language, and tells the app in LOCALE_HEADER (a client's own copy is dropped).
 * The middleware then sets the request's translator, answers pages in that language, and
 * writes the code back into the page's own links, forms and redirects.
 */
export const LOCALE_HEADER = 'x-aix-locale';

/** The cookie that remembers the reader's choice (set when a page is read in a language). */
export const LOCALE_COOKIE = 'aix_lang';

const PREFIX = new RegExp(`^/(${LANGS.join('|')})(?=[/?#]|$)`);

/**
 * Paths that exist once, whatever the reader's language: built assets, the API, feeds and
 * downloads (files with an extension), the probes, the development mailbox.
 */
const LANGUAGE_NEUTRAL = /^\/(?:_astro|api|downloads|dev|healthz$|readyz$|favicon)|\.[a-z0-9]{2,12}$/i;

/** True for a path that names a page, which each language has. */
export function isPagePath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !LANGUAGE_NEUTRAL.test(path.split(/[?#]/)[0]!);
}

/** `/es/packages?q=x` → `{ lang: 'es', rest: '/packages?q=x' }`; an unprefixed URL has no lang. */
export function splitLocale(url: string): { lang?: Lang; rest: string } {
  const match = PREFIX.exec(url);
  if (!match) return { rest: url };
  const rest = url.slice(match[0].length);
  return { lang: match[1] as Lang, rest: rest === '' || rest.startsWith('?') ? `/${rest}` : rest };
}

/** A page path in `lang`: `/packages` → `/es/packages` (English at the root). */
export function localizePath(path: string, lang: Lang): string {
  if (lang === DEFAULT_LANG || !isPagePath(path) || PREFIX.test(path)) return path;
  return path === '/'
    ? `/${lang}`
    : path.startsWith('/?') || path.startsWith('/#')
      ? `/${lang}${path.slice(1)}`
      : `/${lang}${path}`;
}

/**
 * The page's own links and forms in `lang`: every `href` and `action` that names a page of
 * the site by its path (`="/…"`). Absolute URLs (hreflang, canonical, JSON-LD), language-neutral
 * paths and links already in a language are left as they are.
 */
export function localizeHtml(html: string, lang: Lang): string {
  if (lang === DEFAULT_LANG) return html;
  return html.replace(/(\s(?:href|action|formaction)=")(\/[^"]*)"/g, (whole, attribute: string, path: string) => {
    const localized = localizePath(path, lang);
    return localized === path ? whole : `${attribute}${localized}"`;
  });
}

/** The language asked for in the request (set by the server from the path), English otherwise. */
export function requestLang(headers: Headers): Lang {
  const value = headers.get(LOCALE_HEADER);
  return isLang(value) ? value : DEFAULT_LANG;
}

const current = new AsyncLocalStorage<Lang>();

/**
 * Runs `work` with `lang` as the request's language: reference data (sector, region and
 * country names) read it, so that every page and component names them in the reader's
 * language without passing it down.
 */
export function withLang<T>(lang: Lang, work: () => T): T {
  return current.run(lang, work);
}

/** The language of the request being answered (English outside of one: jobs, scripts). */
export function currentLang(): Lang {
  return current.getStore() ?? DEFAULT_LANG;
}

/**
 * Takes the language code off each request's path before the node adapter routes it
 * (`/es/packages` is routed as `/packages`, with LOCALE_HEADER `es`). Only the server sets
 * the header: a client's own copy is dropped.
 */
export function addLocaleRouting(server: Server): void {
  beforeRequests(server, (req, _res, pass) => {
    delete req.headers[LOCALE_HEADER];
    const { lang, rest } = splitLocale(req.url ?? '/');
    if (lang && isPagePath(rest)) {
      req.url = rest;
      req.headers[LOCALE_HEADER] = lang;
    }
    pass();
  });
}
