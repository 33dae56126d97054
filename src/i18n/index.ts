import { en, type MessageKey } from './en.ts';

export type { MessageKey } from './en.ts';
export type Lang = 'en';
export const DEFAULT_LANG: Lang = 'en';

const catalogs: Record<Lang, Record<MessageKey, string>> = { en };

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
  (key: MessageKey, params?: Params): string;
  /** `<key>.one` / `<key>.other` chosen by the plural rules of the language for `count`. */
  plural(key: string, count: number, params?: Params): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  date(value: Date | string): string;
  /** Date and time of day (UTC), e.g. for who saved a record when. */
  dateTime(value: Date | string): string;
}

export function useTranslations(lang: Lang = DEFAULT_LANG): Translator {
  const messages = catalogs[lang];
  const rules = new Intl.PluralRules(lang);
  const t = ((key: MessageKey, params?: Params) => interpolate(messages[key] ?? key, params)) as Translator;
  t.lang = lang;
  t.plural = (key, count, params) => {
    const form = `${key}.${rules.select(count)}` as MessageKey;
    const chosen = form in messages ? form : (`${key}.other` as MessageKey);
    return t(chosen, { count: t.number(count), ...params });
  };
  t.number = (value, options) => new Intl.NumberFormat(lang, options).format(value);
  t.date = (value) => new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(value));
  t.dateTime = (value) =>
    new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(value));
  return t;
}
