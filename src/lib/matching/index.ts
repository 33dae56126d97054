import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import { LAYER_KEYS, type PackageRow } from '../../../db/schema/package.ts';
import type { SearchClients } from '../../../search/client.ts';
import { searchPackages } from '../../../search/query.ts';
import { useTranslations, type Translator } from '../../i18n/index.ts';
import type { Reference } from '../reference/index.ts';
import { needTerms, rank, scorePackage, type MatchReason } from './score.ts';

/** What matching needs of the site (Astro.locals.app fits). */
export interface MatchingServices {
  db: Kysely<Database>;
  reference: Pick<Reference, 'regions' | 'regionsOf' | 'countryName' | 'sectorName' | 'regionName'>;
  search?: { clients(): SearchClients | undefined } | undefined;
}

/** The buyer as matching sees it: its organization profile, and optionally what it needs now. */
export interface BuyerProfileLike {
  country: string | null;
  sectors: string[] | null;
}

export interface MatchOptions {
  limit?: number;
  /** Free-text needs (a request's "what we need"). */
  needs?: string | null | undefined;
  /** Package slugs to leave out (those the buyer has already asked to be introduced to). */
  excludeSlugs?: string[];
  /** Package ids to leave out (the package already requested). */
  exclude?: string[];
  /** The reader's translator, for the reasons (the request's `locals.t`); English if not given. */
  t?: Translator | undefined;
}

export interface SuggestedPackage {
  id: string;
  slug: string;
  title: string;
  summary: string;
  score: number;
  designatedAt: Date;
  reasons: MatchReason[];
  /** The reasons in words ("Targets Kenya", "In your sector: Healthcare", …). */
  reasonTexts: string[];
}

/** How many packages matching scores at most (the catalog's designated packages, or those that reach the buyer). */
const CANDIDATE_LIMIT = 500;
const SEARCH_HITS = 20;

function packageText(row: PackageRow): string {
  const body = row.content;
  const layers = LAYER_KEYS.map((key) => {
    const layer = body.layers[key];
    return [layer.summary, ...layer.offerings.map((o) => `${o.name} ${o.description}`)].join(' ');
  });
  return [row.title, row.summary, body.description, ...layers].join('\n');
}

export function reasonText(t: Translator, reference: MatchingServices['reference'], reason: MatchReason): string {
  switch (reason.kind) {
    case 'country':
      return t('intro.match.country', { country: reference.countryName(reason.code) });
    case 'region':
      return t('intro.match.region', { region: reference.regions.get(reason.slug)?.name ?? reference.regionName(reason.slug) });
    case 'sector':
      return t('intro.match.sector', { sector: reference.sectorName(reason.slug) });
    case 'needs':
      return reason.terms.length ? t('intro.match.needs', { terms: reason.terms.join(', ') }) : t('intro.match.needs.search');
  }
}

/** Slugs of the packages a catalog search for the needs finds, best first; undefined when search is down. */
async function searchNeeds(app: MatchingServices, needs: string): Promise<string[] | undefined> {
  let clients: SearchClients | undefined;
  try {
    clients = app.search?.clients();
  } catch {
    clients = undefined;
  }
  if (!clients) return undefined;
  try {
    const results = await searchPackages(clients.search, {
      q: needs.slice(0, 500),
      filters: {},
      sort: 'relevance',
      page: 1,
      perPage: SEARCH_HITS,
    });
    return results.hits.map((h) => h.slug);
  } catch {
    return undefined;
  }
}

/**
 * Designated packages ranked for a buyer: those that target its country, are available through
 * one of its blocs, serve its sectors of interest, or match its stated needs (a catalog search
 * when search is up, word matching on the database's packages when it is not), each with the
 * reasons it was suggested.
 */
export async function packagesFor(
  app: MatchingServices,
  profile: BuyerProfileLike,
  options: MatchOptions = {},
): Promise<SuggestedPackage[]> {
  const t = options.t ?? useTranslations();
  const limit = options.limit ?? 6;
  const country = profile.country && /^[A-Z]{2}$/.test(profile.country) ? profile.country : null;
  const regions = country ? app.reference.regionsOf(country) : [];
  const sectors = (profile.sectors ?? []).filter((s) => typeof s === 'string' && s.length <= 60);
  const needs = options.needs?.trim() ?? '';
  const terms = needTerms(needs);
  const searched = needs ? await searchNeeds(app, needs) : undefined;
  const exclude = new Set(options.exclude ?? []);
  const excludeSlugs = new Set(options.excludeSlugs ?? []);

  let query = app.db.selectFrom('package').selectAll().where('status', '=', 'designated');
  // Without needs to match on, only packages that reach the buyer or its sectors can have a reason.
  const narrow = !terms.length || searched !== undefined;
  if (narrow) {
    const bySlug = searched ?? [];
    if (!country && !sectors.length && !bySlug.length) return [];
    query = query.where((eb) =>
      eb.or([
        ...(country ? [eb('targetCountries', '&&', sql<string[]>`${[country]}::text[]`)] : []),
        ...(regions.length ? [eb('targetRegions', '&&', sql<string[]>`${regions}::text[]`)] : []),
        ...(sectors.length ? [eb('sectors', '&&', sql<string[]>`${sectors}::text[]`)] : []),
        ...(bySlug.length ? [eb('slug', 'in', bySlug)] : []),
      ]),
    );
  }
  const rows = await query.orderBy('designatedAt', 'desc').orderBy('slug').limit(CANDIDATE_LIMIT).execute();
  const scored = rows
    .filter((row) => !exclude.has(row.id) && !excludeSlugs.has(row.slug))
    .map((row) => {
      const rankInSearch = searched ? searched.indexOf(row.slug) : -1;
      const { score, reasons } = scorePackage(
        {
          targetCountries: row.targetCountries,
          targetRegions: row.targetRegions,
          sectors: row.sectors,
          // Only needs are matched on the text: without terms, it is not built.
          text: terms.length ? packageText(row) : '',
          searchRank: rankInSearch >= 0 ? rankInSearch : undefined,
        },
        { country, regions, sectors, terms },
      );
      return { row, score, reasons, designatedAt: row.designatedAt, slug: row.slug };
    });
  return rank(scored)
    .slice(0, limit)
    .map(({ row, score, reasons }) => ({
      id: row.id,
      slug: row.slug,
      title: row.title,
      summary: row.summary,
      score,
      designatedAt: row.designatedAt,
      reasons,
      reasonTexts: reasons.map((r) => reasonText(t, app.reference, r)),
    }));
}
