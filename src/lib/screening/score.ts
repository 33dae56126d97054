/**
 * How alike two names are, word by word, each word weighed by its rarity across the list.
 *
 * The significant words of both names (see ./normalize.ts) are aligned regardless of order:
 * equal words; abbreviation and expansion ("Mgmt" / "Management"); transliteration variants
 * (equal folded keys: "Qaem" / "Ghaem"); spelling variants (Damerau–Levenshtein on the folded
 * keys: no edit up to three letters (and a four-letter word pays more for its one), one up to seven, two up to eleven, three beyond — and no
 * prefix bonus, so "Beijing" is not "Beihang"); phonetic variants (equal consonant skeletons with
 * as many syllables); two adjacent words written as one ("Sky Net" / "Skynet", "Qarargah-e" /
 * "Gharargahe"); and an acronym against the words it is made of ("SMIC" / "Semiconductor
 * Manufacturing International Corporation", "DPRK" / "Democratic People's Republic of Korea").
 * Pairs are taken best first, each word used once.
 *
 * Each side's coverage is the share of its weight that found a partner (a pair counts its
 * similarity); the score is the mean of the two coverages. A rare word left over costs much, a
 * common word ("trading", "international") little, so "International Trading Company" does not
 * find every entry that has those words, and an added rare word counts against a short name.
 */
import { damerauLevenshtein, foldWord, soundKey, vowelGroups, type AnalyzedName, type NameToken } from './normalize.ts';

export type MatchHow =
  'exact' | 'abbreviation' | 'transliteration' | 'spelling' | 'phonetic' | 'joined' | 'acronym' | 'other-alias';

export interface WordMatch {
  /** The words of the screened name (as written). */
  query: string[];
  /** The words of the entry's alias (as written). */
  alias: string[];
  how: MatchHow;
  similarity: number;
  /** The weight the pair carries (both sides). */
  weight: number;
}

export interface NameComparison {
  score: number;
  /** The significant words are the same (after folding). */
  exact: boolean;
  matches: WordMatch[];
  /** Words of either name left without a partner, with their weight. */
  unmatchedQuery: { word: string; weight: number }[];
  unmatchedAlias: { word: string; weight: number }[];
  /** Legal forms and company words set aside, both names. */
  setAside: string[];
}

/** How much the less covered name counts: 1 is the plain mean of both coverages. */
const EVEN = 1;

/** The weight of a word (its folded key): rarer words weigh more. */
export type WordWeight = (key: string) => number;

/** Edits allowed between two words, by the shorter one's length. */
export function allowedEdits(length: number): number {
  return length <= 3 ? 0 : length <= 7 ? 1 : length <= 11 ? 2 : 3;
}

export interface WordSimilarity {
  s: number;
  how: MatchHow;
}

type WordLike = Pick<NameToken, 'raw' | 'word' | 'key' | 'sound' | 'kind'>;

/** Two words: 1 equal, 0.95 transliteration variants, less for spelling and phonetic variants; undefined when unlike. */
export function wordSimilarity(a: WordLike, b: WordLike): WordSimilarity | undefined {
  if (a.word === b.word) return { s: 1, how: a.raw === b.raw ? 'exact' : 'abbreviation' };
  if (a.kind === 'number' || b.kind === 'number') return undefined;
  if (a.key === b.key) return { s: 0.95, how: 'transliteration' };
  const la = a.key.length;
  const lb = b.key.length;
  const longer = Math.max(la, lb);
  const allowed = allowedEdits(Math.min(la, lb));
  let best: WordSimilarity | undefined;
  if (allowed > 0 && Math.abs(la - lb) <= allowed) {
    const d = damerauLevenshtein(a.key, b.key, allowed);
    if (d <= allowed) best = { s: 1 - (0.6 * d) / longer - (Math.min(la, lb) <= 4 ? 0.1 : 0), how: 'spelling' };
  }
  // A word with an ending added ("Air" / "Aire", "Northwest" / "Northwestern"): the shorter is
  // the start of the longer, from three letters with a vowel or an s more, from six letters for the rest.
  const [short, long] = la <= lb ? [a.key, b.key] : [b.key, a.key];
  if (
    long.startsWith(short) &&
    ((short.length >= 3 && long.length === short.length + 1 && /[aeious]$/.test(long)) ||
      (short.length >= 6 && short.length / long.length >= 0.7)) &&
    (!best || best.s < 0.85)
  ) {
    best = { s: 0.85, how: 'spelling' };
  }
  if (
    a.sound === b.sound &&
    a.sound.length >= 3 &&
    Math.min(la, lb) >= 5 &&
    Math.min(la, lb) / longer >= 0.7 &&
    vowelGroups(a.key) === vowelGroups(b.key) &&
    // A short skeleton is shared by chance ("Rostekh" / "Rasta"): then the spelling must be near too.
    (a.sound.length >= 5 || damerauLevenshtein(a.key, b.key, allowed + 1) <= allowed + 1) &&
    (!best || best.s < 0.88)
  ) {
    best = { s: 0.88, how: 'phonetic' };
  }
  return best;
}

