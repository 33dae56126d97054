import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { expect, test, type APIRequestContext, type APIResponse, type Page, type TestInfo } from '@playwright/test';
import { validateAtom } from '../fixtures/atom.ts';
import { DESIGNATED_TOTAL, EAST_AFRICA_TELEMEDICINE, expectNoAxeViolations } from './support.ts';

// Open data: the OpenAPI document (valid 3.1, and every endpoint's real answers valid against
// it), the Atom feeds, the CSV and JSON downloads, discovery (sitemap, robots.txt, JSON-LD),
// conditional requests, fair-use limits, and the statistics page with and without JavaScript.

type Json = Record<string, any>;

/** A client address of the test's own, so that fair-use counts are not shared with other tests. */
const from = (ip: string) => ({ 'x-forwarded-for': ip });

let openapi: Json;
let ajv: Ajv2020;
const checked = new Set<string>();

async function loadDocument(request: APIRequestContext): Promise<Json> {
  if (openapi) return openapi;
  const response = await request.get('/api/v1/openapi.json', { headers: from('10.13.0.1') });
  expect(response.status()).toBe(200);
  openapi = await response.json();
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'openapi', components: openapi.components });
  return openapi;
}

function schemaFor(path: string, status: number, type: string): ValidateFunction | 'no-content' {
  const operation = openapi.paths[path]?.get;
  expect(operation, `the document describes GET ${path}`).toBeTruthy();
  const answer = operation.responses[String(status)];
  expect(answer, `GET ${path} documents status ${status}`).toBeTruthy();
  if (!answer.content) return 'no-content';
  const media = answer.content[type];
  expect(media, `GET ${path} ${status} documents ${type} (has ${Object.keys(answer.content)})`).toBeTruthy();
  const schema = JSON.parse(JSON.stringify(media.schema).replaceAll('"#/components/', '"openapi#/components/'));
  return ajv.compile(schema);
}

