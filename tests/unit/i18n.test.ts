import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { LANGS, negotiate, ownMessages, TRANSLATED_FEATURES, useTranslations } from '../../src/i18n/index.ts';
import { account } from '../../src/i18n/en/account.ts';
import { alerts } from '../../src/i18n/en/alerts.ts';
import { catalog } from '../../src/i18n/en/catalog.ts';
import { files } from '../../src/i18n/en/files.ts';
import { introductions } from '../../src/i18n/en/introductions.ts';
import { opendata } from '../../src/i18n/en/opendata.ts';
import { organizations } from '../../src/i18n/en/organizations.ts';
import { vetting } from '../../src/i18n/en/vetting.ts';
import { localizeHtml, localizePath, splitLocale } from '../../src/lib/server/locale.ts';

const ENGLISH_FEATURES: Record<(typeof TRANSLATED_FEATURES)[number], Record<string, string>> = {
  catalog,
  account,
  alerts,
  opendata,
  files,
  organizations,
  introductions,
  vetting,
};

describe('translations', () => {
  const t = useTranslations('en');
  it('interpolates parameters', () => {
    expect(t('search.titleWithQuery', { q: 'grid' })).toBe('Packages matching “grid”');
  });
  it('chooses plural forms and formats numbers', () => {
    expect(t.plural('search.count', 1)).toBe('1 package found');
    expect(t.plural('search.count', 0)).toBe('0 packages found');
    expect(t.plural('search.count', 12345)).toBe('12,345 packages found');
  });
  it('formats dates in UTC', () => {
    expect(t.date('2026-03-01T00:00:00Z')).toBe('March 1, 2026');
  });
});

describe('languages', () => {
  it('negotiates Accept-Language: highest q first, a region falls back to its language, none wanted → undefined', () => {
    expect(negotiate('es-MX,es;q=0.9,en;q=0.5')).toBe('es');
    expect(negotiate('de-DE, fr;q=0.8, en;q=0.7')).toBe('fr');
    expect(negotiate('en;q=0.4, ar-SA;q=0.9')).toBe('ar');
    expect(negotiate('pt-BR')).toBe('pt');
    expect(negotiate('de, ja;q=0.5')).toBeUndefined();
    expect(negotiate('vi;q=0, id;q=0.1')).toBe('id');
    expect(negotiate('*')).toBe('en');
    expect(negotiate('')).toBeUndefined();
    expect(negotiate(null)).toBeUndefined();
    expect(negotiate('es;q=abc, fr;q=0.5')).toBe('es');
  });

  it('falls back to English for a key a language lacks (staff pages), and never shows a raw key', () => {
    const es = useTranslations('es');
    expect(es('search.button')).toBe('Buscar');
    // Review pages stay English in every language.
    expect(es('review.title')).not.toBe('review.title');
    expect(es('review.title')).toBe(useTranslations('en')('review.title'));
  });

  it('chooses every plural form a language has (Arabic: zero, one, two, few, many, other)', () => {
    const ar = useTranslations('ar');
    const forms = new Set([0, 1, 2, 3, 11, 100].map((n) => ar.plural('search.count', n)));
    expect(forms.size).toBe(6);
    expect(ar.plural('search.count', 3)).toContain('3');
    const fr = useTranslations('fr');
    expect(fr.plural('search.count', 0)).toBe(fr.plural('search.count', 1).replace('1', '0'));
  });

  it('formats numbers, dates and lists in the language; Arabic keeps Latin digits and is right to left', () => {
    expect(useTranslations('es').number(12345.5)).toBe('12.345,5');
    expect(useTranslations('fr').date('2026-03-01T00:00:00Z')).toBe('1 mars 2026');
    expect(useTranslations('ar').number(72)).toBe('72');
    expect(useTranslations('ar').dir).toBe('rtl');
    expect(useTranslations('vi').dir).toBe('ltr');
    expect(useTranslations('pt').list(['a', 'b', 'c'])).toBe('a, b e c');
    // Made once per language.
    expect(useTranslations('id')).toBe(useTranslations('id'));
  });

  it('every language has every key of the public and buyer messages, with the same placeholders', () => {
    const english = useTranslations('en');
    for (const lang of LANGS.filter((l) => l !== 'en')) {
      const own = ownMessages(lang);
      const missing: string[] = [];
      const placeholders: string[] = [];
      for (const feature of TRANSLATED_FEATURES) {
        for (const [key, text] of Object.entries(ENGLISH_FEATURES[feature])) {
          if (!(key in own)) missing.push(key);
          else if (!/\.(one|zero|two)$/.test(key)) {
            const names = (s: string) =>
              [...s.matchAll(/\{(\w+)\}/g)]
                .map((m) => m[1])
                .sort()
                .join(',');
            if (names(own[key]!) !== names(text)) placeholders.push(key);
          }
        }
      }
      expect(missing, `${lang}: keys missing`).toEqual([]);
      expect(placeholders, `${lang}: placeholders differ`).toEqual([]);
      expect(english('site.name')).not.toBe(useTranslations(lang)('site.name'));
    }
  });
});

