import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// The hostile-input suite's view of the site, generated from the source so that a new route,
// form field or query parameter is covered without being listed: the route table from the
// file tree of src/pages, the query parameters from every `searchParams`/`params` read in
// src/, the forms from the HTML the site serves.

const root = fileURLToPath(new URL('../..', import.meta.url));
const PAGES = join(root, 'src/pages');

export interface Route {
  /** The source file, relative to src/pages. */
  file: string;
  /** The route as Astro writes it, e.g. /proposals/[id]/edit/[section]. */
  pattern: string;
  params: string[];
  regex: RegExp;
  /** An endpoint (.ts) rather than a page. */
  endpoint: boolean;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name.startsWith('_') || name.startsWith('.')) return [];
    return statSync(path).isDirectory() ? walk(path) : /\.(astro|ts|md)$/.test(name) ? [path] : [];
  });
}

/** Every route of src/pages (files and folders starting with `_` are not routes). */
export function routeTable(): Route[] {
  return walk(PAGES)
    .map((path) => {
      const file = relative(PAGES, path);
      let pattern = '/' + file.replace(/\.(astro|ts|md)$/, '').replace(/(^|\/)index$/, '');
      pattern = pattern.replace(/\/$/, '') || '/';
      const params = [...pattern.matchAll(/\[(?:\.\.\.)?([^\]]+)\]/g)].map((m) => m[1]!);
      const source = pattern
        .split('/')
        .map((segment) =>
          segment.startsWith('[...') ? '(.+)' : segment.replace(/\[[^\]]+\]/g, '([^/]+)').replace(/\.(?=[a-z]+$)/, '\\.'),
        )
        .join('/');
      return { file, pattern, params, regex: new RegExp(`^${source}$`), endpoint: file.endsWith('.ts') };
    })
    .sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** The route a path belongs to (static segments win over parameters, as in Astro), with its parameter values. */
export function matchRoute(routes: Route[], path: string): { route: Route; values: string[] } | undefined {
  const candidates = routes
    .map((route) => ({ route, m: route.regex.exec(path) }))
    .filter((c) => c.m)
    .sort((a, b) => a.route.params.length - b.route.params.length);
  const best = candidates[0];
  return best ? { route: best.route, values: best.m!.slice(1) } : undefined;
}

/** A route with its parameters filled in (values already encoded for a path). */
export function fill(route: Route, values: string[]): string {
  let i = 0;
  return route.pattern.replace(/\[[^\]]+\]/g, () => values[i++] ?? 'x');
}

/** Every query parameter name the source reads (`searchParams.get('x')`, `params.getAll('x')`, facet params). */
export function queryParameterNames(): string[] {
  const names = new Set<string>();
  const files = walkSource(join(root, 'src'));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:searchParams|params|query)\.(?:get|getAll|has)\(\s*'([A-Za-z][\w-]*)'/g)) names.add(m[1]!);
    // Facet parameters are named in a table (FACET_PARAMS).
    const facets = /FACET_PARAMS[^=]*=\s*\{([^}]*)\}/.exec(text);
    if (facets) for (const m of facets[1]!.matchAll(/:\s*'([a-z]+)'/g)) names.add(m[1]!);
  }
  return [...names].sort();
}

function walkSource(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walkSource(path) : /\.(astro|ts)$/.test(name) ? [path] : [];
  });
}

// ——— Forms in the HTML ———

export interface FormField {
  name: string;
  /** input type, or textarea/select/button. */
  kind: string;
  value: string;
}