/** Checks one real answer against the document: status, content type, body schema, headers. */
async function expectDocumented(path: string, response: APIResponse): Promise<unknown> {
  const status = response.status();
  const type = (response.headers()['content-type'] ?? '').split(';')[0]!.trim();
  const validate = schemaFor(path, status, type);
  checked.add(`${path} ${status}`);
  if (validate === 'no-content') return undefined;
  const body = type.endsWith('json') ? await response.json() : await response.text();
  const ok = validate(body);
  expect(ok, `GET ${path} ${status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  if (status < 300) {
    expect(response.headers()['ratelimit-policy'], `${path} RateLimit-Policy`).toMatch(/^"default";q=\d+;w=\d+$/);
    expect(response.headers()['ratelimit'], `${path} RateLimit`).toMatch(/^"default";r=\d+;t=\d+$/);
    expect(response.headers()['etag'], `${path} ETag`).toBeTruthy();
    expect(response.headers()['cache-control'], `${path} Cache-Control`).toContain('public');
  }
  return body;
}

test.describe('open data over HTTP', () => {
  test.describe.configure({ mode: 'serial' });
  test.beforeEach(({}, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, 'HTTP only: the chromium project runs it');
  });

  test('the OpenAPI document is valid OpenAPI 3.1', async ({ request }) => {
    const doc = await loadDocument(request);
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // Generated from the request schemas: the search's facets carry the reference data's values.
    const sector = doc.paths['/api/v1/packages'].get.parameters.find((p: Json) => p.name === 'sector');
    expect(sector.schema.items.enum).toContain('healthcare');
  });

  test('every endpoint answers as documented, bad input included', async ({ request }) => {
    await loadDocument(request);
    const get = (url: string) => request.get(url, { headers: from('10.13.0.2'), maxRedirects: 0 });
    const cases: [string, string, number][] = [
      ['/api/v1/packages', '/api/v1/packages?q=gpu&sector=healthcare&perPage=5', 200],
      ['/api/v1/packages', '/api/v1/packages?sectr=healthcare', 400],
      ['/api/v1/packages', '/api/v1/packages?page=0', 400],
      ['/api/v1/packages/{slug}', `/api/v1/packages/${EAST_AFRICA_TELEMEDICINE.slug}`, 200],
      ['/api/v1/packages/{slug}', '/api/v1/packages/no-such-package', 404],
      ['/api/v1/packages/{slug}', `/api/v1/packages/${EAST_AFRICA_TELEMEDICINE.slug}?full=1`, 400],
      ['/api/v1/statistics', '/api/v1/statistics', 200],
      ['/api/v1/statistics', '/api/v1/statistics?year=2026', 400],
      ['/statistics.csv', '/statistics.csv', 200],
      ['/statistics.csv', '/statistics.csv?figure=funnel', 200],
      ['/statistics.csv', '/statistics.csv?figure=nope', 400],
      ['/packages.atom', '/packages.atom', 200],
      ['/packages.atom', '/packages.atom?sector=healthcare&country=ke', 200],
      ['/packages.atom', '/packages.atom?sector=spaceflight', 400],
      ['/packages.atom', '/packages.atom?page=2', 400],
      ['/packages.csv', '/packages.csv?sector=healthcare', 200],
      ['/packages.csv', '/packages.csv?format=xlsx', 400],
      ['/packages.json', '/packages.json?q=telemedicine&region=african-union', 200],
      ['/packages.json', '/packages.json?country=XX', 400],
      ['/downloads/catalog.json', '/downloads/catalog.json', 302],
      ['/downloads/catalog.csv', '/downloads/catalog.csv', 302],
      ['/downloads/catalog.json', '/downloads/catalog.json?x=1', 400],
      ['/api/v1/openapi.json', '/api/v1/openapi.json', 200],
      ['/api/v1/openapi.json', '/api/v1/openapi.json?v=2', 400],
    ];
    for (const [path, url, status] of cases) {
      const response = await get(url);
      expect(response.status(), url).toBe(status);
      const body = await expectDocumented(path, response);
      if (status === 400) {
        expect(response.headers()['content-type']).toBe('application/problem+json');
        expect((body as Json).errors.length, url).toBeGreaterThan(0);
      }
    }
    // The whole-catalog files, at the current version and a superseded one.
    for (const format of ['json', 'csv'] as const) {
      const latest = await get(`/downloads/catalog.${format}`);
      const location = latest.headers()['location']!;
      expect(location).toMatch(new RegExp(`^/downloads/catalog-\\d+\\.${format}$`));
      const file = await get(location);
      expect(file.status()).toBe(200);
      expect(file.headers()['cache-control']).toContain('immutable');
      const body = await expectDocumented(`/downloads/catalog-{version}.${format}`, file);
      if (format === 'json') expect((body as Json).count).toBe(DESIGNATED_TOTAL);
      else expect(parse(body as string, { bom: true, columns: true })).toHaveLength(DESIGNATED_TOTAL);
      const old = await get(`/downloads/catalog-0.${format}`);
      expect(old.status()).toBe(410);
      expect(old.headers()['link']).toContain(location);
      await expectDocumented(`/downloads/catalog-{version}.${format}`, old);
    }
    // Every operation of the document has been called.
    for (const path of Object.keys(openapi.paths)) {
      expect(
        [...checked].some((c) => c.startsWith(`${path} `)),
        `a real answer of ${path} was checked`,
      ).toBe(true);
    }
  });

  test('the Atom feeds are valid RFC 4287, with stable ids and links', async ({ request }) => {
    const whole = await request.get('/packages.atom', { headers: from('10.13.0.3') });
    expect(whole.headers()['content-type']).toContain('application/atom+xml');
    const feed = validateAtom(await whole.text());
    expect(feed.entries.length).toBe(Math.min(50, DESIGNATED_TOTAL));
    expect(feed.links.find((l) => l.rel === 'self')?.href).toMatch(/\/packages\.atom$/);
    for (const entry of feed.entries) expect(entry.id).toMatch(/^tag:127\.0\.0\.1,2025-10-21:packages\/[a-z0-9-]+$/);
    // Newest update first.
    const dates = feed.entries.map((e) => e.updated);
    expect([...dates].sort().reverse()).toEqual(dates);

    const search = validateAtom(
      await (await request.get('/packages.atom?sector=healthcare&country=KE', { headers: from('10.13.0.3') })).text(),
    );
    const api = await (
      await request.get('/api/v1/packages?sector=healthcare&country=KE&perPage=50', { headers: from('10.13.0.3') })
    ).json();
    expect(search.entries.map((e) => e.link.split('/').pop()).sort()).toEqual(api.hits.map((h: Json) => h.slug).sort());
    expect(search.links.find((l) => l.rel === 'self')?.href).toMatch(/\/packages\.atom\?country=KE&sector=healthcare$/);
    expect(search.id).not.toBe(feed.id);
    // The same package has the same entry id in every feed.
    const shared = search.entries[0]!;
    expect(feed.entries.find((e) => e.link === shared.link)?.id).toBe(shared.id);
  });

  test('a search downloads as CSV and JSON, one row per package', async ({ request }) => {
    const headers = from('10.13.0.4');
    const api = await (await request.get('/api/v1/packages?sector=healthcare&perPage=50', { headers })).json();
    const csvResponse = await request.get('/packages.csv?sector=healthcare', { headers });
    expect(csvResponse.headers()['content-type']).toContain('text/csv');
    expect(csvResponse.headers()['content-disposition']).toContain('packages.csv');
    const rows = parse(await csvResponse.text(), { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([
      'slug',
      'title',
      'summary',
      'url',
      'consortium',
      'anchor_member',
      'sectors',
      'target_countries',
      'target_regions',
      'countries',
      'regions',
      'layers',
      'financing',
      'deployment_model',
      'us_origin_content_pct',
      'designated_at',
      'updated_at',
    ]);
    expect(rows).toHaveLength(api.total);
    for (const row of rows) {
      expect(row.sectors!.split('; ')).toContain('healthcare');
      expect(row.designated_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    const json = await (await request.get('/packages.json?sector=healthcare', { headers })).json();
    expect(json.count).toBe(api.total);
    expect(json.query).toEqual({ sector: ['healthcare'] });
    expect(json.packages.map((p: Json) => p.slug).sort()).toEqual(rows.map((r) => r.slug).sort());
  });

  test('conditional requests: ETag and Last-Modified give 304', async ({ request }) => {
    const headers = from('10.13.0.5');
    for (const url of [
      `/api/v1/packages/${EAST_AFRICA_TELEMEDICINE.slug}`,
      '/api/v1/packages?q=gpu',
      '/api/v1/statistics',
      '/packages.atom?sector=healthcare',
      '/packages.csv',
      '/sitemap.xml',
    ]) {
      const first = await request.get(url, { headers });
      expect(first.status(), url).toBe(200);
      const etag = first.headers()['etag']!;
      expect(etag, url).toMatch(/^"[^"]+"$/);
      const again = await request.get(url, { headers: { ...headers, 'if-none-match': etag } });
      expect(again.status(), url).toBe(304);
      expect(await again.text(), url).toBe('');
      expect(again.headers()['etag']).toBe(etag);
      const changed = await request.get(url, { headers: { ...headers, 'if-none-match': '"something-else"' } });
      expect(changed.status(), url).toBe(200);
    }
    const pkg = await request.get(`/api/v1/packages/${EAST_AFRICA_TELEMEDICINE.slug}`, { headers });
    const lastModified = pkg.headers()['last-modified']!;
    expect(new Date(lastModified).getTime()).toBeGreaterThan(0);
    const since = await request.get(`/api/v1/packages/${EAST_AFRICA_TELEMEDICINE.slug}`, {
      headers: { ...headers, 'if-modified-since': lastModified },
    });
    expect(since.status()).toBe(304);
    const before = await request.get(`/api/v1/packages/${EAST_AFRICA_TELEMEDICINE.slug}`, {
      headers: { ...headers, 'if-modified-since': new Date(Date.parse(lastModified) - 86_400_000).toUTCString() },
    });
    expect(before.status()).toBe(200);
  });

  test('fair use: RateLimit headers, then 429 with Retry-After past the limit, per client', async ({ request }) => {
    const headers = from('10.13.9.9');
    const first = await request.get('/api/v1/openapi.json', { headers });
    const policy = /^"default";q=(\d+);w=(\d+)$/.exec(first.headers()['ratelimit-policy'] ?? '');
    expect(policy, 'RateLimit-Policy').toBeTruthy();
    const limit = Number(policy![1]);
    expect(first.headers()['ratelimit']).toMatch(new RegExp(`^"default";r=${limit - 1};t=\\d+$`));
    let answered = 1;
    let last: APIResponse = first;
    while (answered < limit + 1) {
      const batch = Math.min(25, limit + 1 - answered);
      const responses = await Promise.all(Array.from({ length: batch }, () => request.get('/api/v1/openapi.json', { headers })));
      answered += batch;
      last = responses.find((r) => r.status() === 429) ?? responses.at(-1)!;
      if (last.status() === 429) break;
    }
    expect(last.status()).toBe(429);
    expect(last.headers()['content-type']).toBe('application/problem+json');
    expect(Number(last.headers()['retry-after'])).toBeGreaterThan(0);
    expect(last.headers()['ratelimit']).toMatch(/^"default";r=0;t=\d+$/);
    expect((await last.json()).status).toBe(429);
    // Another client is not held back; the site's pages are not limited.
    expect((await request.get('/api/v1/openapi.json', { headers: from('10.13.9.10') })).status()).toBe(200);
    expect((await request.get('/statistics', { headers })).status()).toBe(200);
  });

  test('discovery: sitemap.xml lists every public page and package, robots.txt names it', async ({ request }) => {
    const robots = await (await request.get('/robots.txt')).text();
    expect(robots).toContain('User-agent: *');
    expect(robots).toMatch(/^Sitemap: http:\/\/127\.0\.0\.1:\d+\/sitemap\.xml$/m);
    expect(robots).toContain('Disallow: /account/');
    const sitemap = await request.get('/sitemap.xml');
    expect(sitemap.headers()['content-type']).toContain('application/xml');
    const xml = await sitemap.text();
    expect(xml).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
    expect(locs.filter((p) => p.startsWith('/packages/'))).toHaveLength(DESIGNATED_TOTAL);
    for (const path of [
      '/',
      '/packages',
      '/sectors',
      '/sectors/healthcare',
      '/regions',
      '/regions/asean',
      '/countries/KE',
      '/about',
      '/faq',
      '/statistics',
      '/developers',
    ]) {
      expect(locs, path).toContain(path);
    }
    // Every address it lists answers 200.
    for (const path of locs.filter((p) => !p.startsWith('/packages/')).slice(0, 40)) {
      expect((await request.get(path)).status(), path).toBe(200);
    }
  });
});

/**
 * As tests/e2e/a11y.spec.ts does: axe cannot run in a context with JavaScript off, so in the
 * no-js project the page is loaded with JavaScript on but a CSP of `script-src 'none'`, so that
 * none of the site's scripts run (the page as without JavaScript) while axe still can.
 */
async function withoutSiteScripts(page: Page, testInfo: TestInfo): Promise<void> {
  if (!noJs(testInfo)) return;
  await page.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.continue();
    const response = await route.fetch({ maxRedirects: 0 });
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "script-src 'none'" } });
  });
}

const noJs = (testInfo: TestInfo) => testInfo.project.name === 'no-js';

test.describe('pages', () => {
  test.use({ javaScriptEnabled: true });

  test('a package page carries schema.org JSON-LD that the CSP lets be', async ({ page }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`/packages/${EAST_AFRICA_TELEMEDICINE.slug}`);
    const raw = await page.locator('script[type="application/ld+json"]').textContent();
    const data = JSON.parse(raw ?? '');
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Service',
      name: EAST_AFRICA_TELEMEDICINE.title,
      provider: { '@type': 'Organization' },
    });
    expect(data.url).toMatch(new RegExp(`/packages/${EAST_AFRICA_TELEMEDICINE.slug}$`));
    expect(data.areaServed).toContainEqual(expect.objectContaining({ '@type': 'Country', identifier: 'KE' }));
    expect(violations).toEqual([]);
  });

  test('the statistics page: charts drawn on the server, tables, CSV, accessible', async ({ page }, testInfo) => {
    // axe over ten charts and their tables takes a while on a busy two-core machine.
    test.setTimeout(240_000);
    await withoutSiteScripts(page, testInfo);
    const response = await page.goto('/statistics');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: 'Program statistics' })).toBeVisible();
    const html = (await response?.text()) ?? '';
    // No chart script: the page ships no JavaScript at all.
    expect(html).not.toMatch(/<script(?![^>]*application\/ld\+json)/);
    const figures = page.locator('figure.aix-chart');
    await expect(figures).toHaveCount(10);
    for (const figure of await figures.all()) {
      await expect(figure.locator('svg')).toHaveCount(1);
      await expect(figure.locator('.aix-chart__summary')).not.toBeEmpty();
      await expect(figure.locator('table')).toHaveCount(1);
      await expect(figure.getByRole('link', { name: /This figure as CSV/ })).toHaveCount(1);
    }
    // The sector chart's table: the demo catalog's healthcare packages, as the API counts them.
    const api = await (await page.request.get('/api/v1/packages?sector=healthcare', { headers: from('10.13.0.6') })).json();
    const sectors = page.getByRole('figure', { name: 'Designated packages by sector' });
    await sectors.getByText(/^Data table/).click();
    await expect(sectors.getByRole('row', { name: new RegExp(`^Healthcare ${api.total}$`) })).toBeVisible();
    // Small counts are withheld, and the page says so.
    await expect(page.getByText(/any count of introductions or buyers from 1 to 4 is withheld/)).toBeVisible();
    await expectNoAxeViolations(page, testInfo, 'statistics');

    const csv = await page.request.get('/statistics.csv?figure=packages-by-sector', { headers: from('10.13.0.6') });
    const rows = parse(await csv.text(), { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['figure', 'key', 'label', 'value', 'withheld']);
    expect(rows.find((r) => r.key === 'healthcare')?.value).toBe(String(api.total));
  });

  test('the developers page documents every endpoint, and the footer links both pages', async ({ page }, testInfo) => {
    test.setTimeout(240_000);
    await withoutSiteScripts(page, testInfo);
    await page.goto('/');
    const footer = page.getByRole('navigation', { name: 'Program information' });
    await footer.getByRole('link', { name: 'Statistics' }).click();
    await expect(page).toHaveURL(/\/statistics$/);
    await page.getByRole('navigation', { name: 'Program information' }).getByRole('link', { name: 'Open data and API' }).click();
    await expect(page).toHaveURL(/\/developers$/);
    for (const path of [
      '/api/v1/packages',
      '/api/v1/packages/{slug}',
      '/api/v1/statistics',
      '/packages.atom',
      '/packages.csv',
      '/downloads/catalog-{version}.json',
    ]) {
      await expect(page.getByRole('heading', { name: `GET ${path}`, exact: true })).toBeVisible();
    }
    await expectNoAxeViolations(page, testInfo, 'developers');
  });

  test('the search page links its results as CSV, JSON and a feed', async ({ page }) => {
    await page.goto('/packages?sector=healthcare&sort=newest');
    await expect(page.getByRole('link', { name: 'CSV', exact: true })).toHaveAttribute('href', '/packages.csv?sector=healthcare');
    await expect(page.getByRole('link', { name: 'Atom feed' })).toHaveAttribute('href', '/packages.atom?sector=healthcare');
  });
});
