import { en, type MessageKey } from './en.ts';
import { catalog as es_catalog } from './es/catalog.ts';
import { account as es_account } from './es/account.ts';
import { alerts as es_alerts } from './es/alerts.ts';
import { opendata as es_opendata } from './es/opendata.ts';
import { files as es_files } from './es/files.ts';
import { organizations as es_organizations } from './es/organizations.ts';
import { introductions as es_introductions } from './es/introductions.ts';
import { vetting as es_vetting } from './es/vetting.ts';
import { catalog as fr_catalog } from './fr/catalog.ts';
import { account as fr_account } from './fr/account.ts';
import { alerts as fr_alerts } from './fr/alerts.ts';
import { opendata as fr_opendata } from './fr/opendata.ts';
import { files as fr_files } from './fr/files.ts';
import { organizations as fr_organizations } from './fr/organizations.ts';
import { introductions as fr_introductions } from './fr/introductions.ts';
import { vetting as fr_vetting } from './fr/vetting.ts';
import { catalog as ar_catalog } from './ar/catalog.ts';
import { account as ar_account } from './ar/account.ts';
import { alerts as ar_alerts } from './ar/alerts.ts';
import { opendata as ar_opendata } from './ar/opendata.ts';
import { files as ar_files } from './ar/files.ts';
import { organizations as ar_organizations } from './ar/organizations.ts';
import { introductions as ar_introductions } from './ar/introductions.ts';
import { vetting as ar_vetting } from './ar/vetting.ts';
import { catalog as pt_catalog } from './pt/catalog.ts';
import { account as pt_account } from './pt/account.ts';
import { alerts as pt_alerts } from './pt/alerts.ts';
import { opendata as pt_opendata } from './pt/opendata.ts';
import { files as pt_files } from './pt/files.ts';
import { organizations as pt_organizations } from './pt/organizations.ts';
import { introductions as pt_introductions } from './pt/introductions.ts';
import { vetting as pt_vetting } from './pt/vetting.ts';
import { catalog as id_catalog } from './id/catalog.ts';
import { account as id_account } from './id/account.ts';
import { alerts as id_alerts } from './id/alerts.ts';
import { opendata as id_opendata } from './id/opendata.ts';
import { files as id_files } from './id/files.ts';
import { organizations as id_organizations } from './id/organizations.ts';
import { introductions as id_introductions } from './id/introductions.ts';
import { vetting as id_vetting } from './id/vetting.ts';
import { catalog as vi_catalog } from './vi/catalog.ts';
import { account as vi_account } from './vi/account.ts';
import { alerts as vi_alerts } from './vi/alerts.ts';
import { opendata as vi_opendata } from './vi/opendata.ts';
import { files as vi_files } from './vi/files.ts';
import { organizations as vi_organizations } from './vi/organizations.ts';
import { introductions as vi_introductions } from './vi/introductions.ts';
import { vetting as vi_vetting } from './vi/vetting.ts';

export type { MessageKey } from './en.ts';

/**
 * The site's languages: English (the program's working language, at the root of the site) and
 * the languages of the buyers it courts. Staff and supplier pages are English; a key missing in
 * a language falls back to English.
 */
