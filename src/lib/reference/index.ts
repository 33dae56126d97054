import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { countryName, isCountryCode } from './countries.ts';
import { FinancingData, RegionData, SectorData } from './schemas.ts';
import { loadPolicy, type PolicyData } from './policy.ts';
import { LANGS, type Lang } from '../../i18n/index.ts';
import { currentLang } from '../server/locale.ts';

export { countryName, isCountryCode, allCountryCodes } from './countries.ts';

export type Sector = SectorData & { slug: string };
export type Region = RegionData & { slug: string };
export type FinancingTool = FinancingData & { slug: string };

/** The reference data the server needs outside of page rendering: names and bloc membership. */
export interface Reference {
  sectors: Map<string, Sector>;
  regions: Map<string, Region>;
  financing: Map<string, FinancingTool>;
  /** Export policy data (countries of concern, embargoes, EAR country groups). */
  policy: PolicyData;
  /** The entry in the language of the request being answered (English where it has no translation). */
  sector(slug: string): Sector | undefined;
  region(slug: string): Region | undefined;
  financingTool(slug: string): FinancingTool | undefined;
  /** True when the entry has a translation in `lang` (English always). */
  translated(collection: 'sectors' | 'regions' | 'financing', slug: string, lang: Lang): boolean;
  /** Names, in the language of the request being answered. */
  sectorName(slug: string): string;
  regionName(slug: string): string;
  financingName(slug: string): string;
  countryName(code: string): string;
  /** Blocs the country belongs to. */
  regionsOf(code: string): string[];
  /** The same data naming everything in `lang` whatever the request: the search index is English. */
  inLang(lang: Lang): Reference;
  /**
   * The words buyers use for a sector or a stack layer in every language (content/glossary),
   * and the country's name in every language: the search index holds them, so that a query
   * in a buyer's language reaches packages written in English.
   */
  searchTerms(kind: 'sectors' | 'layers', key: string): string[];
  countryNames(code: string): string[];
}

function frontmatter(source: string): unknown {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(source);
  return match ? parseYaml(match[1] ?? '') : {};
}

async function readCollection<S extends z.ZodType>(dir: string, schema: S): Promise<Map<string, z.infer<S> & { slug: string }>> {
  const entries = new Map<string, z.infer<S> & { slug: string }>();
  let files: string[];
  try {
    files = (await readdir(dir)).sort();
  } catch (error) {
    // A language without translations of a collection has no folder for it.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return entries;
    throw error;
  }
  for (const file of files) {
    const ext = extname(file);
    if (!['.md', '.yaml', '.yml'].includes(ext)) continue;
    const source = await readFile(join(dir, file), 'utf8');
    const raw = ext === '.md' ? frontmatter(source) : parseYaml(source);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new Error(`${join(dir, file)}: ${parsed.error.message}`);
    const slug = basename(file, ext);
    entries.set(slug, { ...(parsed.data as object), slug } as z.infer<S> & { slug: string });
  }
  return entries;
}

const cache = new Map<string, Promise<Reference>>();

/** Reads and validates content/ once per directory. */
export function loadReference(contentDir = join(process.cwd(), 'content')): Promise<Reference> {
  const dir = resolve(contentDir);
  let loaded = cache.get(dir);
  if (!loaded) {
    loaded = build(dir);
    cache.set(dir, loaded);
    loaded.catch(() => cache.delete(dir));
  }
  return loaded;
}

/** The translatable fields of each collection: a translation (`content/<collection>/<lang>/<slug>`) gives them. */
const SectorText = SectorData.pick({ name: true, summary: true });
const RegionText = RegionData.pick({ name: true, shortName: true, summary: true });
const FinancingText = FinancingData.pick({ name: true, agency: true, agencyShort: true, summary: true });

type Translations<T> = Map<Lang, Map<string, Partial<T>>>;

async function readTranslations<S extends z.ZodType>(dir: string, schema: S): Promise<Translations<z.infer<S>>> {
  const byLang: Translations<z.infer<S>> = new Map();
  for (const lang of LANGS.filter((l) => l !== 'en')) byLang.set(lang, await readCollection(join(dir, lang), schema));
  return byLang;
}

