/**
 * Name normalisation and the similarity score used by restricted-party screening. Pure
 * functions, no I/O: the unit tests and the search index share them.
 *
 * normalizeName:
 *  1. Unicode compatibility form, accents folded (é → e, ß → ss, ø → o, æ → ae, ł → l…), lower case;
 *  2. `&` reads as `and`; dots and apostrophes join what they separate (`S.A.` → `sa`,
 *     `L.L.C.` → `llc`, `O'Neil` → `oneil`); any other punctuation separates words;
 *  3. legal-form and filler words are dropped (COMPANY_WORDS) — unless nothing would remain.
 *     Descriptive words (trading, technology, industries, international…) are kept: they are
 *     part of the name a list entry is known by.
 */

/**
 * Dropped from names before matching: legal forms in their usual spellings (after step 2,
 * so `Co.` is `co`, `S.A.` is `sa`, `L.L.C.` is `llc`), "group"/"holding(s)" and "the".
 * Two-letter forms that are ordinary words in names (`as`, `ab`, `oy`, `ao`) are kept.
 */
export const COMPANY_WORDS: ReadonlySet<string> = new Set([
  'the',
  'co',
  'company',
  'cos',
  'corp',
  'corporation',
  'inc',
  'incorporated',
  'ltd',
  'limited',
  'llc',
  'llp',
  'lp',
  'plc',
  'pllc',
  'gmbh',
  'mbh',
  'ag',
  'kg',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'sl',
  'bv',
  'nv',
  'pte',
  'pty',
  'pvt',
  'jsc',
  'ojsc',
  'pjsc',
  'cjsc',
  'ooo',
  'oao',
  'zao',
  'kk',
  'fze',
  'fzco',
  'fzc',
  'fzllc',
  'group',
  'holding',
  'holdings',
]);

const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** Lower case, accents folded, punctuation removed: the words of a name, company words included. */
export function nameTokens(name: string): string[] {
  const folded = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßøæœłđðþı]/g, (c) => SPECIAL_LETTERS[c] ?? c)
    .replace(/&/g, ' and ')
    .replace(/[.'’‘`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return folded ? folded.split(/\s+/) : [];
}

/** The words of a name that count for matching (see the module comment). */
export function significantTokens(name: string): string[] {
  const tokens = nameTokens(name);
  const kept = tokens.filter((t) => !COMPANY_WORDS.has(t));
  return kept.length ? kept : tokens;
}

/** A name as screening compares it: "The Orion Dynamics Trading Co., Ltd." → "orion dynamics trading". */
export function normalizeName(name: string): string {
  return significantTokens(name).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Similarity

/** Jaro–Winkler similarity (prefix scale 0.1, prefix up to 4, boost when Jaro ≥ 0.7). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(b.length - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let k = 0;
  let transpositions = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  if (jaro < 0.7) return jaro;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Optimal-string-alignment Damerau–Levenshtein distance (insert, delete, substitute, swap neighbours). */
export function damerauLevenshtein(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Below this, two words are not taken for variants of each other. */
const TOKEN_FLOOR = 0.8;

/** Two words: 1 when equal; Jaro–Winkler otherwise, words of up to 3 letters only when equal. */
export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length <= 3 || b.length <= 3) return 0;
  const s = jaroWinkler(a, b);
  return s >= TOKEN_FLOOR ? s : 0;
}

interface Alignment {
  /** Σ similarity × (length of both words) over the matched pairs. */
  weighted: number;
  /** Σ similarity × length over the matched words of the shorter name only. */
  shortWeighted: number;
}

/** Pairs words of the two names greedily, best pairs first, each word used once (word order does not matter). */
function align(a: string[], b: string[]): Alignment {
  const pairs: { i: number; j: number; s: number }[] = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const s = tokenSimilarity(a[i]!, b[j]!);
      if (s > 0) pairs.push({ i, j, s });
    }
  }
  pairs.sort((x, y) => y.s - x.s || x.i - y.i || x.j - y.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const aIsShort = a.join('').length <= b.join('').length;
  let weighted = 0;
  let shortWeighted = 0;
  for (const { i, j, s } of pairs) {
    if (usedA.has(i) || usedB.has(j)) continue;
    usedA.add(i);
    usedB.add(j);
    const la = a[i]!.length;
    const lb = b[j]!.length;
    weighted += s * (la + lb);
    shortWeighted += s * (aIsShort ? la : lb);
  }
  return { weighted, shortWeighted };
}

/**
 * How alike two names are, 0–1, after normalisation. The best of:
 *  - word-set alignment: the words of both names paired regardless of order (each pair scored by
 *    Jaro–Winkler, so a typo costs little), weighted by word length — reversed or shuffled
 *    multi-word names score 1;
 *  - whole-name edit similarity, spaces removed (1 − Damerau–Levenshtein / longer length), for
 *    words split or joined differently ("Skynet" / "Sky Net");
 *  - containment: a name of two or more words wholly found in a longer one scores 0.8–0.95
 *    depending on how much of the longer name it covers, so that "Orion Dynamics" is shown
 *    against "Orion Dynamics Trading Co., Ltd." for the officer to decide.
 */
export function nameSimilarity(a: string, b: string): number {
  const ta = significantTokens(a);
  const tb = significantTokens(b);
  if (!ta.length || !tb.length) return 0;
  const ja = ta.join(' ');
  const jb = tb.join(' ');
  if (ja === jb) return 1;
  const lenA = ta.join('').length;
  const lenB = tb.join('').length;
  const { weighted, shortWeighted } = align(ta, tb);
  const tokenScore = weighted / (lenA + lenB);

  const ca = ta.join('');
  const cb = tb.join('');
  const longer = Math.max(ca.length, cb.length);
  const compactScore = ca === cb ? 1 : longer >= 6 ? Math.max(0, 1 - damerauLevenshtein(ca, cb) / longer) : 0;

  let containment = 0;
  const shortTokens = lenA <= lenB ? ta : tb;
  if (shortTokens.length >= 2) {
    const shortLen = Math.min(lenA, lenB);
    const coverage = shortWeighted / shortLen;
    containment = coverage * (0.8 + 0.15 * (shortLen / Math.max(lenA, lenB)));
  }
  const score = Math.max(tokenScore, compactScore, containment);
  // Only equal normalised names score a full 1.
  return Math.min(score, 0.999);
}

/** Rounded for display and storage. */
export function roundScore(score: number): number {
  return Math.round(score * 1000) / 1000;
}