export const LANGS = ['en', 'es', 'fr', 'ar', 'pt', 'id', 'vi'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'en';

/** Each language's own name, as its speakers write it (the language switcher). */
export const LANG_NAMES: Record<Lang, string> = {
  en: 'English',
  es: 'Español',
  fr: 'Français',
  ar: 'العربية',
  pt: 'Português',
  id: 'Bahasa Indonesia',
  vi: 'Tiếng Việt',
};

/** Languages written right to left. */
const RTL: ReadonlySet<Lang> = new Set<Lang>(['ar']);

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

export function direction(lang: Lang): 'ltr' | 'rtl' {
  return RTL.has(lang) ? 'rtl' : 'ltr';
}

/** The features whose messages the public and buyer pages use: every language has all of them. */
export const TRANSLATED_FEATURES = [
  'catalog',
  'account',
  'alerts',
  'opendata',
  'files',
  'organizations',
  'introductions',
  'vetting',
] as const;

const translated: Record<Exclude<Lang, 'en'>, Record<string, string>[]> = {
  es: [es_catalog, es_account, es_alerts, es_opendata, es_files, es_organizations, es_introductions, es_vetting],
  fr: [fr_catalog, fr_account, fr_alerts, fr_opendata, fr_files, fr_organizations, fr_introductions, fr_vetting],
  ar: [ar_catalog, ar_account, ar_alerts, ar_opendata, ar_files, ar_organizations, ar_introductions, ar_vetting],
  pt: [pt_catalog, pt_account, pt_alerts, pt_opendata, pt_files, pt_organizations, pt_introductions, pt_vetting],
  id: [id_catalog, id_account, id_alerts, id_opendata, id_files, id_organizations, id_introductions, id_vetting],
  vi: [vi_catalog, vi_account, vi_alerts, vi_opendata, vi_files, vi_organizations, vi_introductions, vi_vetting],
};

type Messages = Record<string, string>;
const catalogs: Record<Lang, Messages> = Object.fromEntries(
  LANGS.map((lang) => [lang, lang === 'en' ? en : Object.assign({}, en, ...translated[lang])]),
) as Record<Lang, Messages>;

/** The messages a language's own files give (no English fallback): for the completeness test. */
export function ownMessages(lang: Exclude<Lang, 'en'>): Messages {
  return Object.assign({}, ...translated[lang]);
}

export type Params = Record<string, string | number>;

/**
 * Another language's file for one feature's English messages (`src/i18n/<lang>/<feature>.ts`):
 * every key of the English file, no other.
 */
export type Translation<English> = { readonly [Key in keyof English]: string };

function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export interface Translator {
  lang: Lang;
  /** `ltr`, or `rtl` for Arabic. */
  dir: 'ltr' | 'rtl';
  (key: MessageKey, params?: Params): string;
  /** `<key>.<form>` chosen by the plural rules of the language for `count` (`.other` when the form is missing). */
  plural(key: string, count: number, params?: Params): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  date(value: Date | string): string;
  /** Date and time of day (UTC), e.g. for who saved a record when. */
  dateTime(value: Date | string): string;
  /** "a, b and c" in the language. */
  list(items: readonly string[]): string;
}

/**
 * The locale the `Intl` formats use: the language, with Latin digits for Arabic (figures,
 * dates and package data read the same as in the documents buyers and consortia exchange).
 */
export function intlLocale(lang: Lang): string {
  return lang === 'ar' ? 'ar-u-nu-latn' : lang;
}

const translators = new Map<Lang, Translator>();

/** The translator of `lang`; one per language, made once, with its formatters made once. */
export function useTranslations(lang: Lang = DEFAULT_LANG): Translator {
  const made = translators.get(lang);
  if (made) return made;
  const messages = catalogs[lang];
  const locale = intlLocale(lang);
  const rules = new Intl.PluralRules(locale);
  const integer = new Intl.NumberFormat(locale);
  const numberFormats = new Map<string, Intl.NumberFormat>();
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const dayAndTime = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  const lists = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
  const t = ((key: MessageKey, params?: Params) => interpolate(messages[key] ?? key, params)) as Translator;
  t.lang = lang;
  t.dir = direction(lang);
  t.plural = (key, count, params) => {
    const form = `${key}.${rules.select(count)}`;
    const chosen = (form in messages ? form : `${key}.other`) as MessageKey;
    return t(chosen, { count: t.number(count), ...params });
  };
  t.number = (value, options) => {
    if (!options) return integer.format(value);
    const id = JSON.stringify(options);
    let format = numberFormats.get(id);
    if (!format) {
      format = new Intl.NumberFormat(locale, options);
      // The site asks for a handful of formats; a cap keeps a stray caller from growing it.
      if (numberFormats.size < 64) numberFormats.set(id, format);
    }
    return format.format(value);
  };
  t.date = (value) => day.format(new Date(value));
  t.dateTime = (value) => dayAndTime.format(new Date(value));
  t.list = (items) => lists.format(items);
  translators.set(lang, t);
  return t;
}

/**
 * The best of the site's languages for an `Accept-Language` header (RFC 9110 §12.5.4: the
 * highest q first, a region falling back to its language), or undefined when none is wanted.
 */
export function negotiate(header: string | null | undefined): Lang | undefined {
  if (!header) return undefined;
  const wanted = header
    .split(',')
    .slice(0, 32)
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1]).find(Boolean);
      return { range: range.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((w) => w.range && w.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { range } of wanted) {
    if (range === '*') return DEFAULT_LANG;
    const primary = range.split('-')[0];
    if (isLang(primary)) return primary;
  }
  return undefined;
}
