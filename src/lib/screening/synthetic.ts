/**
 * A generated screening list at real size (bench/screening.ts, the retrieval test, and the
 * distractors of the evaluation): organizations and persons with made-up words, common words
 * of organization names, legal forms and aliases, and for sampled entries a variant of one of
 * their names (a typo, words reordered, a legal form changed, a word added) to screen.
 * Deterministic for a seed.
 */
import type { IndexableEntry } from './list-index.ts';

const SYLLABLES =
  'ka ro mi ta zen vol dar shi no bel tor an gra vi lek sun ha mar qu zi pol tek ras ny lo ber av sha kor in dus ul bek fa ri om yar'.split(
    ' ',
  );
const COMMON =
  'trading international industrial technology engineering electronics shipping energy investment systems logistics aviation maritime precision chemical research development export import services'.split(
    ' ',
  );
const FORMS = ['LLC', 'Co., Ltd.', 'JSC', 'Limited', 'GmbH', 'S.A.', 'OOO', 'FZE', 'Corporation', 'Inc.', 'Pte. Ltd.', ''];
const PLACES = 'Tehran Moscow Shenzhen Dubai Pyongyang Damascus Caracas Minsk Istanbul Karachi'.split(' ');
const COUNTRIES = ['IR', 'RU', 'CN', 'AE', 'KP', 'SY', 'VE', 'BY', 'TR', 'PK'];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export interface SyntheticList {
  entries: IndexableEntry[];
  /** Variants to screen, each with the entry it must find. */
  queries: { name: string; expected: string }[];
}

export function syntheticEntries(count: number, seed = 1, queryEvery = 0): SyntheticList {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const word = () => {
    const n = 2 + Math.floor(r() * 2);
    let w = '';
    for (let i = 0; i < n; i++) w += pick(SYLLABLES);
    return w[0]!.toUpperCase() + w.slice(1);
  };
  const entries: IndexableEntry[] = [];
  const queries: { name: string; expected: string }[] = [];
  for (let i = 0; i < count; i++) {
    const person = r() < 0.3;
    const country = pick(COUNTRIES);
    let names: string[];
    if (person) {
      const [first, middle, last] = [word(), word(), word()];
      names = [
        `${last.toUpperCase()}, ${first} ${middle}`,
        `${first} ${last}`,
        `${first} ${middle} ${last}`,
        `${first[0]}. ${last}`,
      ];
    } else {
      const core = r() < 0.5 ? [word()] : [word(), word()];
      const common = r() < 0.7 ? [pick(COMMON)] : [];
      const base = [...core, ...common].join(' ');
      names = [
        `${base} ${pick(FORMS)}`.trim(),
        `${pick(PLACES)} ${base}`,
        `${core.join('')} ${pick(FORMS)}`.trim(),
        `${core.map((w) => w[0]).join('')}${common.length ? common[0]![0]!.toUpperCase() : ''} ${pick(FORMS)}`.trim(),
        `${base} ${pick(COMMON)}`,
      ];
    }
    const [name, ...altNames] = names;
    const id = `gen-${i + 1}`;
    entries.push({
      id,
      source: 'Generated List',
      name: name!,
      altNames,
      type: person ? 'Individual' : 'Entity',
      programs: [],
      addresses: [{ city: pick(PLACES), country }],
      ids: [],
      startDate: null,
      endDate: null,
      remarks: null,
      sourceListUrl: null,
    });
    if (queryEvery > 0 && i % queryEvery === 0) {
      const target = pick(names.slice(0, 3));
      const words = target.split(' ');
      const kind = Math.floor(r() * 4);
      let variant: string;
      if (kind === 0) {
        const j = Math.floor(r() * words.length);
        const w = words[j]!;
        const k = 1 + Math.floor(r() * Math.max(1, w.length - 2));
        words[j] = w.length > 4 ? w.slice(0, k) + w.slice(k + 1) : w;
        variant = words.join(' ');
      } else if (kind === 1) variant = [...words].reverse().join(' ');
      else if (kind === 2) variant = `${target} ${pick(FORMS)}`.trim();
      else variant = `${target} ${pick(PLACES)}`;
      queries.push({ name: variant, expected: id });
    }
  }
  return { entries, queries };
}
