import countries from 'i18n-iso-countries';
import ar from 'i18n-iso-countries/langs/ar.json' with { type: 'json' };
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import es from 'i18n-iso-countries/langs/es.json' with { type: 'json' };
import fr from 'i18n-iso-countries/langs/fr.json' with { type: 'json' };
import id from 'i18n-iso-countries/langs/id.json' with { type: 'json' };
import pt from 'i18n-iso-countries/langs/pt.json' with { type: 'json' };
import vi from 'i18n-iso-countries/langs/vi.json' with { type: 'json' };

// Country names in each of the site's languages, from the maintained CLDR-based tables.
for (const locale of [en, es, fr, ar, pt, id, vi]) countries.registerLocale(locale);

/**
 * English short names as U.S. government sites write them (the State Department's list of
 * independent states and its usage), where they differ from the ISO 3166 names the library
 * gives ("Taiwan, Province of China", "Myanmar", "Lao People's Democratic Republic").
 */
const US_GOVERNMENT_NAMES: Readonly<Record<string, string>> = {
  BN: 'Brunei',
  CD: 'Democratic Republic of the Congo',
  CG: 'Republic of the Congo',
  CI: "Côte d'Ivoire",
  CZ: 'Czechia',
  FM: 'Micronesia',
  IR: 'Iran',
  KP: 'North Korea',
  KR: 'South Korea',
  LA: 'Laos',
  MD: 'Moldova',
  MK: 'North Macedonia',
  MM: 'Burma',
  RU: 'Russia',
  SY: 'Syria',
  TW: 'Taiwan',
  TZ: 'Tanzania',
  US: 'United States',
  VA: 'Holy See',
};

/** ISO 3166-1 alpha-2 codes with their English short names, from i18n-iso-countries. */
export function countryName(code: string, locale = 'en'): string | undefined {
  if (locale === 'en' && US_GOVERNMENT_NAMES[code]) return US_GOVERNMENT_NAMES[code];
  // English: the official short name; other languages: the name in everyday use.
  return countries.getName(code, locale, { select: locale === 'en' ? 'official' : 'alias' }) ?? undefined;
}

export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && countries.isValid(code);
}

export function allCountryCodes(): string[] {
  return Object.keys(countries.getAlpha2Codes()).sort();
}
