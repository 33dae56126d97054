import { expect, test } from '@playwright/test';
import { EAST_AFRICA_TELEMEDICINE, expectNoAxeViolations } from './support.ts';

// The site in seven languages: the code in the path (English at the root), the language
// switcher keeping the page and its query, Accept-Language on a first visit, the choice kept in
// a cookie, Arabic right to left — every page type in every language, with and without
// JavaScript (the no-js project runs this file too), axe-clean.

const LANGS = [
  { code: 'en', dir: 'ltr', search: 'Search' },
  { code: 'es', dir: 'ltr', search: 'Buscar' },
  { code: 'fr', dir: 'ltr', search: 'Rechercher' },
  { code: 'ar', dir: 'rtl', search: 'بحث' },
  { code: 'pt', dir: 'ltr', search: 'Pesquisar' },
  { code: 'id', dir: 'ltr', search: 'Cari' },
  { code: 'vi', dir: 'ltr', search: 'Tìm kiếm' },
] as const;
const PAGE_TYPES = [
  '/',
  '/packages?q=telemedicine',
  `/packages/${EAST_AFRICA_TELEMEDICINE.slug}`,
  '/sectors/healthcare',
  '/regions/asean',
  '/countries/KE',
  '/faq',
  '/account/sign-in',
];
const at = (code: string, path: string) => (code === 'en' ? path : path === '/' ? `/${code}` : `/${code}${path}`);

for (const { code, dir, search } of LANGS) {
  test.describe(`in ${code}`, () => {
    for (const path of PAGE_TYPES) {
      test(`${at(code, path)}: lang, dir, the language's words and links, axe`, async ({ page }, testInfo) => {
        const response = await page.goto(at(code, path));
        expect(response?.status()).toBe(200);
        await expect(page.locator('html')).toHaveAttribute('lang', code);
        await expect(page.locator('html')).toHaveAttribute('dir', dir);
        await expect(page.getByRole('navigation', { name: /./ }).first()).toBeVisible();
        // The header's search or the page's own words are the language's.
        if (path === '/' || path.startsWith('/packages?'))
          await expect(page.getByRole('button', { name: search, exact: true })).toBeVisible();
        // The page's own links stay in the language.
        const home = await page.locator('.aix-header__title a').getAttribute('href');
        expect(home).toBe(code === 'en' ? '/' : `/${code}`);
        const canonical = await page.locator('link[rel=canonical]').getAttribute('href');
        expect(new URL(canonical!).pathname).toBe(new URL(at(code, path), 'http://x').pathname);
        expect(await page.locator('link[rel=alternate][hreflang]').count()).toBe(LANGS.length + 1);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(0);
        if (testInfo.project.use.javaScriptEnabled !== false) await expectNoAxeViolations(page, testInfo, at(code, path));
      });
    }
  });
}

test.describe('Arabic on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });
  for (const path of PAGE_TYPES) {
    test(`${at('ar', path)} at 390 px: right to left, no sideways scrolling`, async ({ page }) => {
      await page.goto(at('ar', path));
      await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(0);
    });
  }
});

test('the switcher keeps the page and its query; choosing English is remembered', async ({ page, context }) => {
  await page.goto('/es/packages?q=salud&sector=healthcare');
  await page.getByRole('navigation', { name: 'Idiomas' }).getByRole('link', { name: 'Français' }).click();
  await expect(page).toHaveURL(/\/fr\/packages\?q=salud&sector=healthcare$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  // A search in French keeps to French pages.
  await page.getByRole('searchbox').first().fill('santé');
  await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
  await expect(page).toHaveURL(/\/fr\/packages\?/);
  await page.getByRole('navigation', { name: 'Langues' }).getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/packages\?q=sant%C3%A9|\/packages\?q=santé/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  expect((await context.cookies()).find((c) => c.name === 'aix_lang')?.value).toBe('en');
});

test.describe('a first visit in Spanish', () => {
  test.use({ locale: 'es-MX' });
  test('goes to the Spanish page, and the choice of another language then holds', async ({ page, context }) => {
    await page.goto('/packages?q=energy');
    await expect(page).toHaveURL(/\/es\/packages\?q=energy$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await page.getByRole('navigation', { name: 'Idiomas' }).getByRole('link', { name: 'Português' }).click();
    await expect(page).toHaveURL(/\/pt\/packages\?q=energy$/);
    expect((await context.cookies()).find((c) => c.name === 'aix_lang')?.value).toBe('pt');
    // Back at an English address, the remembered choice wins over Accept-Language.
    await page.goto('/sectors');
    await expect(page).toHaveURL(/\/pt\/sectors$/);
  });
});

test('forms keep the language: a refused sign-in answers in Indonesian', async ({ page }) => {
  await page.goto('/id/account/sign-in');
  await page.getByLabel(/email/i).fill('nobody@example.com');
  await page.locator('main input[type=password]').first().fill('not the password at all');
  await page.locator('main form button[type=submit]').first().click();
  await expect(page).toHaveURL(/\/id\/account\/sign-in/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'id');
  await expect(page.locator('.usa-alert--error, .usa-error-message').first()).toBeVisible();
});

test('the API and files are the same in every language', async ({ request }) => {
  expect((await request.get('/es/api/v1/packages')).status()).toBe(404);
  expect((await request.get('/api/v1/packages', { headers: { 'accept-language': 'es' } })).status()).toBe(200);
  const robots = await request.get('/robots.txt', { headers: { 'accept-language': 'ar' }, maxRedirects: 0 });
  expect(robots.status()).toBe(200);
  // A problem's title follows Accept-Language; what programs read (status, detail) does not change.
  const missing = (language: string) =>
    request.get('/api/v1/packages/no-such-package', { headers: { 'accept-language': language } });
  const [english, spanish, arabic] = await Promise.all([missing('en'), missing('es-MX'), missing('ar')]);
  expect((await english.json()).title).toBe('Package not found');
  const es = await spanish.json();
  expect(spanish.status()).toBe(404);
  expect(es.title).toBe('Paquete no encontrado');
  expect(spanish.headers()['content-language']).toBe('es');
  expect(es.detail).toBe((await english.json()).detail);
  expect((await arabic.json()).title).toBe('الحزمة غير موجودة');
});

// A buyer's own word for a sector reaches the packages written in English (content/glossary):
// none of these words is in the English text of the demo catalog.
const HEALTH_WORDS = [
  { code: 'es', word: 'sanidad' },
  { code: 'fr', word: 'santé' },
  { code: 'ar', word: 'الرعاية الصحية' },
  { code: 'pt', word: 'saúde' },
  { code: 'id', word: 'kesehatan' },
  { code: 'vi', word: 'y tế' },
];
for (const { code, word } of HEALTH_WORDS) {
  test(`search in ${code}: “${word}” finds the healthcare packages`, async ({ page }) => {
    await page.goto(`/${code}/packages?q=${encodeURIComponent(word)}`);
    const results = page.locator('#results');
    await expect(results.getByRole('link', { name: EAST_AFRICA_TELEMEDICINE.title })).toBeVisible();
  });
}