interface Pair {
  a: number[];
  b: number[];
  s: number;
  how: MatchHow;
  weight: number;
}

const joinedCache = new WeakMap<AnalyzedName, { covers: number[]; unit: WordLike }[]>();

/** Two or three adjacent words (joining words included, legal forms not) read as one. */
function joinedUnits(name: AnalyzedName): { covers: number[]; unit: WordLike }[] {
  let held = joinedCache.get(name);
  if (!held) {
    held = computeJoinedUnits(name);
    joinedCache.set(name, held);
  }
  return held;
}

function computeJoinedUnits(name: AnalyzedName): { covers: number[]; unit: WordLike }[] {
  const seq = name.tokens.filter((t) => t.kind !== 'legal');
  const index = new Map(name.significant.map((t, i) => [t.at, i]));
  const out: { covers: number[]; unit: WordLike }[] = [];
  for (let i = 0; i + 1 < seq.length; i++) {
    for (let n = 2; n <= 3 && i + n <= seq.length; n++) {
      const run = seq.slice(i, i + n);
      if (run.some((t) => t.kind === 'number')) break;
      const covers = run.map((t) => index.get(t.at)).filter((v): v is number => v !== undefined);
      if (covers.length === 0) continue;
      const word = run.map((t) => t.word).join('');
      out.push({
        covers,
        unit: { raw: run.map((t) => t.raw).join(''), word, key: foldWord(word), sound: soundKey(word), kind: 'word' },
      });
    }
  }
  return out;
}

const runsCache = new WeakMap<AnalyzedName, Map<number, { initials: string; covers: number[] }[]>>();

function acronymRuns(name: AnalyzedName, length: number): { initials: string; covers: number[] }[] {
  let byLength = runsCache.get(name);
  if (!byLength) runsCache.set(name, (byLength = new Map()));
  let held = byLength.get(length);
  if (!held) byLength.set(length, (held = computeAcronymRuns(name, length)));
  return held;
}

function computeAcronymRuns(name: AnalyzedName, length: number): { initials: string; covers: number[] }[] {
  const seq = name.tokens.filter((t) => t.kind !== 'joining' && /^[a-z]/.test(t.raw));
  const index = new Map(name.significant.map((t, i) => [t.at, i]));
  const out: { initials: string; covers: number[] }[] = [];
  for (let i = 0; i + length <= seq.length; i++) {
    const run = seq.slice(i, i + length);
    const covers = run.map((t) => index.get(t.at)).filter((v): v is number => v !== undefined);
    if (covers.length === 0) continue;
    out.push({ initials: run.map((t) => t.raw[0]).join(''), covers });
  }
  return out;
}

/**
 * How much an acronym of `length` letters proves: many names share three initials, so a
 * three-letter acronym alone stays just under the default minimum (the party's country or
 * another word must add to it); five letters and more nearly a name.
 */
export function acronymSimilarity(length: number, namesSharingIt = Infinity): number {
  if (length <= 3) return namesSharingIt <= 2 ? 0.9 : 0.79;
  if (length === 4) return namesSharingIt <= 2 ? 0.92 : 0.88;
  return 0.92;
}

/** How many names of the list have these initials, as a word or as the initials of their words. */
export type AcronymCount = (initials: string) => number;

function isAcronymLike(t: NameToken): boolean {
  return t.kind === 'word' && /^[a-z]{3,8}$/.test(t.raw);
}

