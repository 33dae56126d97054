import { z } from 'zod';
import { Contact, LayerKey, PackageContent, PackageStatus } from '../../../db/schema/package.ts';

/**
 * The answers of the public API as zod schemas. They type the code that builds the answers,
 * and the OpenAPI document (openapi.ts) is generated from them; the e2e test validates real
 * answers against that document.
 */

/** The schemas the OpenAPI document lists under components/schemas, by id. */
export const components = z.registry<{ id: string; description?: string }>();

const IsoDate = z.iso.datetime({ offset: false }).meta({ description: 'ISO 8601 date and time, UTC.' });
const Counts = z.record(z.string(), z.number().int().min(0));

export const Problem = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    errors: z.array(z.object({ param: z.string(), detail: z.string() })).optional(),
  })
  .register(components, { id: 'Problem', description: 'RFC 9457 problem details (application/problem+json).' });

export const PackageHit = z
  .object({
    slug: z.string(),
    title: z.string(),
    summary: z.string(),
    sectors: z.array(z.string()),
    countries: z.array(z.string()).meta({ description: 'Every country the package reaches, directly or through a bloc.' }),
    regions: z.array(z.string()),
    layers: z.array(LayerKey).meta({ description: 'The layers the consortium supplies.' }),
    financing: z.array(z.string()),
    consortium: z.string(),
    designatedAt: IsoDate,
    highlights: z
      .object({ title: z.string(), summary: z.string() })
      .meta({ description: 'Title and summary as HTML-escaped text, matches in <mark>.' }),
  })
  .register(components, { id: 'PackageHit' });

export const SearchResults = z
  .object({
    hits: z.array(PackageHit),
    facets: z
      .object({ sectors: Counts, countries: Counts, regions: Counts, layers: Counts, financing: Counts })
      .meta({ description: "Disjunctive counts: a facet's counts ignore that facet's own selection." }),
    total: z.number().int().min(0),
    page: z.number().int().min(1),
    perPage: z.number().int().min(1),
  })
  .register(components, { id: 'SearchResults' });

export const PublicPackage = PackageContent.omit({ designatedAt: true })
  .extend({
    status: PackageStatus,
    designatedAt: IsoDate,
    updatedAt: IsoDate,
    countries: z.array(z.string()),
    regions: z.array(z.string()),
    suppliedLayers: z.array(LayerKey),
    // Buyers reach a consortium through an officer: its people are named, their addresses are not published.
    contacts: z.array(Contact.pick({ name: true, title: true, organization: true })),
  })
  .register(components, { id: 'Package', description: 'A designated package in full (EO 14320 §3(b)).' });

export const CatalogRecord = z
  .object({
    slug: z.string(),
    title: z.string(),
    summary: z.string(),
    url: z.url(),
    consortium: z.string(),
    anchorMember: z.string().nullable(),
    sectors: z.array(z.string()),
    targetCountries: z.array(z.string()),
    targetRegions: z.array(z.string()),
    countries: z.array(z.string()),
    regions: z.array(z.string()),
    layers: z.array(LayerKey),
    financing: z.array(z.string()).meta({ description: 'Slugs of the federal financing tools the package asks for.' }),
    deploymentModel: z.string(),
    usOriginContentPct: z.number().nullable(),
    designatedAt: IsoDate,
    updatedAt: IsoDate,
  })
  .register(components, { id: 'CatalogRecord', description: 'One package as the downloads list it (one CSV row).' });
export type CatalogRecord = z.infer<typeof CatalogRecord>;

export const CatalogDownload = z
  .object({
    catalogVersion: z.string(),
    generatedAt: IsoDate,
    count: z.number().int().min(0),
    packages: z.array(CatalogRecord),
  })
  .register(components, { id: 'CatalogDownload' });

export const SearchDownload = z
  .object({
    catalogVersion: z.string(),
    generatedAt: IsoDate,
    query: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    count: z.number().int().min(0),
    packages: z.array(CatalogRecord),
  })
  .register(components, { id: 'SearchDownload' });

/** One published figure: a count, or null when it is withheld (below the minimum count). */
export const Cell = z
  .object({
    key: z.string(),
    label: z.string(),
    count: z.number().int().min(0).nullable(),
    withheld: z.boolean(),
  })
  .register(components, { id: 'Cell' });
export type Cell = z.infer<typeof Cell>;

export const Stage = z
  .object({
    key: z.string(),
    label: z.string(),
    cases: z.number().int().min(0).nullable().meta({ description: 'Introductions that completed the stage.' }),
    medianBusinessDays: z.number().min(0).nullable(),
    targetBusinessDays: z.number().int().nullable(),
    withinTargetShare: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .meta({ description: 'Share handled within the target, those still waiting past it counted as missed.' }),
    withheld: z.boolean(),
  })
  .register(components, { id: 'Stage' });
export type Stage = z.infer<typeof Stage>;

export const Statistics = z
  .object({
    generatedAt: IsoDate,
    minCount: z.number().int().min(1).meta({ description: 'Figures of introductions and buyers below this are withheld.' }),
    packages: z.object({
      total: z.number().int().min(0),
      designatedOverTime: z.array(
        z.object({ month: z.string().regex(/^\d{4}-\d{2}$/), designated: z.number().int(), cumulative: z.number().int() }),
      ),
      bySector: z.array(Cell),
      byRegion: z.array(Cell),
      byLayer: z.array(Cell),
      byFinancing: z.array(Cell),
    }),
    introductions: z.object({
      funnel: z.array(Cell),
      ended: z.array(Cell),
      outcomes: z.array(Cell),
      stages: z.array(Stage),
    }),
    buyers: z.object({ verified: Cell, byRegion: z.array(Cell) }),
  })
  .register(components, { id: 'Statistics' });
export type Statistics = z.infer<typeof Statistics>;
