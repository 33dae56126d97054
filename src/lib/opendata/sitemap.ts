import type { CatalogSnapshot } from './catalog.ts';
import type { Reference } from '../reference/index.ts';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const xml = (text: string) => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

export interface SitemapInput {
  siteUrl: string;
  /** Slugs of content/pages (about, faq, …). */
  contentPages: string[];
  snapshot: CatalogSnapshot;
  reference: Reference;
}

/** The public pages the site has: fixed ones, browse pages, content pages, and every designated package. */
export function sitemapUrls(input: SitemapInput): { loc: string; lastmod?: string }[] {
  const base = input.siteUrl.replace(/\/$/, '');
  const catalogDate = input.snapshot.records.length ? input.snapshot.lastModified.toISOString() : undefined;
  const withDate = (path: string) => ({ loc: `${base}${path}`, ...(catalogDate ? { lastmod: catalogDate } : {}) });
  const countries = new Set(input.snapshot.records.flatMap((r) => r.countries));
  return [
    withDate('/'),
    withDate('/packages'),
    withDate('/sectors'),
    ...[...input.reference.sectors.keys()].map((s) => withDate(`/sectors/${s}`)),
    withDate('/regions'),
    ...[...input.reference.regions.keys()].map((r) => withDate(`/regions/${r}`)),
    ...[...countries].sort().map((c) => withDate(`/countries/${c}`)),
    ...input.contentPages.sort().map((p) => ({ loc: `${base}/${p}` })),
    withDate('/statistics'),
    { loc: `${base}/developers` },
    ...input.snapshot.records.map((r) => ({ loc: r.url, lastmod: r.updatedAt })),
  ];
}

/** A sitemaps.org 0.9 urlset. */
export function sitemapXml(urls: { loc: string; lastmod?: string }[]): string {
  const entries = urls.map(
    (u) => `  <url><loc>${xml(u.loc)}</loc>${u.lastmod ? `<lastmod>${xml(u.lastmod)}</lastmod>` : ''}</url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</urlset>\n`;
}

/** Crawlers may read the public pages; the signed-in areas and the auth API are not for them. */
export function robotsTxt(siteUrl: string): string {
  const base = siteUrl.replace(/\/$/, '');
  return [
    'User-agent: *',
    'Allow: /',
    // Signing in and signing up are public pages a buyer may look for.
    'Allow: /account/sign-in',
    'Allow: /account/sign-up',
    ...[
      '/account/',
      '/admin/',
      '/buyer/',
      '/consortia/',
      '/dev/',
      '/introductions/',
      '/officer/',
      '/organizations/',
      '/proposals/',
      '/review/',
      '/api/auth/',
    ].map((path) => `Disallow: ${path}`),
    '',
    `Sitemap: ${base}/sitemap.xml`,
    '',
  ].join('\n');
}