describe('content in every language', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '../../content');
  const entries = (dir: string) =>
    readdirSync(join(root, dir))
      .filter((f) => /\.(md|ya?ml)$/.test(f))
      .sort();
  for (const collection of ['sectors', 'regions', 'financing', 'pages']) {
    it(`${collection}: every entry has a translation in every language`, () => {
      const english = entries(collection);
      expect(english.length).toBeGreaterThan(0);
      for (const lang of LANGS.filter((l) => l !== 'en'))
        expect(entries(`${collection}/${lang}`), `${collection}/${lang}`).toEqual(english);
    });
  }
  it('the search glossary names every sector and layer in every language', () => {
    const sectors = entries('sectors').map((f) => f.replace(/\.md$/, ''));
    for (const lang of LANGS.filter((l) => l !== 'en')) {
      const glossary = parseYaml(readFileSync(join(root, 'glossary', `${lang}.yaml`), 'utf8')) as {
        sectors: Record<string, string[]>;
        layers: Record<string, string[]>;
      };
      expect(Object.keys(glossary.sectors).sort(), lang).toEqual(sectors);
      expect(Object.keys(glossary.layers).sort(), lang).toEqual(['applications', 'data', 'hardware', 'models', 'security']);
    }
  });
});

describe('language in the path', () => {
  it('splits the code off a page path and puts it back', () => {
    expect(splitLocale('/es/packages?q=x')).toEqual({ lang: 'es', rest: '/packages?q=x' });
    expect(splitLocale('/ar')).toEqual({ lang: 'ar', rest: '/' });
    expect(splitLocale('/ar?x=1')).toEqual({ lang: 'ar', rest: '/?x=1' });
    expect(splitLocale('/estonia')).toEqual({ rest: '/estonia' });
    expect(localizePath('/packages?q=x', 'es')).toBe('/es/packages?q=x');
    expect(localizePath('/', 'vi')).toBe('/vi');
    expect(localizePath('/packages', 'en')).toBe('/packages');
    expect(localizePath('/_astro/a.css', 'es')).toBe('/_astro/a.css');
    expect(localizePath('/api/v1/packages', 'es')).toBe('/api/v1/packages');
    expect(localizePath('/packages.atom', 'es')).toBe('/packages.atom');
    expect(localizePath('/fr/packages', 'es')).toBe('/fr/packages');
  });
  it("rewrites the page's own links and forms, not absolute URLs or assets", () => {
    const html =
      '<a href="/packages">x</a><form action="/buyer/searches"><link rel="stylesheet" href="/_astro/x.css"><a href="https://e.x/packages"><a href="/en/packages">';
    expect(localizeHtml(html, 'pt')).toBe(
      '<a href="/pt/packages">x</a><form action="/pt/buyer/searches"><link rel="stylesheet" href="/_astro/x.css"><a href="https://e.x/packages"><a href="/en/packages">',
    );
    expect(localizeHtml(html, 'en')).toBe(html);
  });
});