export interface PageForm {
  method: 'get' | 'post';
  action: string;
  multipart: boolean;
  fields: FormField[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (all, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? all;
  });
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    out[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

/** The forms of a page, with every named control (inputs, textareas, selects, submit buttons). */
export function formsIn(html: string, pagePath: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const a = attrs(m[1]!);
    const body = m[2]!;
    const fields: FormField[] = [];
    for (const c of body.matchAll(/<(input|textarea|select|button)\b([^>]*)>/gi)) {
      const tag = c[1]!.toLowerCase();
      const at = attrs(c[2]!);
      if (!at.name) continue;
      const kind = tag === 'input' ? (at.type ?? 'text').toLowerCase() : tag;
      if (kind === 'button' && (at.type ?? 'submit') !== 'submit') continue;
      fields.push({ name: at.name, kind, value: at.value ?? '' });
    }
    const action = a.action
      ? new URL(a.action, `http://site${pagePath}`).pathname + new URL(a.action, `http://site${pagePath}`).search
      : pagePath;
    forms.push({
      method: (a.method ?? 'get').toLowerCase() === 'post' ? 'post' : 'get',
      action,
      multipart: (a.enctype ?? '').toLowerCase() === 'multipart/form-data',
      fields,
    });
  }
  return forms;
}

/** Same-site links of a page (paths with their query). */
export function linksIn(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/\bhref="(\/[^"#]*)"/g)) {
    const href = decodeEntities(m[1]!);
    if (href.startsWith('//') || href.startsWith('/_astro/')) continue;
    out.add(href);
  }
  return [...out];
}

// ——— Hostile values ———

/** A hostile value, as it goes on the wire in a URL or a urlencoded body (already percent-encoded). */
export interface Hostile {
  kind: string;
  encoded: string;
}

const enc = encodeURIComponent;

/** The marker of markup a page must never echo unescaped. */
export const XSS_MARK = 'aix_xss';
const UNESCAPED = /<script>aix_xss|<img src=x onerror=aix_xss|<svg onload=aix_xss/i;

/**
 * The hostile markup that a page echoes as markup, if any. Inside a double-quoted attribute
 * value `<` is harmless as long as `"` is escaped, so quoted values are set aside first: a
 * payload that broke out of its attribute (`"><img …>`) is still found.
 */
export function unescapedMarkup(html: string): string | undefined {
  return UNESCAPED.exec(html.replace(/="[^"]*"/g, '=""'))?.[0];
}

export const HOSTILE_VALUES: Hostile[] = [
  { kind: 'nul', encoded: `a%00b%00` },
  { kind: 'control', encoded: `%07%1B%5B31m%0D%0A%5Baiexports%5D%20FAKE%7F%C2%85` },
  { kind: 'lone-surrogate', encoded: '%ED%A0%80x' },
  { kind: 'overlong', encoded: '%C0%AF%E0%80%AF%F0%80%80%AF' },
  { kind: 'rtl-override', encoded: enc('invoice\u202Efdp.exe\u2066\u200B') },
  { kind: 'markup', encoded: enc(`<script>${XSS_MARK}()</script>"><img src=x onerror=${XSS_MARK}()><svg onload=${XSS_MARK}()>`) },
  { kind: 'sql', encoded: enc(`' OR '1'='1'; DROP TABLE "user"; --`) },
  { kind: 'schema-oversize', encoded: 'y'.repeat(6000) },
  { kind: 'cap-oversize', encoded: 'z'.repeat(70_000) },
  { kind: 'wrong-type-number', encoded: enc('-1e309') },
  { kind: 'wrong-type-object', encoded: enc('{"$gt":""}') },
  { kind: 'unicode-edge', encoded: enc('Z\u0335\u0321\u0322a\u0308\u{1F600}\uFEFF\u00A0') },
];

/** Hostile values for a path parameter (already encoded for a path segment). */
export const HOSTILE_SEGMENTS: Hostile[] = [
  { kind: 'nul', encoded: '%00' },
  { kind: 'newline', encoded: '%0A%5Baiexports%5D%20FAKE' },
  { kind: 'lone-surrogate', encoded: '%ED%A0%80' },
  { kind: 'overlong', encoded: '%C0%AF' },
  { kind: 'rtl-override', encoded: '%E2%80%AEabc' },
  { kind: 'markup', encoded: enc(`<script>${XSS_MARK}()</script>`) },
  { kind: 'sql', encoded: enc(`1' OR '1'='1`) },
  { kind: 'uuid-unknown', encoded: '00000000-0000-0000-0000-000000000000' },
  { kind: 'long', encoded: 'L'.repeat(3000) },
  { kind: 'traversal', encoded: '..%2F..%2Fetc%2Fpasswd' },
  { kind: 'double-encoded', encoded: '%2500' },
];
