/**
 * The evaluation of screening on the labelled set kept in tests/fixtures/screening-eval/:
 * entries.tsv (entries written from the public OFAC SDN list and modelled on the BIS lists,
 * with aliases and countries) and cases.tsv (names to screen, with the entry each should find,
 * or `-` for an innocent organization or person that shares words with entries, and a kind).
 * `npm run screening:eval` prints the figures (src/cli/screening-eval.ts).
 */
import { readFileSync } from 'node:fs';
import type { IndexableEntry } from './list-index.ts';
import { ScreeningIndex } from './list-index.ts';

export const SOURCES: Record<string, string> = {
  SDN: 'Specially Designated Nationals (SDN) - Treasury Department',
  EL: 'Entity List (EL) - Bureau of Industry and Security',
  MEU: 'Military End User (MEU) List - Bureau of Industry and Security',
  UVL: 'Unverified List (UVL) - Bureau of Industry and Security',
  DPL: 'Denied Persons List (DPL) - Bureau of Industry and Security',
};

export interface EvalCase {
  query: string;
  country: string | null;
  expected: string | null;
  kind: string;
}

const rows = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.split('\t'));

export function loadEvalEntries(dir: URL): IndexableEntry[] {
  return rows(readFileSync(new URL('entries.tsv', dir), 'utf8')).map(([id, source, type, name, aliases, country, city]) => ({
    id: id!,
    source: SOURCES[source!] ?? source!,
    type: type ?? null,
    name: name!,
    altNames: (aliases ?? '').split('|').filter(Boolean),
    programs: [],
    addresses: country ? [{ city: city || null, country }] : [],
    ids: [],
    startDate: null,
    endDate: null,
    remarks: null,
    sourceListUrl: null,
  }));
}

export function loadEvalCases(dir: URL): EvalCase[] {
  return rows(readFileSync(new URL('cases.tsv', dir), 'utf8')).map(([query, country, expected, kind]) => ({
    query: query!,
    country: country || null,
    expected: expected && expected !== '-' ? expected : null,
    kind: kind ?? 'other',
  }));
}

export interface CaseResult {
  case: EvalCase;
  /** Every candidate down to the lowest threshold swept: entry id, score, shown whatever the score. */
  candidates: { id: string; score: number; mustShow: boolean }[];
}

export function runEval(index: ScreeningIndex, cases: EvalCase[], floor = 0.5): CaseResult[] {
  return cases.map((c) => ({
    case: c,
    candidates: index
      .screen({ names: [c.query], country: c.country }, floor)
      .map((s) => ({ id: s.entry.id, score: s.score, mustShow: s.mustShow })),
  }));
}

export interface Figures {
  threshold: number;
  recall: number;
  precision: number;
  innocentClean: number;
  positives: number;
  found: number;
  candidates: number;
  correct: number;
  innocents: number;
  clean: number;
}

export function figuresAt(results: CaseResult[], threshold: number): Figures {
  let positives = 0;
  let found = 0;
  let candidates = 0;
  let correct = 0;
  let innocents = 0;
  let clean = 0;
  for (const r of results) {
    const shown = r.candidates.filter((c) => c.score >= threshold || c.mustShow);
    candidates += shown.length;
    if (r.case.expected) {
      positives++;
      if (shown.some((c) => c.id === r.case.expected)) {
        found++;
        correct++;
      }
    } else {
      innocents++;
      if (shown.length === 0) clean++;
    }
  }
  return {
    threshold,
    recall: positives ? found / positives : 1,
    precision: candidates ? correct / candidates : 1,
    innocentClean: innocents ? clean / innocents : 1,
    positives,
    found,
    candidates,
    correct,
    innocents,
    clean,
  };
}

export function byKind(results: CaseResult[], threshold: number): Record<string, Figures> {
  const kinds = [...new Set(results.map((r) => r.case.kind))].sort();
  return Object.fromEntries(
    kinds.map((k) => [
      k,
      figuresAt(
        results.filter((r) => r.case.kind === k),
        threshold,
      ),
    ]),
  );
}
