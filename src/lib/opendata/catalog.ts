import { stringify } from 'csv-stringify/sync';
import { getCatalogVersion } from '../../../db/queries/catalog-version.ts';
import { listCatalogRows } from '../../../db/queries/packages.ts';
import { LAYER_KEYS } from '../../../db/schema/package.ts';
import { FACETS, PACKAGES_INDEX, reach, type Facet } from '../../../search/indexes/packages.ts';
import { filterExpression, type PackageQuery } from '../../../search/query.ts';
import type { AppServices } from '../server/bootstrap.ts';
import type { CatalogRecord } from './schemas.ts';

type CatalogServices = Pick<AppServices, 'db' | 'reference' | 'config'>;

export interface CatalogSnapshot {
  /** The catalog_version the records were read at. */
  version: string;
  records: CatalogRecord[];
  /** The newest `updatedAt` of the records (the catalog's Last-Modified). */
  lastModified: Date;
}

/** The snapshot last read for each database, kept until the catalog's version moves. */
const kept = new WeakMap<CatalogServices['db'], { version: string; snapshot: Promise<CatalogSnapshot> }>();

/**
 * Every designated package as the downloads, feeds and statistics list it, newest designation
 * first. Read once per catalog version (any write to `package`, by any process, moves it);
 * asking costs one single-row read otherwise.
 */
export async function catalogSnapshot(app: CatalogServices): Promise<CatalogSnapshot> {
  const version = await getCatalogVersion(app.db);
  const held = kept.get(app.db);
  if (held?.version === version) return held.snapshot;
  const snapshot = readSnapshot(app, version);
  kept.set(app.db, { version, snapshot });
  snapshot.catch(() => {
    if (kept.get(app.db)?.snapshot === snapshot) kept.delete(app.db);
  });
  return snapshot;
}

async function readSnapshot(app: CatalogServices, version: string): Promise<CatalogSnapshot> {
  const rows = await listCatalogRows(app.db);
  const base = app.config.siteUrl.replace(/\/$/, '');
  let lastModified = new Date(0);
  const records = rows.map((row): CatalogRecord => {
    const updatedAt = new Date(row.updatedAt);
    if (updatedAt > lastModified) lastModified = updatedAt;
    const { countries, regions } = reach(row, app.reference);
    return {
      slug: row.slug,
      title: row.title,
      summary: row.summary,
      url: `${base}/packages/${row.slug}`,
      consortium: row.consortium,
      anchorMember: row.anchorMember,
      sectors: row.sectors,
      targetCountries: row.targetCountries,
      targetRegions: row.targetRegions,
      countries,
      regions,
      layers: LAYER_KEYS.filter((key) => row.layers.includes(key)),
      financing: row.financing,
      deploymentModel: row.deploymentModel,
      usOriginContentPct: row.usOriginContentPct,
      designatedAt: new Date(row.designatedAt).toISOString(),
      updatedAt: updatedAt.toISOString(),
    };
  });
  return { version, records, lastModified };
}

const FIELD: Record<Facet, keyof CatalogRecord> = {
  sectors: 'sectors',
  countries: 'countries',
  regions: 'regions',
  layers: 'layers',
  financing: 'financing',
};

/** The records a search's facets select: values of one facet OR-ed, facets AND-ed (as the search API). */
export function filterRecords(records: CatalogRecord[], filters: PackageQuery['filters']): CatalogRecord[] {
  const active = FACETS.filter((f) => (filters[f]?.length ?? 0) > 0);
  if (!active.length) return records;
  return records.filter((record) =>
    active.every((facet) => {
      const values = record[FIELD[facet]] as string[];
      return filters[facet]!.some((v) => values.includes(v));
    }),
  );
}

export type MatchOutcome = { ok: true; records: CatalogRecord[] } | { ok: false; reason: 'unavailable' };

/**
 * Every designated package a search matches, for the downloads and feeds. Facets alone are
 * applied to the snapshot (no search needed); words go to Meilisearch (search-only key), whose
 * order (relevance, or newest first) is kept.
 */
