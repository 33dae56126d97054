import { z } from 'zod';
import type { Settings } from 'meilisearch';
import { LAYER_KEYS, type LayerKey, type PackageRow } from '../../db/schema/package.ts';

/** The catalog index: one document per designated package. */
export const PACKAGES_INDEX = 'packages';

export const FACETS = ['sectors', 'countries', 'regions', 'layers', 'financing'] as const;
export type Facet = (typeof FACETS)[number];

export const PackageDocument = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  description: z.string(),
  consortium: z.string(),
  members: z.array(z.string()),
  sectors: z.array(z.string()),
  sectorNames: z.array(z.string()),
  /** The buyers' words for the package's sectors and layers, and its countries' names, in every language. */
  terms: z.array(z.string()),
  countries: z.array(z.string()),
  countryNames: z.array(z.string()),
  regions: z.array(z.string()),
  regionNames: z.array(z.string()),
  layers: z.array(z.enum(LAYER_KEYS)),
  financing: z.array(z.string()),
  financingNames: z.array(z.string()),
  deploymentModel: z.string(),
  hardware: z.string(),
  data: z.string(),
  models: z.string(),
  security: z.string(),
  applications: z.string(),
  usOriginContentPct: z.number(),
  /** Seconds since the epoch, for sorting by newest. */
  designatedAt: z.number().int(),
});
export type PackageDocument = z.infer<typeof PackageDocument>;

/** Names and bloc membership the document needs beyond the row itself. */
export interface DocumentReference {
  sectorName(slug: string): string;
  regionName(slug: string): string;
  financingName(slug: string): string;
  countryName(code: string): string;
  regionsOf(code: string): string[];
  regions: Map<string, { members: string[] }>;
  /** The buyers' words in every language for a sector or a layer (none: English only). */
  searchTerms?(kind: 'sectors' | 'layers', key: string): string[];
  /** The country's name in every language. */
  countryNames?(code: string): string[];
}

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

/**
 * A package is found under every country it targets and every member of the blocs it
 * targets, and under every bloc it targets or that one of its countries belongs to.
 */
export function reach(row: Pick<PackageRow, 'targetCountries' | 'targetRegions'>, ref: DocumentReference) {
  const countries = unique([
    ...row.targetCountries,
    ...row.targetRegions.flatMap((slug) => ref.regions.get(slug)?.members ?? []),
  ]).sort();
  const regions = unique([...row.targetRegions, ...row.targetCountries.flatMap((code) => ref.regionsOf(code))]).sort();
  return { countries, regions };
}

export function suppliedLayers(row: PackageRow): LayerKey[] {
  return LAYER_KEYS.filter((key) => row.content.layers[key].supplied);
}

export function toDocument(row: PackageRow, ref: DocumentReference): PackageDocument {
  const { countries, regions } = reach(row, ref);
  const body = row.content;
  const layerText = (key: LayerKey) => {
    const layer = body.layers[key];
    return [layer.summary, ...layer.offerings.map((o) => `${o.name}. ${o.description}`)].join('\n');
  };
  const financing = unique(body.financing.map((f) => f.tool));
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    description: body.description,
    consortium: body.consortium.name,
    members: body.consortium.members.map((m) => m.name),
    sectors: row.sectors,
    sectorNames: row.sectors.map((s) => ref.sectorName(s)),
    terms: unique([
      ...row.sectors.flatMap((s) => ref.searchTerms?.('sectors', s) ?? []),
      ...suppliedLayers(row).flatMap((l) => ref.searchTerms?.('layers', l) ?? []),
      ...countries.flatMap((c) => ref.countryNames?.(c) ?? []),
    ]),
    countries,
    countryNames: countries.map((c) => ref.countryName(c)),
    regions,
    regionNames: regions.map((r) => ref.regionName(r)),
    layers: suppliedLayers(row),
    financing,
    financingNames: financing.map((f) => ref.financingName(f)),
    deploymentModel: body.businessModel.deploymentModel,
    hardware: layerText('hardware'),
    data: layerText('data'),
    models: layerText('models'),
    security: layerText('security'),
    applications: layerText('applications'),
    usOriginContentPct: body.layers.hardware.usOriginContentPct,
    designatedAt: Math.floor(new Date(row.designatedAt).getTime() / 1000),
  };
}

const synonymGroups = [
  ['gpu', 'gpus', 'accelerator', 'accelerators', 'graphics processing unit'],
  ['llm', 'llms', 'large language model', 'large language models'],
  ['ai', 'artificial intelligence'],
  ['datacenter', 'data center', 'data centre', 'data hall'],
  ['telemedicine', 'telehealth'],
  ['farming', 'agriculture', 'agricultural'],
  ['cybersecurity', 'cyber security'],
  ['ocr', 'optical character recognition'],
];

function synonyms(groups: string[][]): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const group of groups) for (const word of group) map[word] = group.filter((w) => w !== word);
  return map;
}

/** The index settings, applied at start and on every reindex; only what differs is sent. */
export const packageSettings = {
  searchableAttributes: [
    'title',
    'sectorNames',
    'summary',
    'terms',
    'applications',
    'models',
    'hardware',
    'data',
    'security',
    'consortium',
    'members',
    'countryNames',
    'regionNames',
    'financingNames',
    'description',
  ],
  // `id`: the saved-search alerts run a saved search restricted to the packages that changed.
  filterableAttributes: ['sectors', 'countries', 'regions', 'layers', 'financing', 'deploymentModel', 'id'],
  sortableAttributes: ['designatedAt', 'title'],
  displayedAttributes: ['*'],
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'],
  synonyms: synonyms(synonymGroups),
  faceting: { maxValuesPerFacet: 300, sortFacetValuesBy: { '*': 'count' } },
  pagination: { maxTotalHits: 20000 },
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 } },
} satisfies Settings;
