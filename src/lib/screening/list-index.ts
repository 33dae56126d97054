/**
 * The screening list in memory: every alias of every entry read once (./normalize.ts), the
 * rarity of each word across all names of the list, and the blocking keys that find the
 * candidates of a name without scoring the whole list — each word's folded key, its one- and
 * (from eight letters) two-letter deletions (so any spelling variant the scorer accepts is
 * found), its phonetic key, adjacent words written as one, and acronyms. Candidates found are
 * scored with ./score.ts; the party's country and identifiers then raise or lower the score.
 */
import countries from 'i18n-iso-countries';
import '../reference/countries.ts';
import type { ScreeningEntryRow, ScreeningIdentifier } from '../../../db/schema/screening.ts';
import { analyzeName, foldWord, type AnalyzedName } from './normalize.ts';
import { allowedEdits, compareNames, type NameComparison, type WordWeight } from './score.ts';
import { ABBREVIATIONS, WORD_PRIOR } from './words.ts';

export type IndexableEntry = Pick<
  ScreeningEntryRow,
  | 'id'
  | 'name'
  | 'altNames'
  | 'type'
  | 'source'
  | 'programs'
  | 'addresses'
  | 'startDate'
  | 'endDate'
  | 'remarks'
  | 'sourceListUrl'
> & { ids?: ScreeningIdentifier[] | null };

export interface Party {
  /** The party's names: legal name, trading names, alternate names. */
  names: string[];
  /** ISO 3166-1 alpha-2 code of the party's country. */
  country?: string | null | undefined;
  /** Registration, tax or other numbers of the party. */
  ids?: string[] | undefined;
}

export interface CountryEvidence {
  party: string;
  entry: string[];
  effect: 'match' | 'mismatch';
  delta: number;
}

export interface IdentifierEvidence {
  number: string;
  type: string | null;
  delta: number;
}

export interface PairScore {
  alias: string;
  query: string;
  /** The name score of this alias against this name (before country and identifiers). */
  score: number;
  comparison: NameComparison;
}

export interface EntryScore {
  entry: IndexableEntry;
  countries: string[];
  best: PairScore;
  pairs: PairScore[];
  /** The best name score with the country and identifier evidence applied (0–1). */
  score: number;
  country: CountryEvidence | null;
  identifier: IdentifierEvidence | null;
  /** Shown whatever the score: an exact name, or a shared identifier. */
  mustShow: boolean;
}

/** How the country moves the score: a little up when it is the entry's, more down when it is not. */
export const COUNTRY_MATCH = 0.03;
export const COUNTRY_MISMATCH = -0.07;
/** A registration number the entry also has. */
export const IDENTIFIER_MATCH = 0.15;

/** The prior share of a place name. */
const PLACE_SHARE = 0.02;
/** Pseudo-count of names behind the word prior (./words.ts WORD_PRIOR). */
const PRIOR_NAMES = 2000;
/** Aliases scored per screened name at most (the best by their blocking bound). */
const MAX_ALIASES = 200;
/** An alias is scored when the words it shares with the name carry at least this share of the name's weight. */
const MIN_BOUND = 0.3;

const normalizeId = (id: string) => id.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');

function deletions(key: string, depth: number): string[] {
  const out = new Set<string>();
  let level = [key];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const w of level) {
      if (w.length <= 3) continue;
      for (let i = 0; i < w.length; i++) {
        const v = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(v)) {
          out.add(v);
          next.push(v);
        }
      }
    }
    level = next;
  }
  return [...out];
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}

export class ScreeningIndex {
  readonly entries: IndexableEntry[];
  readonly aliasCount: number;
  private readonly aliasEntry: number[] = [];
  private readonly aliasNames: AnalyzedName[] = [];
  private readonly aliasText: string[] = [];
  private readonly entryAliases: number[][] = [];
  private readonly entryCountries: string[][] = [];
  /** Per entry: the folded words and acronyms of all its aliases. */
  private readonly entryWords: Set<string>[] = [];
  private readonly df = new Map<string, number>();
  private readonly tokenId = new Map<string, number>();
  private readonly tokenAliases: number[][] = [];
  private readonly deletionTokens = new Map<string, number[]>();
  private readonly soundTokens = new Map<string, number[]>();
  private readonly joinedAliases = new Map<string, number[]>();
  private readonly acronymAliases = new Map<string, number[]>();
  private readonly idEntries = new Map<string, number[]>();
  private readonly prior = new Map<string, number>();
  private readonly weights = new Map<string, number>();