export async function matchRecords(
  app: CatalogServices & Pick<AppServices, 'search'>,
  query: Pick<PackageQuery, 'q' | 'filters' | 'sort'>,
): Promise<MatchOutcome> {
  const snapshot = await catalogSnapshot(app);
  if (!query.q) return { ok: true, records: filterRecords(snapshot.records, query.filters) };
  const clients = app.search.clients();
  if (!clients) return { ok: false, reason: 'unavailable' };
  try {
    const found = await clients.search.index(PACKAGES_INDEX).search(query.q, {
      filter: filterExpression(query.filters),
      attributesToRetrieve: ['slug'],
      limit: Math.max(1, snapshot.records.length),
      sort: query.sort === 'newest' ? ['designatedAt:desc'] : undefined,
    });
    const bySlug = new Map(snapshot.records.map((r) => [r.slug, r]));
    const records = found.hits.map((hit) => bySlug.get(String(hit.slug))).filter((r): r is CatalogRecord => !!r);
    return { ok: true, records };
  } catch {
    return { ok: false, reason: 'unavailable' };
  }
}

/** The CSV columns of a package row, in order. */
export const CSV_COLUMNS = [
  'slug',
  'title',
  'summary',
  'url',
  'consortium',
  'anchor_member',
  'sectors',
  'target_countries',
  'target_regions',
  'countries',
  'regions',
  'layers',
  'financing',
  'deployment_model',
  'us_origin_content_pct',
  'designated_at',
  'updated_at',
] as const;

const LIST_SEPARATOR = '; ';

/**
 * One row per package, lists joined with "; ". Written by csv-stringify with `escape_formulas`:
 * a cell that starts with = + - @ tab or carriage return is prefixed with ' so that a
 * spreadsheet shows it as text instead of running it. A byte-order mark lets spreadsheets
 * read the file as UTF-8.
 */
export function recordsToCsv(records: CatalogRecord[]): string {
  const rows = records.map((r) => [
    r.slug,
    r.title,
    r.summary,
    r.url,
    r.consortium,
    r.anchorMember ?? '',
    r.sectors.join(LIST_SEPARATOR),
    r.targetCountries.join(LIST_SEPARATOR),
    r.targetRegions.join(LIST_SEPARATOR),
    r.countries.join(LIST_SEPARATOR),
    r.regions.join(LIST_SEPARATOR),
    r.layers.join(LIST_SEPARATOR),
    r.financing.join(LIST_SEPARATOR),
    r.deploymentModel,
    r.usOriginContentPct === null ? '' : String(r.usOriginContentPct),
    r.designatedAt,
    r.updatedAt,
  ]);
  return stringify(rows, {
    header: true,
    columns: [...CSV_COLUMNS],
    bom: true,
    escape_formulas: true,
    record_delimiter: 'windows',
  });
}

/** Any table of figures as CSV, formulas escaped the same way. */
export function tableToCsv(columns: readonly string[], rows: (string | number | null)[][]): string {
  return stringify(
    rows.map((row) => row.map((cell) => (cell === null ? '' : String(cell)))),
    { header: true, columns: [...columns], bom: true, escape_formulas: true, record_delimiter: 'windows' },
  );
}

export interface BulkDownload {
  version: string;
  body: string;
  lastModified: Date;
}

const bulk = new WeakMap<CatalogServices['db'], { version: string; format: string; body: Promise<BulkDownload> }[]>();

/**
 * The whole catalog as one file, made once per catalog version and format (the current
 * version only: a newer one replaces it).
 */
export async function bulkDownload(app: CatalogServices, format: 'json' | 'csv'): Promise<BulkDownload> {
  const snapshot = await catalogSnapshot(app);
  const held = (bulk.get(app.db) ?? []).filter((b) => b.version === snapshot.version);
  const found = held.find((b) => b.format === format);
  if (found) return found.body;
  const body = Promise.resolve().then(() => ({
    version: snapshot.version,
    lastModified: snapshot.lastModified,
    body:
      format === 'csv'
        ? recordsToCsv(snapshot.records)
        : JSON.stringify({
            catalogVersion: snapshot.version,
            generatedAt: new Date().toISOString(),
            count: snapshot.records.length,
            packages: snapshot.records,
          }),
  }));
  bulk.set(app.db, [...held, { version: snapshot.version, format, body }]);
  return body;
}
