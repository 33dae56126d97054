// npm run screening:check -- [--json] [--min-score X] [--country CC] [--id NUMBER] NAME…
// Screens one party (all the NAMEs given) against the imported list. With no NAME, reads parties
// as JSON lines from standard input ({"names":[…],"country":"XX","ids":[…]}) and writes one JSON
// result per line. Errors (no list imported, bad input) exit non-zero with a message.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createDb } from '../../db/index.ts';
import { AppError } from '../../db/errors.ts';
import { latestScreeningImport } from '../../db/queries/screening.ts';
import { isCountryCode } from '../lib/reference/countries.ts';
import { minScoreFromEnv, screenParty, type ScreeningResult } from '../lib/screening/match.ts';
import { configFromEnv } from '../lib/server/bootstrap.ts';
import { normalizeLine } from '../lib/server/text.ts';
import { runCli } from './_services.ts';

const MAX_NAMES = 50;
const MAX_NAME = 300;
const MAX_LINE = 64 * 1024;

const PartyInput = z
  .object({
    names: z
      .array(
        z
          .string()
          .transform((n) => (normalizeLine(n) ?? '').trim())
          .pipe(z.string().min(1, 'a name is empty').max(MAX_NAME, `a name is over ${MAX_NAME} characters`)),
      )
      .min(1, 'at least one name is needed')
      .max(MAX_NAMES, `at most ${MAX_NAMES} names`),
    country: z
      .string()
      .transform((c) => c.trim().toUpperCase())
      .refine((c) => c === '' || isCountryCode(c), 'country must be an ISO 3166-1 alpha-2 code')
      .nullish(),
    ids: z.array(z.string().max(100)).max(20).optional(),
  })
  .strict();

function invalid(message: string): AppError {
  return new AppError('INVALID_INPUT', message);
}

function printText(result: ScreeningResult): void {
  console.log(
    `Screened ${result.names.map((n) => `"${n}"`).join(', ')}${result.country ? ` (${result.country})` : ''} at minimum score ${result.minScore}:`,
  );
  if (result.candidates.length === 0) console.log('  no candidate.');
  for (const c of result.candidates) {
    console.log(`  ${c.score.toFixed(3)}  ${c.name}  [${c.entryId}] — ${c.source}`);
    console.log(`         matched alias "${c.matchedAlias}" against "${c.matchedQuery}"`);
    console.log(`         ${c.explanation.text}`);
  }
}

function jsonResult(result: ScreeningResult) {
  return {
    names: result.names,
    country: result.country ?? null,
    minScore: result.minScore,
    list: result.list && { importId: result.list.importId, importedAt: result.list.importedAt, filename: result.list.filename },
    candidates: result.candidates.map((c) => ({
      entryId: c.entryId,
      name: c.name,
      list: c.source,
      matchedAlias: c.matchedAlias,
      matchedQuery: c.matchedQuery,
      score: c.score,
      scores: c.scores,
      countries: c.countries,
      explanation: c.explanation,
    })),
  };
}

await runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'min-score': { type: 'string' },
      country: { type: 'string' },
      id: { type: 'string', multiple: true },
    },
  });
  const minScore = values['min-score'] !== undefined ? Number(values['min-score']) : minScoreFromEnv();
  if (!Number.isFinite(minScore) || minScore <= 0 || minScore > 1)
    throw invalid('--min-score must be a number above 0 and at most 1.');
  let single: z.infer<typeof PartyInput> | undefined;
  if (positionals.length > 0) {
    const parsed = PartyInput.safeParse({ names: positionals, country: values.country, ids: values.id });
    if (!parsed.success) throw invalid(`Bad input: ${parsed.error.issues.map((i) => i.message).join('; ')}.`);
    single = parsed.data;
  } else if (values.country !== undefined || values.id !== undefined) {
    throw invalid('--country and --id go with NAMEs; on standard input give "country" and "ids" in each JSON line.');
  }
  const config = configFromEnv();
  const { db, close } = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, purpose: 'screening:check' });
  try {
    if (!(await latestScreeningImport(db).catch(() => undefined))) {
      throw invalid('No screening list has been imported: run npm run screening:import -- FILE first.');
    }
    if (single) {
      const result = await screenParty({ db }, single, { minScore });
      if (values.json) console.log(JSON.stringify(jsonResult(result)));
      else printText(result);
      return;
    }
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    let n = 0;
    let bad = 0;
    for await (const raw of lines) {
      n++;
      const line = raw.trim();
      if (!line) continue;
      let party: z.infer<typeof PartyInput>;
      try {
        if (line.length > MAX_LINE) throw new Error(`the line is over ${MAX_LINE} characters`);
        const parsed = PartyInput.safeParse(JSON.parse(line));
        if (!parsed.success)
          throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; '));
        party = parsed.data;
      } catch (error) {
        bad++;
        console.error(`Line ${n}: not a party (${(error as Error).message}); expected {"names":["…"],"country":"XX"}.`);
        console.log(JSON.stringify({ line: n, error: (error as Error).message }));
        continue;
      }
      const result = await screenParty({ db }, party, { minScore });
      console.log(JSON.stringify(jsonResult(result)));
    }
    if (bad > 0) {
      console.error(`${bad} of ${n} lines were not parties.`);
      process.exitCode = 1;
    }
  } finally {
    await close();
  }
});
