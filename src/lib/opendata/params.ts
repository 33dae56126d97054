import { z } from 'zod';
import { LAYER_KEYS } from '../../../db/schema/package.ts';
import { FACETS, type Facet } from '../../../search/indexes/packages.ts';
import { SORTS, type PackageQuery } from '../../../search/query.ts';
import { DEFAULT_PER_PAGE, FACET_PARAMS, MAX_PAGE, MAX_PER_PAGE, MAX_Q } from '../catalog/query.ts';
import { allCountryCodes, type Reference } from '../reference/index.ts';
import { normalizeLine } from '../server/text.ts';

/**
 * The query parameters of the public API, feeds and downloads as zod schemas: the endpoints
 * validate requests with them, and the OpenAPI document (openapi.ts) is generated from them.
 * Every schema is strict: a parameter it does not name is refused (400), so that a typo in a
 * parameter's name never passes as a search of the whole catalog.
 */

/** Values of a repeatable parameter (`?sector=a&sector=b`): OR-ed. */
const many = (values: readonly string[], description: string) =>
  z
    .array(z.enum(values as [string, ...string[]]))
    .max(50)
    .optional()
    .meta({ description });

/** The filters every catalog endpoint takes (search, feeds, downloads). */
export function filterShape(ref: Reference) {
  return {
    q: z
      .string()
      .max(MAX_Q)
      .optional()
      .meta({ description: `Words to search for (typo-tolerant, with synonyms), up to ${MAX_Q} characters.` }),
    sector: many([...ref.sectors.keys()], 'Sector slugs (content/sectors); repeat the parameter for more than one.'),
    country: many(
      allCountryCodes(),
      'ISO 3166-1 alpha-2 codes (any case): packages that reach the country directly or through a bloc it belongs to.',
    ),
    region: many([...ref.regions.keys()], 'Regional blocs: packages that target the bloc or one of its members.'),
    layer: many(LAYER_KEYS, 'Stack layers the consortium supplies.'),
    financing: many([...ref.financing.keys()], 'Federal financing tools the package asks for.'),
  };
}

export function searchParamsSchema(ref: Reference) {
  return z.strictObject({
    ...filterShape(ref),
    sort: z.enum(SORTS).optional().meta({ description: 'relevance (the default) or newest first.' }),
    page: z.coerce.number().int().min(1).max(MAX_PAGE).optional().meta({ description: 'Page, from 1.' }),
    perPage: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PER_PAGE)
      .optional()
      .meta({ description: `Hits per page (default ${DEFAULT_PER_PAGE}).` }),
  });
}

/** Feeds and downloads: the filters, no paging (a feed has the newest 50; a download every match). */
export function filterParamsSchema(ref: Reference) {
  return z.strictObject(filterShape(ref));
}

/** Endpoints that take no parameter at all. */
export const NoParams = z.strictObject({});

export const STATISTICS_FIGURES = [
  'designated-over-time',
  'packages-by-sector',
  'packages-by-region',
  'packages-by-layer',
  'packages-by-financing',
  'funnel',
  'outcomes',
  'stage-days',
  'buyers-by-region',
] as const;
export type StatisticsFigure = (typeof STATISTICS_FIGURES)[number];

export const StatisticsCsvParams = z.strictObject({
  figure: z
    .enum(STATISTICS_FIGURES)
    .optional()
    .meta({ description: 'One figure only; without it, every figure, one row per value.' }),
});

export interface ParamProblem {
  param: string;
  detail: string;
}

export type ParamsResult<T> = { ok: true; value: T } | { ok: false; problems: ParamProblem[] };

function isArraySchema(schema: z.ZodType | undefined): boolean {
  let current: unknown = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault) current = current.unwrap();
  return current instanceof z.ZodArray;
}