  constructor(entries: IndexableEntry[]) {
    this.entries = entries;
    for (const [word, share] of WORD_PRIOR) this.prior.set(foldWord(ABBREVIATIONS[word] ?? word), share);
    // Places (countries, and the cities of the list's addresses) are common words of names: an
    // added "Dubai" or "Geneva" costs little, a shared "Beijing" proves little.
    const places = [
      ...Object.values(countries.getNames('en', { select: 'alias' })),
      ...entries.flatMap((e) => e.addresses.map((a) => a.city ?? '')),
    ];
    for (const place of places) {
      for (const t of analyzeName(place).significant) if (!this.prior.has(t.key)) this.prior.set(t.key, PLACE_SHARE);
    }
    entries.forEach((entry, e) => {
      const names = [entry.name, ...entry.altNames.filter((a) => a !== entry.name)];
      const aliases: number[] = [];
      for (const text of names) {
        const analyzed = analyzeName(text);
        if (analyzed.significant.length === 0) continue;
        const a = this.aliasNames.length;
        this.aliasNames.push(analyzed);
        this.aliasText.push(text);
        this.aliasEntry.push(e);
        aliases.push(a);
        this.indexAlias(a, analyzed);
      }
      this.entryAliases.push(aliases);
      const words = new Set<string>();
      for (const a of aliases) {
        const name = this.aliasNames[a]!;
        for (const t of name.significant) if (t.kind === 'word') words.add(t.key.replace(/s$/, '')).add(t.key);
        const initials = name.tokens
          .filter((t) => t.kind !== 'joining' && /^[a-z]/.test(t.raw))
          .map((t) => t.raw[0])
          .join('');
        if (initials.length >= 3) words.add(foldWord(initials));
      }
      this.entryWords.push(words);
      const countries = new Set<string>();
      for (const address of entry.addresses) if (address.country) countries.add(address.country.toUpperCase());
      for (const id of entry.ids ?? []) {
        if (id.country) countries.add(id.country.toUpperCase());
        const n = normalizeId(id.number);
        if (n.length >= 4) push(this.idEntries, n, e);
      }
      this.entryCountries.push([...countries].sort());
    });
    this.aliasCount = this.aliasNames.length;
    for (const [key, id] of this.tokenId) {
      const tokens = deletions(key, key.length >= 8 ? 2 : 1);
      for (const d of tokens) push(this.deletionTokens, d, id);
    }
  }

  private indexAlias(a: number, name: AnalyzedName): void {
    const seen = new Set<string>();
    for (const t of name.significant) {
      if (seen.has(t.key)) continue;
      seen.add(t.key);
      this.df.set(t.key, (this.df.get(t.key) ?? 0) + 1);
      let id = this.tokenId.get(t.key);
      if (id === undefined) {
        id = this.tokenAliases.length;
        this.tokenId.set(t.key, id);
        this.tokenAliases.push([]);
        if (t.sound.length >= 3 && t.sound !== t.key) push(this.soundTokens, t.sound, id);
      }
      this.tokenAliases[id]!.push(a);
    }
    // Two adjacent words written as one, and the acronym of the name's words.
    const seq = name.tokens.filter((t) => t.kind !== 'legal');
    for (let i = 0; i + 1 < seq.length; i++) {
      push(this.joinedAliases, foldWord(seq[i]!.word + seq[i + 1]!.word), a);
      if (i + 2 < seq.length) push(this.joinedAliases, foldWord(seq[i]!.word + seq[i + 1]!.word + seq[i + 2]!.word), a);
    }
    const initials = name.tokens.filter((t) => t.kind !== 'joining' && /^[a-z]/.test(t.raw)).map((t) => t.raw[0]);
    for (let len = 3; len <= Math.min(8, initials.length); len++) {
      for (let i = 0; i + len <= initials.length; i++) push(this.acronymAliases, initials.slice(i, i + len).join(''), a);
    }
  }

  /** The weight of a word: its inverse document frequency over every name of the list, with the prior of common words. */
  readonly weight: WordWeight = (key) => {
    let w = this.weights.get(key);
    if (w === undefined) {
      const df = this.df.get(key) ?? 0;
      const prior = (this.prior.get(key) ?? 0) * PRIOR_NAMES;
      const idf = Math.log((this.aliasCount + PRIOR_NAMES) / (df + prior + 0.5));
      w = Math.max(0.05, idf) ** 1.5;
      if (this.weights.size < 200_000) this.weights.set(key, w);
    }
    return w;
  };

