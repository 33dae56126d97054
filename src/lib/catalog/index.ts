import { countPackages, findPackageBySlug, listDesignatedPackages, type BrowseOptions } from '../../../db/queries/packages.ts';
import type { PackageRow } from '../../../db/schema/package.ts';
import { searchPackages, type PackageQuery, type PackageResults } from '../../../search/query.ts';
import { reach } from '../../../search/indexes/packages.ts';
import type { AppServices } from '../server/bootstrap.ts';

export type SearchOutcome = { ok: true; results: PackageResults } | { ok: false; reason: 'unavailable'; error?: unknown };

/** Runs a catalog search with the search-only key; reports search being down instead of throwing. */
export async function searchCatalog(app: AppServices, query: PackageQuery): Promise<SearchOutcome> {
  const clients = app.search.clients();
  if (!clients) return { ok: false, reason: 'unavailable' };
  try {
    return { ok: true, results: await searchPackages(clients.search, query) };
  } catch (error) {
    return { ok: false, reason: 'unavailable', error };
  }
}

export type PackageLookup =
  | { kind: 'found'; row: PackageRow; countries: string[]; regions: string[] }
  | { kind: 'gone'; row: PackageRow }
  | { kind: 'missing' };

/** A package for its public page: designated ones are shown, suspended and revoked ones are gone (410). */
export async function lookupPackage(app: AppServices, slug: string): Promise<PackageLookup> {
  if (!/^[a-z0-9-]{1,120}$/.test(slug)) return { kind: 'missing' };
  const row = await findPackageBySlug(app.db, slug);
  if (!row) return { kind: 'missing' };
  if (row.status !== 'designated') return { kind: 'gone', row };
  return { kind: 'found', row, ...reach(row, app.reference) };
}

export async function browsePackages(app: AppServices, options: BrowseOptions) {
  return listDesignatedPackages(app.db, options);
}

/** Designated packages for a country: those that target it or a bloc it belongs to. */
export function browseCountry(app: AppServices, code: string, page = 1) {
  return listDesignatedPackages(app.db, {
    countries: [code],
    regions: app.reference.regionsOf(code),
    limit: 50,
    offset: (page - 1) * 50,
  });
}

/** Designated packages for a bloc: those that target it or one of its members. */
export function browseRegion(app: AppServices, slug: string, page = 1) {
  const region = app.reference.regions.get(slug);
  return listDesignatedPackages(app.db, {
    countries: region?.members ?? [],
    regions: [slug],
    limit: 50,
    offset: (page - 1) * 50,
  });
}

export { countPackages };
