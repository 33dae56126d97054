import type { PackageRow } from '../../../db/schema/package.ts';
import { suppliedLayers } from '../../../search/indexes/packages.ts';

/** The public JSON shape of a package (API v1). */
export function toPublicPackage(row: PackageRow, reach: { countries: string[]; regions: string[] }) {
  return {
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    status: row.status,
    designatedAt: new Date(row.designatedAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    sectors: row.sectors,
    targetCountries: row.targetCountries,
    targetRegions: row.targetRegions,
    countries: reach.countries,
    regions: reach.regions,
    suppliedLayers: suppliedLayers(row),
    ...row.content,
    // Buyers reach a consortium through an officer: its people are named, their addresses are not published.
    contacts: row.content.contacts.map(({ name, title, organization }) => ({ name, title, organization })),
  };
}
