/**
 * The Consolidated Screening List (CSL) as the International Trade Administration publishes it:
 * the JSON download / API answer and the CSV download. Both are parsed, validated and normalised
 * to the `screening_entry` shape. Bad files fail with the line (CSV) or entry (JSON) named.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../db/errors.ts';
import type { CslEntry, CslFormat, ScreeningAddress, ScreeningIdentifier } from '../../../db/schema/screening.ts';

export type { CslEntry, CslFormat };

export interface ParsedCsl {
  format: CslFormat;
  entries: CslEntry[];
}

/** The CSV download's header, in order. */
export const CSL_CSV_COLUMNS = [
  '_id',
  'source',
  'entity_number',
  'type',
  'programs',
  'name',
  'title',
  'addresses',
  'federal_register_notice',
  'start_date',
  'end_date',
  'standard_order',
  'license_requirement',
  'license_policy',
  'call_sign',
  'vessel_type',
  'gross_tonnage',
  'gross_registered_tonnage',
  'vessel_flag',
  'vessel_owner',
  'remarks',
  'source_list_url',
  'alt_names',
  'citizenships',
  'dates_of_birth',
  'nationalities',
  'places_of_birth',
  'source_information_url',
  'ids',
] as const;

/** Columns without which a file is not the CSL. */
const REQUIRED_CSV_COLUMNS = ['source', 'name'] as const;

// ---------------------------------------------------------------------------------------------
// Validation

const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => {
    if (v === null || v === undefined) return null;
    const s = String(v).trim();
    return s === '' ? null : s;
  });

const textList = z
  .array(z.union([z.string(), z.number()]).nullable())
  .nullish()
  .transform((list) => (list ?? []).map((v) => (v === null ? '' : String(v).trim())).filter((v) => v !== ''));

const requiredText = (field: string) =>
  z
    .string({
      error: (issue) => (issue.input === undefined || issue.input === null ? `${field} is missing` : `${field} must be text`),
    })
    .trim()
    .min(1, `${field} is empty`);

const AddressSchema = z
  .object({
    address: text,
    city: text,
    state: text,
    postal_code: text,
    country: text,
  })
  .loose();

const IdSchema = z
  .object({
    type: text,
    number: text,
    country: text,
  })
  .loose();

/** One entry of the JSON download: only what the site stores is checked; the rest may be anything. */
export const CslJsonEntry = z
  .object({
    id: text,
    _id: text,
    source: requiredText('source'),
    entity_number: text,
    type: text,
    programs: textList,
    name: requiredText('name'),
    addresses: z.array(AddressSchema).nullish(),
    start_date: text,
    end_date: text,
    remarks: text,
    source_list_url: text,
    alt_names: textList,
    ids: z.array(IdSchema).nullish(),
  })
  .loose();
export type CslJsonEntry = z.infer<typeof CslJsonEntry>;

const CslJsonFile = z.union([z.object({ results: z.array(z.unknown()) }).loose(), z.array(z.unknown())]);

// ---------------------------------------------------------------------------------------------
// Helpers

