import { expect, test } from '@playwright/test';
import { EAST_AFRICA_TELEMEDICINE, meilisearchMasterKey } from './support.ts';

// The JSON API, the health checks, and the secret that must never reach a browser.
// (Runs in the `chromium` project only: none of it depends on the page's JavaScript.)

test.describe('API /api/v1/packages', () => {
  test('search answers {hits, facets, total, page, perPage}', async ({ request }) => {
    const response = await request.get('/api/v1/packages?q=gpu');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^application\/json/);
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(['facets', 'hits', 'page', 'perPage', 'total']);
    expect(body.page).toBe(1);
    expect(body.perPage).toBe(20);
    expect(body.total).toBeGreaterThan(0);
    expect(body.hits.length).toBe(Math.min(body.total, body.perPage));
    for (const hit of body.hits) {
      expect(hit).toEqual(
        expect.objectContaining({
          slug: expect.stringMatching(/^[a-z0-9-]+$/),
          title: expect.any(String),
          summary: expect.any(String),
          sectors: expect.any(Array),
          countries: expect.any(Array),
          regions: expect.any(Array),
          layers: expect.any(Array),
        }),
      );
      expect(hit.sectors.length).toBeGreaterThan(0);
      expect(hit.layers.length).toBeGreaterThan(0);
    }
    for (const name of ['sectors', 'countries', 'regions', 'layers', 'financing']) {
      expect(body.facets, `facet ${name}`).toHaveProperty(name);
    }
    const sectorTotal = Object.values(body.facets.sectors as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(sectorTotal).toBeGreaterThanOrEqual(body.total);
  });

  test('a typo still finds, filters and paging apply', async ({ request }) => {
    const typo = await (await request.get('/api/v1/packages?q=telemedcine')).json();
    expect(typo.hits.map((h: { slug: string }) => h.slug)).toContain(EAST_AFRICA_TELEMEDICINE.slug);

    const filtered = await (await request.get('/api/v1/packages?sector=healthcare&region=african-union')).json();
    expect(filtered.total).toBe(2);
    for (const hit of filtered.hits) {
      expect(hit.sectors).toContain('healthcare');
      expect(hit.regions).toContain('african-union');
    }

    const paged = await (await request.get('/api/v1/packages?perPage=5&page=2')).json();
    expect(paged.page).toBe(2);
    expect(paged.perPage).toBe(5);
    expect(paged.hits).toHaveLength(5);
  });

  test('perPage=500 → 400 problem+json naming perPage', async ({ request }) => {
    const response = await request.get('/api/v1/packages?perPage=500');
    expect(response.status()).toBe(400);
    expect(response.headers()['content-type']).toBe('application/problem+json');
    const problem = await response.json();
    expect(problem).toMatchObject({ status: 400, title: expect.any(String) });
    expect(problem.detail).toContain('perPage');
    expect(problem.errors).toEqual([expect.objectContaining({ param: 'perPage' })]);
  });

  test('q of 201 characters → 400 problem+json naming q', async ({ request }) => {
    const ok = await request.get(`/api/v1/packages?q=${'a'.repeat(200)}`);
    expect(ok.status()).toBe(200);
    const response = await request.get(`/api/v1/packages?q=${'a'.repeat(201)}`);
    expect(response.status()).toBe(400);
    expect(response.headers()['content-type']).toBe('application/problem+json');
    const problem = await response.json();
    expect(problem.errors).toEqual([expect.objectContaining({ param: 'q' })]);
  });

  test('an unknown facet value → 400 naming it', async ({ request }) => {
    const response = await request.get('/api/v1/packages?sector=spaceflight');
    expect(response.status()).toBe(400);
    const problem = await response.json();
    expect(problem.errors).toEqual([
      expect.objectContaining({ param: 'sector', detail: expect.stringContaining('spaceflight') }),
    ]);
  });

  test('/api/v1/packages/<slug> answers the whole package', async ({ request }) => {
    const response = await request.get(`/api/v1/packages/${EAST_AFRICA_TELEMEDICINE.slug}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^application\/json/);
    const pkg = await response.json();
    expect(pkg).toMatchObject({
      slug: EAST_AFRICA_TELEMEDICINE.slug,
      title: EAST_AFRICA_TELEMEDICINE.title,
      status: 'designated',
      sectors: ['healthcare'],
      targetCountries: expect.arrayContaining(['KE']),
      targetRegions: ['african-union'],
    });
    const text = JSON.stringify(pkg);
    for (const part of ['consortium', 'layers', 'businessModel', 'financing', 'compliance']) expect(text).toContain(`"${part}"`);
    for (const layer of ['hardware', 'data', 'models', 'security', 'applications']) expect(text).toContain(`"${layer}"`);
  });

  test('an unknown slug → 404 problem+json', async ({ request }) => {
    const response = await request.get('/api/v1/packages/no-such-package');
    expect(response.status()).toBe(404);
    expect(response.headers()['content-type']).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 404, title: 'Package not found' });
  });
});

test.describe('health checks', () => {
  test('/healthz → 200', async ({ request }) => {
    const response = await request.get('/healthz');
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test('/readyz → 200 with the database and search checks ok', async ({ request }) => {
    const response = await request.get('/readyz');
    expect(response.status()).toBe(200);
    expect(response.headers()['cache-control']).toBe('no-store');
    const body = await response.json();
    expect(body.checks.database).toBe('ok');
    expect(body.checks.search).toBe('ok');
  });
});

test.describe('secrets', () => {
  test('no page, script or API answer contains the Meilisearch master key', async ({ page, request }) => {
    const key = meilisearchMasterKey();
    expect(key.length).toBeGreaterThanOrEqual(16);

    const scripts = new Set<string>();
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith('/_astro/') && url.pathname.endsWith('.js')) scripts.add(url.pathname);
    });
    const paths = [
      '/',
      '/packages',
      '/packages?q=gpu',
      '/packages?sector=healthcare',
      '/packages?sector=spaceflight',
      `/packages/${EAST_AFRICA_TELEMEDICINE.slug}`,
      '/sectors',
      '/sectors/healthcare',
      '/regions',
      '/regions/asean',
      '/countries/KE',
      '/about',
      '/designation',
      '/how-introductions-work',
      '/faq',
      '/no-such-page',
    ];
    for (const path of paths) {
      const response = await page.goto(path);
      const html = (await response?.text()) ?? '';
      expect(html.length, path).toBeGreaterThan(0);
      expect(html.includes(key), `master key in the HTML of ${path}`).toBe(false);
    }
    // A search as you type loads more code and HTML.
    await page.goto('/packages');
    await page.getByRole('searchbox', { name: 'Search the catalog' }).pressSequentially('gpu');
    await expect(page).toHaveURL(/\?q=gpu$/);
    expect(await page.content()).not.toContain(key);

    // Every script the pages loaded, and every script those import.
    expect(scripts.size, 'the search page loads its script').toBeGreaterThan(0);
    const seen = new Set<string>();
    const queue = [...scripts];
    while (queue.length) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      const js = await response.text();
      expect(js.includes(key), `master key in ${path}`).toBe(false);
      for (const m of js.matchAll(/["'](?:\.\/|\/_astro\/)([\w.-]+\.js)["']/g)) queue.push(`/_astro/${m[1]}`);
    }

    for (const path of ['/api/v1/packages?q=gpu', `/api/v1/packages/${EAST_AFRICA_TELEMEDICINE.slug}`, '/readyz']) {
      expect((await (await request.get(path)).text()).includes(key), `master key in ${path}`).toBe(false);
    }
  });
});

test.describe('transfer: compression and caching', () => {
  // Node's fetch, not the page's: it sends the Accept-Encoding it is given and shows the raw
  // Content-Encoding and length.
  const raw = (path: string, encoding: string) =>
    fetch(new URL(path, test.info().project.use.baseURL), { headers: { 'accept-encoding': encoding } });

  test('pages, JSON and the stylesheet are sent in brotli, else gzip, else as they are', async ({ request }) => {
    const home = await (await request.get('/')).text();
    const stylesheet = /href="(\/_astro\/[^"]+\.css)"/.exec(home)?.[1];
    expect(stylesheet).toBeTruthy();
    for (const path of ['/', '/packages?q=health', '/api/v1/packages?q=gpu', stylesheet!]) {
      const br = await raw(path, 'br, gzip');
      expect(br.headers.get('content-encoding'), path).toBe('br');
      expect(br.headers.get('vary')?.toLowerCase()).toContain('accept-encoding');
      const gzip = await raw(path, 'gzip');
      expect(gzip.headers.get('content-encoding'), path).toBe('gzip');
      const plain = await raw(path, 'identity');
      expect(plain.headers.get('content-encoding'), path).toBeNull();
      // The same document whichever way it travelled (fetch decodes br and gzip).
      const [a, b, c] = await Promise.all([br.text(), gzip.text(), plain.text()]);
      if (path.startsWith('/_astro/')) expect(a).toBe(c);
      expect(a.length).toBeGreaterThan(1024);
      expect(b.length).toBeGreaterThan(1024);
    }
  });

  test('built assets are immutable for a year; pages are not', async ({ request }) => {
    const home = await request.get('/');
    expect(home.headers()['cache-control'] ?? '').not.toContain('immutable');
    const stylesheet = /href="(\/_astro\/[^"]+\.css)"/.exec(await home.text())![1]!;
    const asset = await request.get(stylesheet);
    expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});
