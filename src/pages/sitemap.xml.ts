import type { APIRoute } from 'astro';
import { getCollection } from 'astro:content';
import { catalogSnapshot } from '../lib/opendata/catalog.ts';
import { cacheable } from '../lib/opendata/http.ts';
import { sitemapUrls, sitemapXml } from '../lib/opendata/sitemap.ts';

/** GET /sitemap.xml: every public page and designated package. */
export const GET: APIRoute = async ({ locals, request }) => {
  const { app } = locals;
  const snapshot = await catalogSnapshot(app);
  const pages = (await getCollection('pages')).map((entry) => entry.id);
  const body = sitemapXml(sitemapUrls({ siteUrl: app.config.siteUrl, contentPages: pages, snapshot, reference: app.reference }));
  return cacheable(request, body, {
    contentType: 'application/xml; charset=utf-8',
    cacheControl: 'public, max-age=3600',
    lastModified: snapshot.lastModified,
  });
};
