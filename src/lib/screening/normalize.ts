/**
 * Names as restricted-party screening reads them. Pure functions, no I/O.
 *
 * `analyzeName` turns a name into tokens:
 *  1. Cyrillic is transliterated to Latin (BGN/PCGN); other scripts (Arabic, Persian, Chinese,
 *     Korean) are kept as they are, so that a native-script name matches the entries that carry it;
 *  2. Unicode compatibility form, accents folded (é → e, ş → s, ß → ss, ı → i…), lower case; `&`
 *     reads as `and`; dots and apostrophes join what they separate (`S.A.` → `sa`, `O'Neil` →
 *     `oneil`); any other punctuation separates words;
 *  3. abbreviations are read as the word they stand for (`Mgmt` → management, `Intl` →
 *     international), and spellings of one word brought together (`industries` → industry);
 *  4. legal forms and company words of the languages on the lists (LLC, Co. Ltd., OOO, ZAO,
 *     Obshchestvo s Ogranichennoi Otvetstvennostyu, Sherkat, Şirketi, S.A. de C.V., GmbH,
 *     Youxian Gongsi…), also misspelt by one letter, are set aside, and so are joining words
 *     (of, the, de…) — unless nothing else would remain;
 *  5. every token gets a transliteration-folded key (KH/H, GH/Q/K, ZH/J/DJ, Y/I, OU/U, W/V, doubled
 *     letters…) and a phonetic key (consonant skeleton, voiced and voiceless alike).
 */
import { ABBREVIATIONS, JOINING_WORDS, LEGAL_FORM_PHRASES, LEGAL_FORM_WORDS } from './words.ts';

export type TokenKind = 'word' | 'number' | 'legal' | 'joining';

export interface NameToken {
  /** The word as written (folded: lower case, accents removed). */
  raw: string;
  /** The word compared: abbreviations expanded. */
  word: string;
  /** Transliteration-folded form of `word`. */
  key: string;
  /** Phonetic key of `word`. */
  sound: string;
  kind: TokenKind;
  /** Position among the name's tokens. */
  at: number;
}

export interface AnalyzedName {
  text: string;
  tokens: NameToken[];
  /** The tokens that are compared: words and numbers, or every token when the name has no other. */
  significant: NameToken[];
  /** Legal forms and company words set aside (as written). */
  setAside: string[];
  /** The significant words joined: what an exact match compares. */
  normalized: string;
}

const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  і: 'i',
  ї: 'yi',
  є: 'ye',
  ґ: 'g',
  ў: 'u',
};

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
  ə: 'a',
};

const HAN_OR_HANGUL = /[\p{Script=Han}\p{Script=Hangul}]/u;

/** Cyrillic to Latin, accents folded, lower case, punctuation to spaces: the words as written. */
export function nameTokens(name: string): string[] {
  const latin = name
    .toLowerCase()
    .replace(/[\u0400-\u04ff]/g, (c) => CYRILLIC[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[ßøæœłđðþıə]/g, (c) => SPECIAL_LETTERS[c] ?? c)
    .replace(/&/g, ' and ')
    .replace(/[.'’‘`´ʼ]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  if (!latin) return [];
  // Chinese and Korean: a legal form written on the end of a run is a word of its own.
  return latin.split(/\s+/).flatMap((w) => (HAN_OR_HANGUL.test(w) ? splitNativeLegalForm(w) : [w]));
}

const NATIVE_LEGAL = LEGAL_FORM_WORDS.filter((w) => HAN_OR_HANGUL.test(w)).sort((a, b) => b.length - a.length);

function splitNativeLegalForm(word: string): string[] {
  for (const form of NATIVE_LEGAL) {
    if (word.length > form.length && word.endsWith(form)) return [...splitNativeLegalForm(word.slice(0, -form.length)), form];
    if (word.length > form.length && word.startsWith(form)) return [form, ...splitNativeLegalForm(word.slice(form.length))];
  }
  return [word];
}

const MEMO_LIMIT = 400_000;
const foldMemo = new Map<string, string>();
const soundMemo = new Map<string, string>();

function memo(cache: Map<string, string>, word: string, compute: (w: string) => string): string {
  let v = cache.get(word);
  if (v === undefined) {
    v = compute(word);
    if (cache.size >= MEMO_LIMIT) cache.clear();
    cache.set(word, v);
  }
  return v;
}

/** Transliteration folding of one word (see the module comment). */
export function foldWord(word: string): string {
  return memo(foldMemo, word, computeFold);
}

function computeFold(word: string): string {
  if (!/^[a-z0-9]+$/.test(word)) return word;
  let s = word
    .replace(/shch|shtch/g, 'sh')
    .replace(/sch/g, 'sh')
    .replace(/tch/g, 'ch')
    .replace(/dzh|dj|zh/g, 'j')
    .replace(/tech/g, 'tek')
    .replace(/kh/g, 'h')
    .replace(/gh/g, 'k')
    .replace(/q/g, 'k')
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/c(?!h)/g, 'k')
    .replace(/hs/g, 's')
    .replace(/x/g, 's')
    .replace(/w/g, 'v')
    .replace(/ou|oo/g, 'u')
    .replace(/ee/g, 'i')
    .replace(/eo/g, 'o')
    .replace(/^y(?=[aeiou])/, 'j')
    .replace(/y/g, 'i')
    .replace(/^abd[aeiou]l/, 'abdal')
    .replace(/(.)\1+/g, '$1')
    .replace(/(?<=.{4})he$/, 'h')
    .replace(/([aeiou])h$/, '$1');
  s = s.replace(/(?<=.{3})(ov|ev)f?$/, (m) => m.slice(0, 2)).replace(/(?<=.{3})off$/, 'ov');
  if (s === 'el') s = 'al';
  return s || word;
}

/** Phonetic key: first letter, then the consonants, voiced and voiceless alike, repeats once. */
export function soundKey(word: string): string {
  return memo(soundMemo, word, computeSound);
}

function computeSound(word: string): string {
  if (!/^[a-z0-9]+$/.test(word)) return word;
  if (/^\d+$/.test(word)) return word;
  const f = foldWord(word)
    .replace(/ch|tsh|ts|tz/g, 'c')
    .replace(/sh/g, 's')
    .replace(/j/g, 'c')
    .replace(/b/g, 'p')
    .replace(/d/g, 't')
    .replace(/g/g, 'k')
    .replace(/v/g, 'f')
    .replace(/z/g, 's');
  const first = /[aeiou]/.test(f[0]!) ? 'a' : f[0]!;
  const rest = f.slice(1).replace(/[aeiouh]/g, '');
  return (first + rest).replace(/(.)\1+/g, '$1');
}

/** Vowel groups of a folded word: a rough count of its syllables. */
export function vowelGroups(key: string): number {
  return key.match(/[aeiou]+/g)?.length ?? 0;
}

const LEGAL_WORDS: ReadonlySet<string> = new Set(LEGAL_FORM_WORDS);
const LEGAL_PHRASES: string[][] = [...new Set(LEGAL_FORM_PHRASES.map((p) => nameTokens(p).join(' ')))]
  .map((p) => p.split(' '))
  .sort((a, b) => b.length - a.length);
const PHRASES_BY_FIRST = new Map<string, string[][]>();
for (const phrase of LEGAL_PHRASES) {
  const list = PHRASES_BY_FIRST.get(phrase[0]!) ?? [];
  list.push(phrase);
  PHRASES_BY_FIRST.set(phrase[0]!, list);
}
/** Legal-form words long enough to be recognised with one wrong letter. */
const FUZZY_LEGAL = [...LEGAL_WORDS].filter((w) => w.length >= 6 && /^[a-z]+$/.test(w));

/** Optimal-string-alignment Damerau–Levenshtein distance (insert, delete, substitute, swap neighbours). */
export function damerauLevenshtein(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (lb + 1 > rowA.length) growRows(lb + 1);
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb]!;
}

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);
function growRows(n: number): void {
  rowA = new Int32Array(n * 2);
  rowB = new Int32Array(n * 2);
  rowC = new Int32Array(n * 2);
}