function invalid(message: string): AppError {
  return new AppError('INVALID_INPUT', message);
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'entry'}: ${i.message}`).join('; ');
}

const clean = (value: string | null | undefined): string | null => {
  const s = value?.trim();
  return s ? s : null;
};

/** An identifier when the file gives none: stable for the same source, number and name. */
function derivedId(source: string, entityNumber: string | null, name: string): string {
  return `csl-${createHash('sha1')
    .update(`${source}\u0000${entityNumber ?? ''}\u0000${name}`)
    .digest('hex')
    .slice(0, 24)}`;
}

function uniqueStrings(values: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const key = v.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

function toEntry(e: CslJsonEntry): CslEntry {
  const name = e.name.trim();
  const addresses: ScreeningAddress[] = (e.addresses ?? [])
    .map((a) => ({
      address: a.address,
      city: a.city,
      state: a.state,
      postal_code: a.postal_code,
      country: a.country ? a.country.toUpperCase() : null,
    }))
    .filter((a) => a.address || a.city || a.state || a.postal_code || a.country);
  const ids: ScreeningIdentifier[] = (e.ids ?? [])
    .filter((i): i is typeof i & { number: string } => !!i.number)
    .map((i) => ({ type: i.type, number: i.number, country: i.country ? i.country.toUpperCase() : null }));
  return {
    id: e.id ?? e._id ?? derivedId(e.source, e.entity_number, name),
    source: e.source.trim(),
    name,
    altNames: uniqueStrings(e.alt_names.filter((n) => n.toLowerCase() !== name.toLowerCase())),
    type: e.type,
    programs: uniqueStrings(e.programs),
    addresses,
    ids,
    startDate: e.start_date,
    endDate: e.end_date,
    remarks: e.remarks,
    sourceListUrl: e.source_list_url,
  };
}

/** Makes ids unique within the file (a later duplicate gets `-2`, `-3`…), so that one import never fails on them. */
function dedupeIds(entries: CslEntry[]): CslEntry[] {
  const used = new Map<string, number>();
  return entries.map((entry) => {
    const n = (used.get(entry.id) ?? 0) + 1;
    used.set(entry.id, n);
    return n === 1 ? entry : { ...entry, id: `${entry.id}-${n}` };
  });
}

// ---------------------------------------------------------------------------------------------
// JSON

/** Parses the JSON download: `{ results: [...] }` (with `total`, `sources`… around it) or a bare array. */
export function parseCslJson(content: string): CslEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw invalid(`The file is not valid JSON: ${(error as Error).message}`);
  }
  const file = CslJsonFile.safeParse(data);
  if (!file.success) throw invalid('The JSON file is neither a CSL answer (an object with "results") nor an array of entries.');
  const raw = Array.isArray(file.data) ? file.data : file.data.results;
  const entries = raw.map((item, index) => {
    const parsed = CslJsonEntry.safeParse(item);
    if (!parsed.success) {
      const o = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
      const label = [
        (o.id ?? o._id) ? `id ${JSON.stringify(o.id ?? o._id)}` : '',
        typeof o.name === 'string' ? `"${o.name}"` : '',
      ]
        .filter(Boolean)
        .join(', ');
      throw invalid(
        `Entry ${index + 1}${label ? ` (${label})` : ''} of the JSON file is invalid: ${describeIssues(parsed.error)}`,
      );
    }
    return toEntry(parsed.data);
  });
  return dedupeIds(entries);
}

// ---------------------------------------------------------------------------------------------
// CSV

export interface CsvRecord {
  /** The line the record starts on (1-based, counting the header). */
  line: number;
  cells: string[];
}

/** RFC 4180: quoted cells may hold commas, quotes (doubled) and line breaks; CRLF or LF; a BOM is skipped. */
export function parseCsvRecords(content: string): CsvRecord[] {
  const s = content.replace(/^\uFEFF/, '');
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let touched = false;
  const endCell = () => {
    cells.push(cell);
    cell = '';
  };
  const endRecord = () => {
    endCell();
    if (!(cells.length === 1 && cells[0] === '' && !touched)) records.push({ line: recordLine, cells });
    cells = [];
    touched = false;
  };
  while (i < s.length) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (c === '\n') line++;
      cell += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (cell.trim() !== '') throw invalid(`Line ${line} of the CSV file: a quote inside an unquoted cell.`);
      cell = '';
      quoted = true;
      touched = true;
      i++;
    } else if (c === ',') {
      endCell();
      touched = true;
      i++;
    } else if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && s[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      cell += c;
      i++;
    }
  }
  if (quoted) throw invalid(`Line ${recordLine} of the CSV file: a quoted cell is never closed.`);
  if (cell !== '' || cells.length > 0 || touched) endRecord();
  return records;
}

/** Multi-valued cells are separated by `; `. */
export function splitMulti(cell: string | undefined): string[] {
  if (!cell) return [];
  return cell
    .split(/;\s*/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * One address of the CSV download: `street, city, state, postal code, country`, read from the
 * right so that a street holding commas stays whole; empty parts are kept as empty.
 */
export function parseCsvAddress(value: string): ScreeningAddress {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length >= 5) {
    const [city, state, postal, country] = parts.slice(-4);
    return {
      address: clean(parts.slice(0, -4).join(', ')),
      city: clean(city),
      state: clean(state),
      postal_code: clean(postal),
      country: clean(country)?.toUpperCase() ?? null,
    };
  }
  // Shorter than the export writes it: the last part is the country, the rest the address.
  const country = parts.length > 1 ? clean(parts[parts.length - 1]) : null;
  return {
    address: clean((parts.length > 1 ? parts.slice(0, -1) : parts).join(', ')),
    city: null,
    state: null,
    postal_code: null,
    country: country?.toUpperCase() ?? null,
  };
}

/** One identifier of the CSV download: `type, number, country` (or just the number). */
export function parseCsvId(value: string): { type: string | null; number: string; country: string | null } {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length === 1) return { type: null, number: parts[0]!, country: null };
  return { type: clean(parts[0]), number: parts[1] ?? '', country: clean(parts[2])?.toUpperCase() ?? null };
}

export function parseCslCsv(content: string): CslEntry[] {
  const records = parseCsvRecords(content);
  const header = records.shift();
  if (!header) throw invalid('The CSV file is empty.');
  const columns = header.cells.map((c) => c.trim());
  const missing = REQUIRED_CSV_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) {
    throw invalid(`Line 1 of the CSV file is not the CSL header: column ${missing.map((m) => `"${m}"`).join(' and ')} missing.`);
  }
  const at = (cells: string[], name: string): string | undefined => {
    const index = columns.indexOf(name);
    return index < 0 ? undefined : cells[index];
  };
  const entries = records.map(({ line, cells }) => {
    if (cells.length !== columns.length) {
      throw invalid(`Line ${line} of the CSV file has ${cells.length} cells; the header has ${columns.length}.`);
    }
    const rawAddresses = at(cells, 'addresses');
    const candidate = {
      id: at(cells, '_id') ?? at(cells, 'id'),
      source: at(cells, 'source') ?? '',
      entity_number: at(cells, 'entity_number'),
      type: at(cells, 'type'),
      programs: splitMulti(at(cells, 'programs')),
      name: at(cells, 'name') ?? '',
      addresses: splitMulti(rawAddresses).map(parseCsvAddress),
      start_date: at(cells, 'start_date'),
      end_date: at(cells, 'end_date'),
      remarks: at(cells, 'remarks'),
      source_list_url: at(cells, 'source_list_url'),
      alt_names: splitMulti(at(cells, 'alt_names')),
      ids: splitMulti(at(cells, 'ids')).map(parseCsvId),
    };
    const parsed = CslJsonEntry.safeParse(candidate);
    if (!parsed.success) {
      const name = candidate.name.trim();
      throw invalid(`Line ${line} of the CSV file${name ? ` ("${name}")` : ''} is invalid: ${describeIssues(parsed.error)}`);
    }
    return toEntry(parsed.data);
  });
  return dedupeIds(entries);
}

// ---------------------------------------------------------------------------------------------
// Either

/** JSON or CSV, by the file's extension, else by its first character. */
export function detectFormat(content: string, filename?: string): CslFormat {
  const ext = filename?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === 'json') return 'json';
  if (ext === 'csv') return 'csv';
  const first = content.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '{' || first === '[' ? 'json' : 'csv';
}

export function parseCsl(content: string | Uint8Array, options: { filename?: string; format?: CslFormat } = {}): ParsedCsl {
  const textContent = typeof content === 'string' ? content : new TextDecoder('utf-8').decode(content);
  const format = options.format ?? detectFormat(textContent, options.filename);
  const entries = format === 'json' ? parseCslJson(textContent) : parseCslCsv(textContent);
  if (entries.length === 0) throw invalid('The file holds no entries: importing it would empty the screening list.');
  return { format, entries };
}

/** Per source list: how many entries, and the newest start date among them (ISO dates only). */
export function summarizeSources(entries: CslEntry[]): Record<string, { count: number; newest: string | null }> {
  const out: Record<string, { count: number; newest: string | null }> = {};
  for (const e of entries) {
    const s = (out[e.source] ??= { count: 0, newest: null });
    s.count++;
    const date = e.startDate && /^\d{4}-\d{2}-\d{2}/.test(e.startDate) ? e.startDate.slice(0, 10) : null;
    if (date && (!s.newest || date > s.newest)) s.newest = date;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