  /** How many names of the list have these initials, as a word or as the initials of their words. */
  readonly acronymCount = (initials: string): number =>
    (this.tokenAliases[this.tokenId.get(foldWord(initials)) ?? -1]?.length ?? 0) +
    (this.acronymAliases.get(initials)?.length ?? 0);

  /** How many names of the list have the word (folded key). */
  documentFrequency(key: string): number {
    return this.df.get(key) ?? 0;
  }

  private tokensLike(key: string, sound: string): Set<number> {
    const out = new Set<number>();
    const exact = this.tokenId.get(key);
    if (exact !== undefined) out.add(exact);
    if (allowedEdits(key.length) > 0 || key.length >= 4) {
      for (const d of [key, ...deletions(key, key.length >= 8 ? 2 : 1)]) {
        for (const id of this.deletionTokens.get(d) ?? []) out.add(id);
        const direct = this.tokenId.get(d);
        if (direct !== undefined) out.add(direct);
      }
    }
    if (sound.length >= 3) for (const id of this.soundTokens.get(sound) ?? []) out.add(id);
    const bySound = this.tokenId.get(sound);
    if (bySound !== undefined && sound.length >= 3) out.add(bySound);
    return out;
  }

  /** Aliases that may match one screened name, by blocking keys, best bound first. */
  candidateAliases(query: AnalyzedName, minBound = MIN_BOUND): number[] {
    const weights = query.significant.map((t) => (t.kind === 'joining' ? 0 : this.weight(t.key)));
    const total = weights.reduce((s, w) => s + w, 0) || 1;
    const bound = new Map<number, number>();
    const add = (lists: Iterable<readonly number[]>, w: number) => {
      const seen = new Set<number>();
      for (const list of lists) {
        for (const a of list) {
          if (seen.has(a)) continue;
          seen.add(a);
          bound.set(a, (bound.get(a) ?? 0) + w);
        }
      }
    };
    query.significant.forEach((t, i) => {
      const lists: (readonly number[])[] = [];
      for (const id of this.tokensLike(t.key, t.sound)) lists.push(this.tokenAliases[id]!);
      const joined = this.joinedAliases.get(t.key);
      if (joined) lists.push(joined);
      const acronym = /^[a-z]{3,8}$/.test(t.raw) ? this.acronymAliases.get(t.raw) : undefined;
      if (acronym) lists.push(acronym);
      add(lists, weights[i]!);
    });
    // Two or three adjacent words of the name written as one in the alias.
    const seq = query.tokens.filter((t) => t.kind !== 'legal');
    for (let i = 0; i + 1 < seq.length; i++) {
      for (let n = 2; n <= 3 && i + n <= seq.length; n++) {
        const run = seq.slice(i, i + n);
        const key = foldWord(run.map((t) => t.word).join(''));
        const w = run.reduce((sum, t) => {
          const j = query.significant.findIndex((x) => x.at === t.at);
          return sum + (j >= 0 ? weights[j]! : 0);
        }, 0);
        add(
          [...this.tokensLike(key, '')].map((id) => this.tokenAliases[id]!),
          w,
        );
      }
    }
    // The name's acronym as a word of the alias.
    const initials = query.tokens.filter((t) => t.kind !== 'joining' && /^[a-z]/.test(t.raw)).map((t) => t.raw[0]);
    for (let len = 3; len <= Math.min(8, initials.length); len++) {
      for (let i = 0; i + len <= initials.length; i++) {
        const id = this.tokenId.get(foldWord(initials.slice(i, i + len).join('')));
        if (id !== undefined) add([this.tokenAliases[id]!], total * (len / initials.length));
      }
    }
    const kept = [...bound].filter(([, b]) => b / total >= minBound);
    kept.sort((x, y) => y[1] - x[1]);
    return kept.slice(0, MAX_ALIASES).map(([a]) => a);
  }

