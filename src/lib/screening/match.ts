/**
 * Restricted-party screening: a party's names (legal name and alternate names), country and
 * identifiers against the imported Consolidated Screening List. The list is held in memory
 * (./list-index.ts), read again from the database whenever a newer import exists; its blocking
 * keys find the candidates, the scorer (./score.ts) scores every alias of each against every
 * name, and the country and identifiers move the score. Candidates at or above the minimum
 * score (and any exact name or shared identifier, whatever the score) are returned for the
 * officer to decide, with the evidence of which list was used and why each candidate matched.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import type { ScreeningAddress, ScreeningIdentifier } from '../../../db/schema/screening.ts';
import { countScreeningEntriesBySource, latestScreeningImport, screeningEntryBatches } from '../../../db/queries/screening.ts';
import { ScreeningIndex, type CountryEvidence, type EntryScore, type IdentifierEvidence, type Party } from './list-index.ts';
import { roundScore } from './normalize.ts';
import type { NameComparison, WordMatch } from './score.ts';
import { explain } from './explain.ts';

export { normalizeName, roundScore, damerauLevenshtein } from './normalize.ts';
export type { Party } from './list-index.ts';

/** The default minimum score for a candidate to be shown (`SCREENING_MIN_SCORE`). */
export const DEFAULT_MIN_SCORE = 0.8;

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
  /** The entry's identifiers and countries (from its addresses and identifiers). */
  ids: ScreeningIdentifier[];
  countries: string[];
  /** Why: the words matched and how, what weighed, the country and identifier evidence. */
  explanation: CandidateExplanation;
}

export interface CandidateExplanation {
  /** The best alias's name score, before the country and identifier evidence. */
  nameScore: number;
  exact: boolean;
  matches: WordMatch[];
  unmatchedQuery: NameComparison['unmatchedQuery'];
  unmatchedAlias: NameComparison['unmatchedAlias'];
  setAside: string[];
  country: CountryEvidence | null;
  identifier: IdentifierEvidence | null;
  /** The same in one readable paragraph. */
  text: string;
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
  /** The party's country and identifiers, when given. */
  country?: string | null;
  ids?: string[];
  minScore: number;
  /** The list used, or null when no list has been imported yet (nothing could be screened). */
  list: ScreeningListEvidence | null;
  /** How candidates were found: the in-memory list index ('search' and 'database' in older evidence). */
  via: 'index' | 'search' | 'database';
  candidates: ScreeningCandidate[];
}

export interface ScreeningDeps {
  db: Kysely<Database>;
  /** Kept for callers that pass the search client: screening no longer uses Meilisearch. */
  admin?: unknown;
}

export interface ScreeningOptions {
  minScore?: number;
  now?: Date;
}

/** A candidate as the evidence keeps it. */
export function toCandidate(scored: EntryScore): ScreeningCandidate {
  const { entry, best } = scored;
  const c = best.comparison;
  const explanation: CandidateExplanation = {
    nameScore: roundScore(best.score),
    exact: c.exact,
    matches: c.matches,
    unmatchedQuery: c.unmatchedQuery,
    unmatchedAlias: c.unmatchedAlias,
    setAside: c.setAside,
    country: scored.country,
    identifier: scored.identifier,
    text: '',
  };
  explanation.text = explain(best.query, best.alias, explanation);
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
    score: roundScore(scored.score),
    scores: scored.pairs.map((p) => ({ alias: p.alias, query: p.query, score: roundScore(p.score) })),
    ids: entry.ids ?? [],
    countries: scored.countries,
    explanation,
  };
}

/** Screens names against a list held in memory (tests, the evaluation, the bench). */
export function screenWithIndex(index: ScreeningIndex, party: Party, minScore = DEFAULT_MIN_SCORE): ScreeningCandidate[] {
  return index.screen(party, minScore).map(toCandidate);
}

/** Scores every alias of an entry against every queried name; undefined if none reaches `minScore`. */
export function scoreEntry(
  entry: ConstructorParameters<typeof ScreeningIndex>[0][number],
  names: string[],
  minScore: number,
  party: Omit<Party, 'names'> = {},
): ScreeningCandidate | undefined {
  const index = new ScreeningIndex([entry]);
  const scored = index.scoreEntry(0, { ...party, names });
  return scored && (scored.score >= minScore || scored.mustShow) ? toCandidate(scored) : undefined;
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

const cache = new WeakMap<object, { importId: string; index: Promise<ScreeningIndex> }>();

/** The list of import `importId` in memory, read from the database once per process and import. */
export function listIndex(db: Kysely<Database>, importId: string): Promise<ScreeningIndex> {
  const held = cache.get(db);
  if (held && held.importId === importId) return held.index;
  const index = (async () => {
    const entries = [];
    for await (const rows of screeningEntryBatches(db, 5000)) entries.push(...rows);
    return new ScreeningIndex(entries);
  })();
  cache.set(db, { importId, index });
  index.catch(() => {
    if (cache.get(db)?.index === index) cache.delete(db);
  });
  return index;
}

/** Forgets the list held for `db` (after an import in this process). */
export function forgetListIndex(db: Kysely<Database>): void {
  cache.delete(db);
}

/**
 * Screens a party's names (and country and identifiers, when given) against the list. Returns
 * the candidates at or above `minScore` (best first) and the evidence: the import used, its
 * date and its source lists with their dates.
 */
export async function screenParty(deps: ScreeningDeps, party: Party, options: ScreeningOptions = {}): Promise<ScreeningResult> {
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const names = [...new Set(party.names.map((n) => n.trim().replace(/\s+/g, ' ')).filter(Boolean))];
  const country = party.country?.trim().toUpperCase() || null;
  const ids = [...new Set((party.ids ?? []).map((i) => i.trim()).filter(Boolean))];
  const list = await listEvidence(deps.db);
  const result: ScreeningResult = {
    screenedAt: (options.now ?? new Date()).toISOString(),
    names,
    ...(country ? { country } : {}),
    ...(ids.length ? { ids } : {}),
    minScore,
    list,
    via: 'index',
    candidates: [],
  };
  if (!list || names.length === 0) return result;
  const index = await listIndex(deps.db, list.importId);
  result.candidates = screenWithIndex(index, { names, country, ids }, minScore);
  return result;
}
