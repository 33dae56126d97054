/**
 * The pure half of matching: why a package fits a buyer, and how well. No database, no search:
 * the caller gives the package's reach and text, the buyer's country, blocs, sectors and needs.
 */

export type MatchReason =
  | { kind: 'country'; code: string }
  | { kind: 'region'; slug: string }
  | { kind: 'sector'; slug: string }
  | { kind: 'needs'; terms: string[] };

export interface MatchBuyer {
  /** ISO 3166-1 alpha-2. */
  country: string | null;
  /** The blocs the country belongs to. */
  regions: string[];
  sectors: string[];
  /** Words of the buyer's needs (see needTerms). */
  terms: string[];
}

export interface MatchPackage {
  targetCountries: string[];
  targetRegions: string[];
  sectors: string[];
  /** Title, summary, description and layer texts, for the needs. */
  text: string;
  /** Position (0 first) in a search for the needs, when search ran and found it. */
  searchRank?: number | undefined;
}

export interface MatchScore {
  score: number;
  reasons: MatchReason[];
}

/**
 * What the buyer says it needs weighs most: one need matched by the catalog search outranks a
 * package that only reaches the buyer's country, bloc and sectors (a flood-forecasting need
 * finds the flood package first, wherever it is offered). Among places, the country counts
 * above the bloc above a sector.
 */
export const WEIGHTS = { country: 24, region: 18, sector: 12, needsTerm: 16, needsMax: 64, searchTop: 48 } as const;

const STOP_WORDS = new Set(
  (
    'about above after again also an and any are around as at be been before being below between both but by can could did do does doing down during each few for from further had has have having here how if in into is it its itself just like more most much must need needs our ours over own same should so some such than that the their them then there these they this those through to too under until up very want wants was we were what when where which while who whom why will with within would you your ' +
    'looking seeking require requires required using use new able ability provide support help'
  ).split(' '),
);

/** The words of a text: lower case, accents dropped, split on anything not a letter or digit. */
function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u);
}

/** The words of a free-text need worth matching: lower case, 4 letters or more, no common words, at most 12. */
export function needTerms(needs: string | null | undefined): string[] {
  if (!needs) return [];
  const words = wordsOf(needs).filter((w) => w.length >= 4 && !STOP_WORDS.has(w));
  return [...new Set(words)].slice(0, 12);
}

function stem(word: string): string {
  return word.replace(/(ies|es|s|ing|ed)$/, '') || word;
}

/** The terms found in the text (a word of the text starting with the term's stem). */
export function matchedTerms(text: string, terms: string[]): string[] {
  if (!terms.length) return [];
  const words = new Set(wordsOf(text).filter((w) => w.length >= 3));
  const stems = [...words].map(stem);
  return terms.filter((term) => {
    const s = stem(term);
    return s.length >= 3 && stems.some((w) => w.startsWith(s) || (s.startsWith(w) && w.length >= 4));
  });
}

/**
 * Scores one package for one buyer: targets the buyer's country (strongest), is available
 * through one of the buyer's blocs, serves the buyer's sectors, matches the stated needs. A
 * package with no reason scores 0 and is not suggested.
 */
export function scorePackage(pkg: MatchPackage, buyer: MatchBuyer): MatchScore {
  const reasons: MatchReason[] = [];
  let score = 0;
  if (buyer.country && pkg.targetCountries.includes(buyer.country)) {
    reasons.push({ kind: 'country', code: buyer.country });
    score += WEIGHTS.country;
  }
  const blocs = pkg.targetRegions.filter((slug) => buyer.regions.includes(slug));
  for (const slug of blocs) reasons.push({ kind: 'region', slug });
  if (blocs.length) score += WEIGHTS.region;
  for (const slug of pkg.sectors.filter((s) => buyer.sectors.includes(s))) {
    reasons.push({ kind: 'sector', slug });
    score += WEIGHTS.sector;
  }
  const terms = matchedTerms(pkg.text, buyer.terms);
  const searched = pkg.searchRank !== undefined && pkg.searchRank >= 0;
  if (terms.length || searched) {
    reasons.push({ kind: 'needs', terms });
    score += Math.min(WEIGHTS.needsMax, terms.length * WEIGHTS.needsTerm);
    if (searched) score += Math.max(1, WEIGHTS.searchTop - pkg.searchRank! * 2);
  }
  return { score, reasons };
}

/** Ranks scored items: highest score first, then the most recently designated, then by slug. */
export function rank<T extends { score: number; designatedAt: Date; slug: string }>(items: T[]): T[] {
  return [...items]
    .filter((i) => i.score > 0)
    .sort((a, b) => b.score - a.score || b.designatedAt.getTime() - a.designatedAt.getTime() || a.slug.localeCompare(b.slug));
}