/** An entry in `lang`: its translated fields over the English entry. */
function localize<T extends { slug: string }>(
  entries: Map<string, T>,
  translations: Translations<unknown>,
  slug: string,
  lang: Lang,
): T | undefined {
  const entry = entries.get(slug);
  if (!entry || lang === 'en') return entry;
  const translated = translations.get(lang)?.get(slug);
  return translated ? { ...entry, ...(translated as Partial<T>), slug } : entry;
}

const Glossary = z.object({
  sectors: z.record(z.string(), z.array(z.string().min(1)).max(20)),
  layers: z.record(z.string(), z.array(z.string().min(1)).max(20)),
});

/** content/glossary/<lang>.yaml, merged: every language's terms per sector and per layer. */
async function readGlossary(dir: string): Promise<Record<'sectors' | 'layers', Map<string, string[]>>> {
  const merged = { sectors: new Map<string, string[]>(), layers: new Map<string, string[]>() };
  for (const lang of LANGS.filter((l) => l !== 'en')) {
    let source: string;
    try {
      source = await readFile(join(dir, `${lang}.yaml`), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const parsed = Glossary.safeParse(parseYaml(source));
    if (!parsed.success) throw new Error(`${join(dir, `${lang}.yaml`)}: ${parsed.error.message}`);
    for (const kind of ['sectors', 'layers'] as const) {
      for (const [key, terms] of Object.entries(parsed.data[kind])) {
        merged[kind].set(key, [...new Set([...(merged[kind].get(key) ?? []), ...terms])]);
      }
    }
  }
  return merged;
}

async function build(dir: string): Promise<Reference> {
  const [sectors, regions, financing, policy, sectorText, regionText, financingText, glossary] = await Promise.all([
    readCollection(join(dir, 'sectors'), SectorData),
    readCollection(join(dir, 'regions'), RegionData),
    readCollection(join(dir, 'financing'), FinancingData),
    loadPolicy(dir),
    readTranslations(join(dir, 'sectors'), SectorText),
    readTranslations(join(dir, 'regions'), RegionText),
    readTranslations(join(dir, 'financing'), FinancingText),
    readGlossary(join(dir, 'glossary')),
  ]);
  const membership = new Map<string, string[]>();
  for (const region of regions.values()) {
    for (const code of region.members) {
      if (!isCountryCode(code)) throw new Error(`content/regions/${region.slug}: ${code} is not an ISO 3166-1 code`);
      membership.set(code, [...(membership.get(code) ?? []), region.slug]);
    }
  }
  const texts = { sectors: sectorText, regions: regionText, financing: financingText } as const;
  const view = (langOf: () => Lang): Reference => {
    const sector = (slug: string) => localize(sectors, sectorText, slug, langOf());
    const region = (slug: string) => localize(regions, regionText, slug, langOf());
    const financingTool = (slug: string) => localize(financing, financingText, slug, langOf());
    return {
      sectors,
      regions,
      financing,
      policy,
      sector,
      region,
      financingTool,
      translated: (collection, slug, lang) => lang === 'en' || !!texts[collection].get(lang)?.has(slug),
      sectorName: (slug) => sector(slug)?.name ?? slug,
      regionName: (slug) => region(slug)?.shortName ?? slug,
      financingName: (slug) => {
        const tool = financingTool(slug);
        return tool ? `${tool.agencyShort}: ${tool.name}` : slug;
      },
      countryName: (code) => countryName(code, langOf()) ?? countryName(code) ?? code,
      regionsOf: (code) => membership.get(code) ?? [],
      inLang: (lang) => view(() => lang),
      searchTerms: (kind, key) => glossary[kind].get(key) ?? [],
      countryNames: (code) => [...new Set(LANGS.map((lang) => countryName(code, lang)).filter((n): n is string => !!n))],
    };
  };
  return view(currentLang);
}
