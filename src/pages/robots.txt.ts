import type { APIRoute } from 'astro';
import { robotsTxt } from '../lib/opendata/sitemap.ts';

/** GET /robots.txt: crawl the public pages; the sitemap lists them. */
export const GET: APIRoute = ({ locals }) =>
  new Response(robotsTxt(locals.app.config.siteUrl), {
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=86400' },
  });
