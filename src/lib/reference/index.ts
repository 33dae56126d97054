import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { countryName, isCountryCode } from './countries.ts';
import { FinancingData, RegionData, SectorData } from './schemas.ts';
import { loadPolicy, type PolicyData } from './policy.ts';

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
  sectorName(slug: string): string;
  regionName(slug: string): string;
  financingName(slug: string): string;
  countryName(code: string): string;
  /** Blocs the country belongs to. */
  regionsOf(code: string): string[];
}

function frontmatter(source: string): unknown {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(source);
  return match ? parseYaml(match[1] ?? '') : {};
}

async function readCollection<S extends z.ZodType>(dir: string, schema: S): Promise<Map<string, z.infer<S> & { slug: string }>> {
  const entries = new Map<string, z.infer<S> & { slug: string }>();
  for (const file of (await readdir(dir)).sort()) {
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

async function build(dir: string): Promise<Reference> {
  const [sectors, regions, financing, policy] = await Promise.all([
    readCollection(join(dir, 'sectors'), SectorData),
    readCollection(join(dir, 'regions'), RegionData),
    readCollection(join(dir, 'financing'), FinancingData),
    loadPolicy(dir),
  ]);
  const membership = new Map<string, string[]>();
  for (const region of regions.values()) {
    for (const code of region.members) {
      if (!isCountryCode(code)) throw new Error(`content/regions/${region.slug}: ${code} is not an ISO 3166-1 code`);
      membership.set(code, [...(membership.get(code) ?? []), region.slug]);
    }
  }
  return {
    sectors,
    regions,
    financing,
    policy,
    sectorName: (slug) => sectors.get(slug)?.name ?? slug,
    regionName: (slug) => regions.get(slug)?.shortName ?? slug,
    financingName: (slug) => {
      const tool = financing.get(slug);
      return tool ? `${tool.agencyShort}: ${tool.name}` : slug;
    },
    countryName: (code) => countryName(code) ?? code,
    regionsOf: (code) => membership.get(code) ?? [],
  };
}
