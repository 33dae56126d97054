import { getEntry, type CollectionEntry } from 'astro:content';
import { DEFAULT_LANG, type Lang } from '../../i18n/index.ts';

const TRANSLATIONS = { sectors: 'sectorTranslations', pages: 'pageTranslations' } as const;
type Localized = keyof typeof TRANSLATIONS;

export interface LocalEntry<C extends Localized> {
  /** The English entry's data with the translated fields over it. */
  data: CollectionEntry<C>['data'];
  /** What to render: the translation, or the English entry. */
  body: CollectionEntry<C> | CollectionEntry<(typeof TRANSLATIONS)[C]>;
  /** True when the language has no translation of it and the English is shown. */
  fallback: boolean;
}

/** A content entry (a sector, a program page) in `lang`, English where it has no translation. */
export async function localEntry<C extends Localized>(collection: C, id: string, lang: Lang): Promise<LocalEntry<C> | undefined> {
  const english = (await getEntry(collection, id)) as CollectionEntry<C> | undefined;
  if (!english) return undefined;
  if (lang === DEFAULT_LANG) return { data: english.data, body: english, fallback: false };
  const translated = (await getEntry(TRANSLATIONS[collection], `${lang}/${id}`)) as
    CollectionEntry<(typeof TRANSLATIONS)[C]> | undefined;
  if (!translated) return { data: english.data, body: english, fallback: true };
  return { data: { ...english.data, ...translated.data }, body: translated, fallback: false };
}