const legalCache = new Map<string, boolean>();

export function isLegalWord(word: string): boolean {
  if (LEGAL_WORDS.has(word)) return true;
  if (word.length < 6 || !/^[a-z]+$/.test(word)) return false;
  let held = legalCache.get(word);
  if (held === undefined) {
    held = fuzzyLegal(word);
    if (legalCache.size < 100_000) legalCache.set(word, held);
  }
  return held;
}

function fuzzyLegal(word: string): boolean {
  return FUZZY_LEGAL.some(
    (w) => Math.abs(w.length - word.length) <= 1 && w[0] === word[0] && damerauLevenshtein(w, word, 1) <= 1,
  );
}

/** Spellings of the Arabic article written apart ("ol-Anbia", "el-Assad", "ul-Haq"). */
const ARTICLE = new Set(['al', 'el', 'ol', 'ul', 'il']);

function token(raw: string, at: number, kind?: TokenKind): NameToken {
  const word = ARTICLE.has(raw) ? 'al' : (ABBREVIATIONS[raw] ?? raw);
  const k: TokenKind = kind ?? (/^\d+$/.test(word) ? 'number' : JOINING_WORDS.has(raw) ? 'joining' : 'word');
  return { raw, word, key: foldWord(word), sound: soundKey(word), kind: k, at };
}

/** Marks legal-form phrases (as written or with abbreviations expanded) and words. */
function markLegal(tokens: NameToken[]): void {
  for (const form of [(t: NameToken) => t.raw, (t: NameToken) => t.word]) {
    for (let i = 0; i < tokens.length; i++) {
      for (const phrase of PHRASES_BY_FIRST.get(form(tokens[i]!)) ?? []) {
        if (i + phrase.length > tokens.length) continue;
        if (phrase.every((w, k) => form(tokens[i + k]!) === w)) {
          for (let k = 0; k < phrase.length; k++) tokens[i + k]!.kind = 'legal';
          i += phrase.length - 1;
          break;
        }
      }
    }
  }
  for (const t of tokens) {
    if (t.kind === 'word' && (isLegalWord(t.raw) || LEGAL_WORDS.has(t.word))) t.kind = 'legal';
  }
}

/** A name read for screening (see the module comment). */
export function analyzeName(name: string): AnalyzedName {
  const tokens = nameTokens(name).map((raw, i) => token(raw, i));
  markLegal(tokens);
  let significant = tokens.filter((t) => t.kind === 'word' || t.kind === 'number');
  // Never let a name shrink to nothing: "The Group Ltd" is compared as it is.
  if (significant.length === 0)
    significant = tokens.filter((t) => t.kind === 'legal').map((t) => ({ ...t, kind: 'word' as const }));
  if (significant.length === 0) significant = tokens.map((t) => ({ ...t, kind: 'word' as const }));
  return {
    text: name,
    tokens,
    significant,
    setAside: tokens.filter((t) => t.kind === 'legal' && !significant.some((s) => s.at === t.at)).map((t) => t.raw),
    normalized: significant.map((t) => t.key).join(' '),
  };
}

/** A name as screening compares it: "The Orion Dynamics Trading Co., Ltd." → "orion dinamiks trading" (folded keys). */
export function normalizeName(name: string): string {
  return analyzeName(name).normalized;
}

/** Rounded for display and storage. */
export function roundScore(score: number): number {
  return Math.round(score * 1000) / 1000;
}
