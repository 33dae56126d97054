/**
 * Restricted-party screening: a party's names (legal name and alternate names) against the
 * imported Consolidated Screening List. Meilisearch finds candidates (typo-tolerant, on the
 * normalised names, with a generous limit); the local scorer (./normalize.ts) scores every alias
 * of every candidate against every queried name; candidates at or above the minimum score are
 * returned for the officer to decide, with the evidence of which list was used.
 *
 * The screening index is queried with the admin client, on the server only.
 */
import type { Kysely } from 'kysely';
import type { Meilisearch } from 'meilisearch';
import type { Database } from '../../../db/schema/index.ts';
import type { ScreeningAddress, ScreeningEntryRow } from '../../../db/schema/screening.ts';
import {
  countScreeningEntriesBySource,
  latestScreeningImport,
  screeningEntriesByIds,
  screeningEntryBatches,
} from '../../../db/queries/screening.ts';
import { SCREENING_INDEX } from '../../../search/indexes/screening.ts';
import { nameSimilarity, normalizeName, roundScore } from './normalize.ts';

export { COMPANY_WORDS, nameSimilarity, normalizeName, jaroWinkler, damerauLevenshtein, roundScore } from './normalize.ts';

/** The default minimum score for a candidate to be shown (`SCREENING_MIN_SCORE`). */
export const DEFAULT_MIN_SCORE = 0.85;

/** Reads `SCREENING_MIN_SCORE` (a number above 0 and at most 1), else the default. */
export function minScoreFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SCREENING_MIN_SCORE?.trim();
  if (!raw) return DEFAULT_MIN_SCORE;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 1) {
    throw new Error(`SCREENING_MIN_SCORE must be a number above 0 and at most 1 (got "${raw}").`);
  }
  return value;
}

export interface AliasScore {
  /** One of the entry's names (its name or an alternate name). */
  alias: string;
  /** One of the screened party's names. */
  query: string;
  score: number;
}

export interface ScreeningCandidate {
  entryId: string;
  name: string;
  altNames: string[];
  type: string | null;
  source: string;
  programs: string[];
  addresses: ScreeningAddress[];
  startDate: string | null;
  endDate: string | null;
  remarks: string | null;
  sourceListUrl: string | null;
  /** The alias and queried name of the best score. */
  matchedAlias: string;
  matchedQuery: string;
  score: number;
  /** Every alias of the entry against every queried name, best first. */
  scores: AliasScore[];
}

export interface ScreeningListEvidence {
  importId: string;
  importedAt: string;
  filename: string;
  format: string;
  entryCount: number;
  /** Each source list with its date (the newest start date of its entries) and entry count. */
  sources: { source: string; date: string | null; count: number }[];
}

/** What a screening found and what it was run against: JSON, to be kept as the vetting's evidence. */
export interface ScreeningResult {
  screenedAt: string;
  names: string[];
  minScore: number;
  /** The list used, or null when no list has been imported yet (nothing could be screened). */
  list: ScreeningListEvidence | null;
  /** How candidates were found: the screening index, or a scan of the database when search was unavailable. */
  via: 'search' | 'database';
  candidates: ScreeningCandidate[];
}

export interface ScreeningDeps {
  db: Kysely<Database>;
  /** The admin client (server only). Without it, or when search fails, every entry is scored from the database. */
  admin?: Meilisearch | undefined;
}

export interface ScreeningOptions {
  minScore?: number;
  /** Hits asked from Meilisearch per query (each name is queried in its own and in reversed word order). */
  searchLimit?: number;
  now?: Date;
}

