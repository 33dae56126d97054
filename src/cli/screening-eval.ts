// npm run screening:eval [-- --threshold X] [--misses] [--distractors N]: screens the labelled set of
// tests/fixtures/screening-eval/ and prints recall, precision, the innocent-clean rate, the results
// by kind and a threshold sweep. No database: the list is read into memory from the fixture.
import { parseArgs } from 'node:util';
import { byKind, figuresAt, loadEvalCases, loadEvalEntries, runEval } from '../lib/screening/eval.ts';
import { ScreeningIndex } from '../lib/screening/list-index.ts';
import { DEFAULT_MIN_SCORE } from '../lib/screening/match.ts';
import { syntheticEntries } from '../lib/screening/synthetic.ts';

const { values } = parseArgs({
  options: {
    threshold: { type: 'string' },
    misses: { type: 'boolean', default: false },
    distractors: { type: 'string', default: '0' },
  },
});
const threshold = values.threshold ? Number(values.threshold) : DEFAULT_MIN_SCORE;
if (!(threshold > 0 && threshold <= 1)) {
  console.error('--threshold must be a number above 0 and at most 1.');
  process.exit(2);
}
const distractors = Number(values.distractors);
if (!Number.isInteger(distractors) || distractors < 0) {
  console.error('--distractors must be a whole number.');
  process.exit(2);
}
const dir = new URL('../../tests/fixtures/screening-eval/', import.meta.url);
const entries = [...loadEvalEntries(dir), ...syntheticEntries(distractors, 7).entries];
const cases = loadEvalCases(dir);
const index = new ScreeningIndex(entries);
const results = runEval(index, cases);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`.padStart(8);

const f = figuresAt(results, threshold);
console.log(
  `Labelled set: ${entries.length} entries (${distractors} generated), ${index.aliasCount} names; ${f.positives} variants of listed parties, ${f.innocents} innocent names.`,
);
console.log(`At ${threshold}: recall ${pct(f.recall)}  precision ${pct(f.precision)}  innocent-clean ${pct(f.innocentClean)}`);
console.log(
  `  (${f.found}/${f.positives} found; ${f.correct}/${f.candidates} candidates are the party; ${f.clean}/${f.innocents} innocents clean)`,
);
console.log('\nBy kind:');
console.log(
  `  ${'kind'.padEnd(22)} ${'cases'.padStart(6)} ${'recall'.padStart(8)} ${'precision'.padStart(9)} ${'clean'.padStart(8)}`,
);
for (const [kind, k] of Object.entries(byKind(results, threshold))) {
  const n = k.positives + k.innocents;
  console.log(
    `  ${kind.padEnd(22)} ${String(n).padStart(6)} ${k.positives ? pct(k.recall) : '       –'} ${pct(k.precision).padStart(9)} ${k.innocents ? pct(k.innocentClean) : '       –'}`,
  );
}
console.log('\nThreshold sweep:');
console.log(`  ${'min score'.padEnd(10)} ${'recall'.padStart(8)} ${'precision'.padStart(9)} ${'clean'.padStart(8)}`);
for (let t = 0.6; t <= 0.951; t += 0.025) {
  const s = figuresAt(results, Math.round(t * 1000) / 1000);
  const mark = Math.abs(s.threshold - threshold) < 1e-9 ? '  ← default' : '';
  console.log(
    `  ${s.threshold.toFixed(3).padEnd(10)} ${pct(s.recall)} ${pct(s.precision).padStart(9)} ${pct(s.innocentClean)}${mark}`,
  );
}
if (values.misses) {
  console.log('\nMisses and false candidates:');
  for (const r of results) {
    const shown = r.candidates.filter((c) => c.score >= threshold || c.mustShow);
    const miss = r.case.expected && !shown.some((c) => c.id === r.case.expected);
    const wrong = shown.filter((c) => c.id !== r.case.expected);
    if (!miss && wrong.length === 0) continue;
    const best = r.candidates.find((c) => c.id === r.case.expected);
    console.log(
      `  [${r.case.kind}] ${r.case.query} (${r.case.country ?? '–'}) → ${r.case.expected ?? 'none'}${miss ? ` MISSED (${best ? best.score.toFixed(3) : 'not retrieved'})` : ''}${wrong.length ? `; wrong: ${wrong.map((w) => `${w.id} ${w.score.toFixed(3)}`).join(', ')}` : ''}`,
    );
  }
}