function candidatePairs(a: AnalyzedName, b: AnalyzedName, wa: number[], wb: number[], count?: AcronymCount): Pair[] {
  const pairs: Pair[] = [];
  const sum = (w: number[], idx: number[]) => idx.reduce((s, i) => s + w[i]!, 0);
  const push = (ai: number[], bi: number[], sim: WordSimilarity | undefined) => {
    if (!sim) return;
    pairs.push({ a: ai, b: bi, s: sim.s, how: sim.how, weight: sum(wa, ai) + sum(wb, bi) });
  };
  a.significant.forEach((x, i) => b.significant.forEach((y, j) => push([i], [j], wordSimilarity(x, y))));
  // One word against two written apart, either way.
  for (const { covers, unit } of joinedUnits(a)) {
    b.significant.forEach((y, j) => {
      const sim = wordSimilarity(unit, y);
      if (sim && sim.s >= 0.95) push(covers, [j], { s: Math.min(sim.s, 0.97), how: 'joined' });
    });
  }
  for (const { covers, unit } of joinedUnits(b)) {
    a.significant.forEach((x, i) => {
      const sim = wordSimilarity(x, unit);
      if (sim && sim.s >= 0.95) push([i], covers, { s: Math.min(sim.s, 0.97), how: 'joined' });
    });
  }
  // An acronym against the words it is made of.
  a.significant.forEach((x, i) => {
    if (!isAcronymLike(x)) return;
    for (const run of acronymRuns(b, x.raw.length))
      if (run.initials === x.raw) push([i], run.covers, { s: acronymSimilarity(x.raw.length, count?.(x.raw)), how: 'acronym' });
  });
  b.significant.forEach((y, j) => {
    if (!isAcronymLike(y)) return;
    for (const run of acronymRuns(a, y.raw.length))
      if (run.initials === y.raw) push(run.covers, [j], { s: acronymSimilarity(y.raw.length, count?.(y.raw)), how: 'acronym' });
  });
  return pairs;
}

/** The same word as another alias of the entry (or its acronym) counts, a little less. */
export const OTHER_ALIAS = 0.9;

/**
 * Compares a screened name with one alias of an entry. `entryWords` (the folded words and
 * acronyms of the entry's other aliases) lets a screened name that joins two of the entry's names
 * ("HESA Iran Aircraft Manufacturing", "National Iranian Oil Company NIOC") count the words it
 * takes from the other one.
 */
export function compareNames(
  query: AnalyzedName,
  alias: AnalyzedName,
  weight: WordWeight,
  entryWords?: ReadonlySet<string>,
  acronymCount?: AcronymCount,
): NameComparison {
  const wa = query.significant.map((t) => (t.kind === 'joining' ? 0 : weight(t.key)));
  const wb = alias.significant.map((t) => (t.kind === 'joining' ? 0 : weight(t.key)));
  const totalA = wa.reduce((s, w) => s + w, 0);
  const totalB = wb.reduce((s, w) => s + w, 0);
  const setAside = [...query.setAside, ...alias.setAside];
  const exact = query.normalized !== '' && query.normalized === alias.normalized;
  const pairs = candidatePairs(query, alias, wa, wb, acronymCount).sort(
    (x, y) => y.s * y.weight - x.s * x.weight || y.a.length + y.b.length - (x.a.length + x.b.length),
  );
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const chosen: Pair[] = [];
  for (const p of pairs) {
    if (p.a.some((i) => usedA.has(i)) || p.b.some((j) => usedB.has(j))) continue;
    p.a.forEach((i) => usedA.add(i));
    p.b.forEach((j) => usedB.add(j));
    chosen.push(p);
  }
  if (entryWords) {
    query.significant.forEach((t, i) => {
      if (usedA.has(i) || wa[i] === 0 || !(entryWords.has(t.key) || entryWords.has(t.key.replace(/s$/, '')))) return;
      usedA.add(i);
      chosen.push({ a: [i], b: [], s: OTHER_ALIAS, how: 'other-alias', weight: wa[i]! });
    });
  }
  let coveredA = 0;
  let coveredB = 0;
  for (const p of chosen) {
    coveredA += p.s * p.a.reduce((s, i) => s + wa[i]!, 0);
    coveredB += p.s * p.b.reduce((s, j) => s + wb[j]!, 0);
  }
  const covA = totalA > 0 ? coveredA / totalA : 0;
  const covB = totalB > 0 ? coveredB / totalB : 0;
  let score = EVEN * ((covA + covB) / 2) + (1 - EVEN) * Math.max(covA, covB);
  score = exact ? 1 : Math.min(score, 0.999);
  chosen.sort((x, y) => Math.min(...x.a) - Math.min(...y.a));
  return {
    score,
    exact,
    matches: chosen.map((p) => ({
      query: p.a.map((i) => query.significant[i]!.raw),
      alias: p.b.map((j) => alias.significant[j]!.raw),
      how: p.how,
      similarity: Math.round(p.s * 100) / 100,
      weight: Math.round(p.weight * 10) / 10,
    })),
    unmatchedQuery: query.significant
      .map((t, i) => ({ word: t.raw, weight: Math.round(wa[i]! * 10) / 10, used: usedA.has(i) }))
      .filter((x) => !x.used && x.weight > 0)
      .map(({ word, weight: w }) => ({ word, weight: w })),
    unmatchedAlias: alias.significant
      .map((t, j) => ({ word: t.raw, weight: Math.round(wb[j]! * 10) / 10, used: usedB.has(j) }))
      .filter((x) => !x.used && x.weight > 0)
      .map(({ word, weight: w }) => ({ word, weight: w })),
    setAside,
  };
}