/** Scores every alias of an entry against every queried name; undefined if none reaches `minScore`. */
export function scoreEntry(entry: ScreeningEntryRow, names: string[], minScore: number): ScreeningCandidate | undefined {
  const aliases = [entry.name, ...entry.altNames.filter((a) => a !== entry.name)];
  const scores: AliasScore[] = [];
  for (const alias of aliases) {
    for (const query of names) scores.push({ alias, query, score: roundScore(nameSimilarity(alias, query)) });
  }
  scores.sort((a, b) => b.score - a.score);
  const best = scores[0];
  if (!best || best.score < minScore) return undefined;
  return {
    entryId: entry.id,
    name: entry.name,
    altNames: entry.altNames,
    type: entry.type,
    source: entry.source,
    programs: entry.programs,
    addresses: entry.addresses,
    startDate: entry.startDate,
    endDate: entry.endDate,
    remarks: entry.remarks,
    sourceListUrl: entry.sourceListUrl,
    matchedAlias: best.alias,
    matchedQuery: best.query,
    score: best.score,
    scores,
  };
}

async function listEvidence(db: Kysely<Database>): Promise<ScreeningListEvidence | null> {
  const row = await latestScreeningImport(db);
  if (!row) return null;
  const counts = await countScreeningEntriesBySource(db);
  const dates = row.sources ?? {};
  const names = [...new Set([...Object.keys(dates), ...Object.keys(counts)])].sort((a, b) => a.localeCompare(b));
  return {
    importId: row.id,
    importedAt: new Date(row.importedAt).toISOString(),
    filename: row.filename,
    format: row.format,
    entryCount: row.entryCount,
    sources: names.map((source) => ({ source, date: dates[source] ?? null, count: counts[source] ?? 0 })),
  };
}

/** Entry ids Meilisearch proposes for the names: each normalised name, and its words reversed. */
async function searchCandidates(admin: Meilisearch, names: string[], limit: number): Promise<string[]> {
  const queries = new Set<string>();
  for (const name of names) {
    const normalized = normalizeName(name);
    if (!normalized) continue;
    queries.add(normalized);
    const words = normalized.split(' ');
    // Meilisearch keeps the first words of a query when it drops some: let every word lead once.
    if (words.length > 1) queries.add([...words].reverse().join(' '));
  }
  if (queries.size === 0) return [];
  const response = await admin.multiSearch({
    queries: [...queries].map((q) => ({
      indexUid: SCREENING_INDEX,
      q,
      limit,
      matchingStrategy: 'last' as const,
      attributesToRetrieve: ['entryId'],
    })),
  });
  const ids = new Set<string>();
  for (const result of response.results) for (const hit of result.hits) ids.add(String((hit as { entryId?: unknown }).entryId));
  return [...ids];
}

/**
 * Screens a party's names against the list. Returns the candidates at or above `minScore`
 * (best first) and the evidence: the import used, its date and its source lists with their dates.
 */
export async function screenParty(
  deps: ScreeningDeps,
  party: { names: string[] },
  options: ScreeningOptions = {},
): Promise<ScreeningResult> {
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const names = [...new Set(party.names.map((n) => n.trim().replace(/\s+/g, ' ')).filter(Boolean))];
  const list = await listEvidence(deps.db);
  const result: ScreeningResult = {
    screenedAt: (options.now ?? new Date()).toISOString(),
    names,
    minScore,
    list,
    via: deps.admin ? 'search' : 'database',
    candidates: [],
  };
  if (!list || names.length === 0) return result;

  const candidates: ScreeningCandidate[] = [];
  let searched = false;
  if (deps.admin) {
    try {
      const ids = await searchCandidates(deps.admin, names, options.searchLimit ?? 50);
      for (const entry of await screeningEntriesByIds(deps.db, ids)) {
        const candidate = scoreEntry(entry, names, minScore);
        if (candidate) candidates.push(candidate);
      }
      searched = true;
    } catch {
      // Search unavailable or its index missing: fall back to scoring every entry below.
    }
  }
  if (!searched) {
    result.via = 'database';
    for await (const rows of screeningEntryBatches(deps.db)) {
      for (const entry of rows) {
        const candidate = scoreEntry(entry, names, minScore);
        if (candidate) candidates.push(candidate);
      }
    }
  }
  candidates.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  result.candidates = candidates;
  return result;
}