function detailOf(issue: z.core.$ZodIssue, param: string, raw: Record<string, unknown>): string {
  switch (issue.code) {
    case 'invalid_value': {
      const value = issue.path.length > 1 ? (raw[param] as unknown[])[issue.path[1] as number] : raw[param];
      return `Unknown ${param}: ${String(value).slice(0, 200)}.`;
    }
    case 'too_big':
      return issue.origin === 'string'
        ? `${param} must be ${issue.maximum} characters or fewer.`
        : issue.origin === 'array'
          ? `${param} may be given at most ${issue.maximum} times.`
          : `${param} must be a whole number up to ${issue.maximum}.`;
    case 'too_small':
      return `${param} must be a whole number from ${issue.minimum}.`;
    case 'invalid_type':
      return issue.expected === 'number' || issue.expected === 'int'
        ? `${param} must be a whole number.`
        : `${param} is not valid.`;
    default:
      return `${param}: ${issue.message}`;
  }
}

/**
 * Reads URL parameters with `schema`: repeatable parameters become arrays, the others must be
 * given once; text is normalised (NFC, no control characters) and trimmed, country codes
 * upper-cased, empty values dropped. Every problem names its parameter.
 */
export function readParams<S extends z.ZodObject>(schema: S, params: URLSearchParams): ParamsResult<z.output<S>> {
  const shape = schema.shape as Record<string, z.ZodType>;
  const raw: Record<string, unknown> = {};
  const problems: ParamProblem[] = [];
  for (const name of new Set(params.keys())) {
    const values: string[] = [];
    for (const value of params.getAll(name)) {
      const text = normalizeLine(value)?.trim();
      if (text === undefined) problems.push({ param: name, detail: `${name} is not valid text.` });
      else if (text) values.push(name === 'country' ? text.toUpperCase() : text);
    }
    if (!(name in shape)) {
      problems.push({ param: name, detail: `Unknown parameter: ${name.slice(0, 60)}.` });
      continue;
    }
    if (isArraySchema(shape[name])) raw[name] = [...new Set(values)];
    else if (values.length > 1) problems.push({ param: name, detail: `${name} may be given once.` });
    else if (values.length === 1) raw[name] = values[0];
  }
  if (problems.length) return { ok: false, problems };
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const seen = new Set<string>();
  for (const issue of parsed.error.issues) {
    const param = String(issue.path[0] ?? '');
    const detail = detailOf(issue, param, raw);
    if (seen.has(detail)) continue;
    seen.add(detail);
    problems.push({ param, detail });
  }
  return { ok: false, problems };
}

interface SearchValues {
  q?: string | undefined;
  sector?: string[] | undefined;
  country?: string[] | undefined;
  region?: string[] | undefined;
  layer?: string[] | undefined;
  financing?: string[] | undefined;
  sort?: PackageQuery['sort'] | undefined;
  page?: number | undefined;
  perPage?: number | undefined;
}

/** The search the parameters ask for. */
export function toPackageQuery(values: SearchValues): PackageQuery {
  const filters: PackageQuery['filters'] = {};
  for (const facet of FACETS) {
    const selected = values[FACET_PARAMS[facet] as 'sector'];
    if (selected?.length) filters[facet] = selected;
  }
  return {
    q: values.q ?? '',
    filters,
    sort: values.sort ?? 'relevance',
    page: values.page ?? 1,
    perPage: values.perPage ?? DEFAULT_PER_PAGE,
  };
}

const schemas = new WeakMap<
  Reference,
  { search: ReturnType<typeof searchParamsSchema>; filters: ReturnType<typeof filterParamsSchema> }
>();

/** The request schemas for this reference data, made once. */
export function paramSchemas(ref: Reference) {
  let held = schemas.get(ref);
  if (!held) {
    held = { search: searchParamsSchema(ref), filters: filterParamsSchema(ref) };
    schemas.set(ref, held);
  }
  return held;
}

/** The parameters of a search as given, for a download's `query` and a feed's links (canonical order). */
export function canonicalParams(values: Record<string, unknown>): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of Object.keys(values).sort()) {
    const value = values[name];
    if (Array.isArray(value)) for (const v of [...value].sort()) params.append(name, String(v));
    else if (value !== undefined && value !== '') params.set(name, String(value));
  }
  return params;
}

/** The parameters of a search that the feeds and downloads take (words and facets, no paging). */
export function filterQueryString(query: Pick<PackageQuery, 'q' | 'filters'>): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  for (const facet of FACETS) for (const v of query.filters[facet] ?? []) params.append(FACET_PARAMS[facet], v);
  const text = params.toString();
  return text ? `?${text}` : '';
}