  /** Entries that may match the party: by its names' blocking keys, and by a shared identifier. */
  candidateEntries(party: Party, analyzed: AnalyzedName[] = party.names.map(analyzeName)): number[] {
    const out = new Set<number>();
    for (const name of analyzed) for (const a of this.candidateAliases(name)) out.add(this.aliasEntry[a]!);
    for (const id of party.ids ?? []) for (const e of this.idEntries.get(normalizeId(id)) ?? []) out.add(e);
    return [...out];
  }

  /** Every alias of entry `e` against every name, with the country and identifier evidence. */
  scoreEntry(e: number, party: Party, analyzed: AnalyzedName[] = party.names.map(analyzeName)): EntryScore | undefined {
    const entry = this.entries[e]!;
    const pairs: PairScore[] = [];
    for (const a of this.entryAliases[e]!) {
      analyzed.forEach((q, i) => {
        const comparison = compareNames(q, this.aliasNames[a]!, this.weight, this.entryWords[e], this.acronymCount);
        pairs.push({ alias: this.aliasText[a]!, query: party.names[i]!, score: comparison.score, comparison });
      });
    }
    if (pairs.length === 0) return undefined;
    const literal = (p: PairScore) => p.comparison.matches.filter((m) => m.how === 'exact').length;
    pairs.sort((x, y) => y.score - x.score || literal(y) - literal(x));
    const best = pairs[0]!;
    const countries = this.entryCountries[e]!;
    let country: CountryEvidence | null = null;
    const partyCountry = party.country?.trim().toUpperCase();
    if (partyCountry && countries.length > 0) {
      const match = countries.includes(partyCountry);
      country = {
        party: partyCountry,
        entry: countries,
        effect: match ? 'match' : 'mismatch',
        delta: match ? COUNTRY_MATCH : COUNTRY_MISMATCH,
      };
    }
    let identifier: IdentifierEvidence | null = null;
    const partyIds = new Set((party.ids ?? []).map(normalizeId).filter((n) => n.length >= 4));
    for (const id of entry.ids ?? []) {
      if (partyIds.has(normalizeId(id.number))) {
        identifier = { number: id.number, type: id.type ?? null, delta: IDENTIFIER_MATCH };
        break;
      }
    }
    const cap = best.comparison.exact ? 1 : 0.999;
    const score = Math.max(0, Math.min(cap, best.score + (country?.delta ?? 0) + (identifier?.delta ?? 0)));
    return {
      entry,
      countries,
      best,
      pairs,
      score,
      country,
      identifier,
      mustShow: best.comparison.exact || identifier !== null,
    };
  }

  /** The share of a name's weight an alias must share with it to be scored at all, for `minScore`. */
  static minBound(minScore: number): number {
    // A name score s needs the name's coverage c ≥ 2s − 1 (the alias's is at most 1); the country may add a little.
    return Math.max(MIN_BOUND, 2 * (minScore - COUNTRY_MATCH) - 1 - 0.05);
  }

  /**
   * The candidates of a party at or above `minScore` (and those that must be shown), best first.
   * The aliases found by blocking are scored first; the entries that pass are then scored in
   * full (every alias against every name) for the evidence.
   */
  screen(party: Party, minScore: number): EntryScore[] {
    const names = party.names.filter((n) => n.trim());
    if (names.length === 0) return [];
    const p = { ...party, names };
    const analyzed = names.map(analyzeName);
    const partyCountry = p.country?.trim().toUpperCase();
    const passing = new Set<number>();
    const minBound = ScreeningIndex.minBound(minScore);
    analyzed.forEach((q) => {
      for (const a of this.candidateAliases(q, minBound)) {
        const e = this.aliasEntry[a]!;
        if (passing.has(e)) continue;
        const c = compareNames(q, this.aliasNames[a]!, this.weight, this.entryWords[e], this.acronymCount);
        const countries = this.entryCountries[e]!;
        const delta =
          partyCountry && countries.length ? (countries.includes(partyCountry) ? COUNTRY_MATCH : COUNTRY_MISMATCH) : 0;
        if (c.exact || c.score + delta >= minScore) passing.add(e);
      }
    });
    for (const id of p.ids ?? []) for (const e of this.idEntries.get(normalizeId(id)) ?? []) passing.add(e);
    const out: EntryScore[] = [];
    for (const e of passing) {
      const scored = this.scoreEntry(e, p, analyzed);
      if (scored && (scored.score >= minScore || scored.mustShow)) out.push(scored);
    }
    return out.sort((x, y) => y.score - x.score || x.entry.name.localeCompare(y.entry.name));
  }
}
