import { z } from 'zod';
import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

/** The five layers of a full-stack AI export package (EO 14320 §3(b)(i) A–E). */
export const LAYER_KEYS = ['hardware', 'data', 'models', 'security', 'applications'] as const;
export const LayerKey = z.enum(LAYER_KEYS);
export type LayerKey = z.infer<typeof LayerKey>;

export const PACKAGE_STATUSES = ['designated', 'suspended', 'revoked'] as const;
export const PackageStatus = z.enum(PACKAGE_STATUSES);
export type PackageStatus = z.infer<typeof PackageStatus>;

export const DEPLOYMENT_MODELS = ['in-country-sovereign', 'us-operated-cloud', 'hybrid'] as const;
export const DeploymentModel = z.enum(DEPLOYMENT_MODELS);
export type DeploymentModel = z.infer<typeof DeploymentModel>;

const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase words joined by hyphens')
  .max(120);
const Iso2 = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code');
const Text = (max: number) => z.string().trim().min(1).max(max);

export const Offering = z.object({
  name: Text(160),
  description: Text(2000),
});

/**
 * One layer of the stack. `supplied` is false when the package integrates with what the
 * buyer already has for that layer (an existing national cloud, say) instead of supplying it.
 */
const layerFields = {
  supplied: z.boolean(),
  summary: Text(2000),
  offerings: z.array(Offering).max(30),
};

export const HardwareLayer = z.object({
  ...layerFields,
  /** Where and how much of the hardware is manufactured in the United States, in words. */
  usManufacturing: Text(1000),
  /** Share (0–100) of the aggregate value of the hardware layer that is of U.S. origin. */
  usOriginContentPct: z.number().min(0).max(100),
});

export const ApplicationsLayer = z.object({
  ...layerFields,
  offerings: z.array(Offering.extend({ sector: Slug })).max(30),
});

export const Layers = z.object({
  hardware: HardwareLayer,
  data: z.object(layerFields),
  models: z.object(layerFields),
  security: z.object(layerFields),
  applications: ApplicationsLayer,
});
export type Layers = z.infer<typeof Layers>;

export const ConsortiumMember = z.object({
  name: Text(200),
  /** ISO 3166-1 alpha-2 code of the country of incorporation. */
  country: Iso2,
  anchor: z.boolean(),
  layers: z.array(LayerKey).min(1),
  description: Text(1000),
});
export type ConsortiumMember = z.infer<typeof ConsortiumMember>;

export const Contact = z.object({
  name: Text(200),
  title: Text(200),
  organization: Text(200),
  email: z.email(),
  phone: Text(40).optional(),
});

export const FinancingRequest = z.object({
  /** Slug of a federal financing tool in content/financing. */
  tool: Slug,
  note: Text(1000),
  amountUsd: z.number().int().positive().optional(),
});

/** Everything the executive order and the call ask of a package, as the catalog shows it. */
export const PackageContent = z.object({
  slug: Slug,
  title: Text(200),
  summary: Text(500),
  description: Text(5000),
  /** Slugs of content/sectors. */
  sectors: z.array(Slug).min(1),
  targetCountries: z.array(Iso2),
  /** Slugs of content/regions (regional blocs). */
  targetRegions: z.array(Slug),
  consortium: z.object({
    name: Text(200),
    members: z
      .array(ConsortiumMember)
      .min(1)
      .refine((m) => m.filter((x) => x.anchor).length === 1, 'exactly one anchor member'),
  }),
  layers: Layers,
  businessModel: z.object({
    deploymentModel: DeploymentModel,
    builds: Text(1000),
    owns: Text(1000),
    operates: Text(1000),
    description: Text(3000),
  }),
  financing: z.array(FinancingRequest),
  compliance: z.object({
    exportControls: Text(3000),
    outboundInvestment: Text(3000),
    endUse: Text(3000),
  }),
  contacts: z.array(Contact).min(1),
  status: PackageStatus,
  designatedAt: z.coerce.date(),
});
export type PackageContent = z.infer<typeof PackageContent>;

/** What is stored in `package.content`: the package less the columns of its own. */
export type PackageBody = Omit<
  PackageContent,
  'slug' | 'title' | 'summary' | 'sectors' | 'targetCountries' | 'targetRegions' | 'status' | 'designatedAt'
>;

export interface PackageTable {
  id: ColumnType<string, string | undefined, never>;
  slug: string;
  title: string;
  summary: string;
  status: PackageStatus;
  sectors: string[];
  targetCountries: string[];
  targetRegions: string[];
  content: ColumnType<PackageBody, string, string>;
  designatedAt: ColumnType<Date, Date | string, Date | string>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  /** The proposal the package was published from (null for packages loaded before the workflow). */
  proposalId: ColumnType<string | null, string | null | undefined, string | null>;
}

export type PackageRow = Selectable<PackageTable>;
export type NewPackageRow = Insertable<PackageTable>;
export type PackageUpdate = Updateable<PackageTable>;
export const PACKAGE_TABLE = 'package';
