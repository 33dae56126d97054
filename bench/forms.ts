// npm run bench:forms: the time to read the largest form the site allows, and forms over its
// caps, with the form reader (src/lib/server/forms.ts) and, for comparison, the reader it
// replaced (request.formData() and one getAll() per distinct name: quadratic in the fields).
// Pure computation, in this process: no server, no build needed. Prints a table.
import { formObject, FORM_LIMITS, InputError, readForm } from '../src/lib/server/forms.ts';
import { parseJson } from '../src/lib/server/json.ts';

const RUNS = 5;

function request(body: string, type: string): Request {
  return new Request('http://127.0.0.1/form', { method: 'POST', headers: { 'content-type': type }, body });
}

const URLENCODED = 'application/x-www-form-urlencoded';
const urlencoded = (n: number, value = '') => Array.from({ length: n }, (_, i) => `f${i}=${value}`).join('&');
const multipart = (n: number, value = '') =>
  Array.from({ length: n }, (_, i) => `--B\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\n${value}\r\n`).join('') +
  '--B--\r\n';

/** The old reader: FormData, then getAll once per distinct key. */
async function before(body: string, type: string): Promise<void> {
  const form = await request(body, type).formData();
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) out[key] = form.getAll(key).filter((v) => typeof v === 'string')[0] ?? '';
}

async function after(body: string, type: string, maxFields?: number): Promise<string> {
  try {
    const form = await readForm(request(body, type), maxFields ? { maxFields } : {});
    formObject(form!);
    return `read, ${form!.size} fields`;
  } catch (error) {
    if (error instanceof InputError) return `refused ${error.status}`;
    throw error;
  }
}

async function median(fn: () => Promise<unknown>, runs = RUNS): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const cases: { name: string; body: string; type: string; maxFields?: number; beforeRuns?: number; noBefore?: boolean }[] = [
  {
    name: `largest allowed form: ${FORM_LIMITS.maxFields} fields of 1 KB (urlencoded)`,
    body: urlencoded(FORM_LIMITS.maxFields, 'x'.repeat(1024)),
    type: URLENCODED,
  },
  {
    name: 'largest allowed proposal section: 1,000 fields of 1 KB (multipart)',
    body: multipart(1000, 'x'.repeat(1024)),
    type: 'multipart/form-data; boundary=B',
    maxFields: 1000,
  },
  { name: 'one field at the 64 KiB cap', body: `a=${'x'.repeat(FORM_LIMITS.maxFieldBytes)}`, type: URLENCODED },
  { name: '30,000 empty fields (148 KB, the sign-in attack)', body: urlencoded(30_000), type: URLENCODED, beforeRuns: 1 },
  { name: '1 MiB of empty fields (~110,000)', body: urlencoded(110_000).slice(0, 1024 * 1024), type: URLENCODED, noBefore: true },
  { name: '10,000 multipart parts', body: multipart(10_000), type: 'multipart/form-data; boundary=B', beforeRuns: 1 },
];

const skipBefore = process.argv.includes('--no-before');
console.log(
  `Form reading, median of ${RUNS} runs (the old reader: ${skipBefore ? 'skipped' : 'once for the large cases'}), Node ${process.version}\n`,
);
console.log(`| form | bytes | reader now | old reader |`);
console.log(`| --- | --- | --- | --- |`);
for (const c of cases) {
  let outcome = '';
  const now = await median(async () => (outcome = await after(c.body, c.type, c.maxFields)));
  const old = skipBefore || c.noBefore ? undefined : await median(() => before(c.body, c.type), c.beforeRuns ?? RUNS);
  console.log(
    `| ${c.name} | ${c.body.length.toLocaleString('en-US')} | ${now.toFixed(1)} ms (${outcome}) | ${old === undefined ? (c.noBefore ? 'not run (minutes: quadratic)' : '—') : `${old.toFixed(1)} ms`} |`,
  );
}

const deep = '['.repeat(500_000) + ']'.repeat(500_000);
const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i])));
for (const [name, text] of [
  ['JSON nested 500,000 deep (1 MB)', deep],
  ['JSON with 50,000 keys', wide],
] as const) {
  const ms = await median(async () => {
    try {
      parseJson(text, { maxBytes: 2 * 1024 * 1024 });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
    }
  });
  console.log(`| ${name} | ${text.length.toLocaleString('en-US')} | ${ms.toFixed(1)} ms (refused) | — |`);
}
