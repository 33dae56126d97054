import { z } from 'zod';
import type { Reference } from '../reference/index.ts';
import { filterParamsSchema, NoParams, searchParamsSchema, StatisticsCsvParams } from './params.ts';
import { components } from './schemas.ts';

/**
 * The OpenAPI 3.1 document of the public API, feeds and downloads, generated from the zod
 * schemas that validate the requests (params.ts) and type the answers (schemas.ts) with zod's
 * own `z.toJSONSchema` (JSON Schema 2020-12, the dialect of OpenAPI 3.1). Nothing here is
 * written beside the schemas by hand but the words.
 */

type JsonObject = Record<string, unknown>;

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function strip(schema: JsonObject): JsonObject {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/** One `in: query` parameter per property of a request schema. */
function queryParameters(schema: z.ZodObject): JsonObject[] {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as JsonObject;
  const properties = (json.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    const isArray = rest.type === 'array';
    return {
      name,
      in: 'query',
      required: required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
      ...(isArray ? { style: 'form', explode: true } : {}),
    };
  });
}

const RATE_HEADERS = {
  RateLimit: { $ref: '#/components/headers/RateLimit' },
  'RateLimit-Policy': { $ref: '#/components/headers/RateLimitPolicy' },
};
const CACHE_HEADERS = {
  ETag: { $ref: '#/components/headers/ETag' },
  'Cache-Control': { $ref: '#/components/headers/CacheControl' },
};

function problemResponse(description: string, extraHeaders: JsonObject = {}) {
  return {
    description,
    headers: { ...RATE_HEADERS, ...extraHeaders },
    content: { 'application/problem+json': { schema: ref('Problem') } },
  };
}

function ok(description: string, content: JsonObject, headers: JsonObject = {}) {
  return { description, headers: { ...RATE_HEADERS, ...CACHE_HEADERS, ...headers }, content };
}

const COMMON_ERRORS = {
  '304': { description: 'Not modified: the ETag given in If-None-Match (or the date in If-Modified-Since) is current.' },
  '400': problemResponse('A parameter is unknown or its value is not valid; errors names each one.'),
  '429': problemResponse('Too many requests from this client in the window; wait Retry-After seconds.', {
    'Retry-After': { $ref: '#/components/headers/RetryAfter' },
  }),
};

function operation(
  operationId: string,
  summary: string,
  description: string,
  parameters: JsonObject[],
  responses: JsonObject,
  tag: string,
) {
  return { get: { operationId, summary, description, tags: [tag], parameters, responses: { ...responses, ...COMMON_ERRORS } } };
}

const documents = new WeakMap<Reference, JsonObject>();

export function openApiDocument(reference: Reference, siteUrl: string): JsonObject {
  const held = documents.get(reference);
  if (held) return { ...held, servers: [{ url: siteUrl }] };
  const schemas = z.toJSONSchema(components, {
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  }).schemas as Record<string, JsonObject>;
  const search = queryParameters(searchParamsSchema(reference));
  const filters = queryParameters(filterParamsSchema(reference));
  const none = queryParameters(NoParams);
  const csv = (description: string) => ({ 'text/csv': { schema: { type: 'string', description } } });
  const slugParam = {
    name: 'slug',
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: '^[a-z0-9-]{1,120}$' },
  };
  const versionParam = {
    name: 'version',
    in: 'path',
    required: true,
    description: 'A catalog version (see /downloads/catalog.json, which redirects to the current one).',
    schema: { type: 'string', pattern: '^[0-9]{1,20}$' },
  };
  const document: JsonObject = {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'American AI Exports Program: public catalog API',
      version: '1.0.0',
      summary: 'Designated priority AI export packages, feeds, downloads and program statistics.',
      description:
        'Read-only and open to anyone. Answers carry Cache-Control and an ETag (send If-None-Match for a 304). ' +
        'Each client may make a number of requests per window (RateLimit-Policy); past it the answer is 429 with Retry-After. ' +
        'Errors are RFC 9457 problem details.',
      license: { name: 'Public domain (U.S. Government work)', identifier: 'CC0-1.0' },
    },
    tags: [
      { name: 'catalog', description: 'Search and read designated packages.' },
      { name: 'downloads', description: 'Search results and the whole catalog as CSV and JSON, and Atom feeds.' },
      { name: 'statistics', description: 'What the program achieves, small counts withheld.' },
      { name: 'meta', description: 'This document.' },
    ],
    paths: {
      '/api/v1/packages': operation(
        'searchPackages',
        'Search the catalog',
        'Full-text search of designated packages with disjunctive facets. Values of one facet are OR-ed, facets are AND-ed.',
        search,
        {
          '200': ok('A page of hits and the facet counts.', { 'application/json': { schema: ref('SearchResults') } }),
          '503': problemResponse('Search is unavailable; try again after Retry-After seconds.'),
        },
        'catalog',
      ),
      '/api/v1/packages/{slug}': operation(
        'getPackage',
        'One package',
        'The whole designated package.',
        [slugParam, ...none],
        {
          '200': ok(
            'The package.',
            { 'application/json': { schema: ref('Package') } },
            { 'Last-Modified': { $ref: '#/components/headers/LastModified' } },
          ),
          '404': problemResponse('No package has this slug.'),
          '410': problemResponse('The package was suspended or revoked.'),
        },
        'catalog',
      ),
      '/api/v1/statistics': operation(
        'getStatistics',
        'Program statistics',
        'The figures of /statistics. Counts of introductions and buyers below minCount are null and marked withheld.',
        none,
        { '200': ok('The figures.', { 'application/json': { schema: ref('Statistics') } }) },
        'statistics',
      ),
      '/statistics.csv': operation(
        'getStatisticsCsv',
        'Program statistics as CSV',
        'Columns figure, key, label, value, withheld: one row per published value.',
        queryParameters(StatisticsCsvParams),
        { '200': ok('The figures as CSV.', csv('figure,key,label,value,withheld')) },
        'statistics',
      ),
      '/packages.atom': operation(
        'getFeed',
        'Atom feed of a search',
        'The 50 most recently designated or updated packages that match (RFC 4287).',
        filters,
        {
          '200': ok(
            'An Atom feed.',
            { 'application/atom+xml': { schema: { type: 'string' } } },
            { 'Last-Modified': { $ref: '#/components/headers/LastModified' } },
          ),
          '503': problemResponse('Search is unavailable (only a search with words needs it).'),
        },
        'downloads',
      ),
      '/packages.csv': operation(
        'downloadSearchCsv',
        'Search results as CSV',
        'Every package the search matches, one row each; cells that start with = + - @ tab or CR are prefixed with an apostrophe.',
        filters,
        {
          '200': ok('CSV with a header row.', csv('The columns of CatalogRecord, lists joined with "; ".')),
          '503': problemResponse('Search is unavailable (only a search with words needs it).'),
        },
        'downloads',
      ),
      '/packages.json': operation(
        'downloadSearchJson',
        'Search results as JSON',
        'Every package the search matches.',
        filters,
        {
          '200': ok('The matching packages.', { 'application/json': { schema: ref('SearchDownload') } }),
          '503': problemResponse('Search is unavailable (only a search with words needs it).'),
        },
        'downloads',
      ),
      '/downloads/catalog.json': {
        get: {
          operationId: 'latestCatalogJson',
          summary: 'The current whole-catalog download (JSON)',
          tags: ['downloads'],
          parameters: none,
          responses: {
            '302': { description: 'Found: Location names /downloads/catalog-{version}.json of the current catalog version.' },
            ...COMMON_ERRORS,
          },
        },
      },
      '/downloads/catalog.csv': {
        get: {
          operationId: 'latestCatalogCsv',
          summary: 'The current whole-catalog download (CSV)',
          tags: ['downloads'],
          parameters: none,
          responses: {
            '302': { description: 'Found: Location names /downloads/catalog-{version}.csv of the current catalog version.' },
            ...COMMON_ERRORS,
          },
        },
      },
      '/downloads/catalog-{version}.json': operation(
        'catalogJson',
        'The whole catalog at a version (JSON)',
        'Every designated package. The file of a version never changes (immutable); a superseded version answers 410.',
        [versionParam, ...none],
        {
          '200': ok('The catalog.', { 'application/json': { schema: ref('CatalogDownload') } }),
          '410': problemResponse('The catalog has moved on from this version; Link names the current one.'),
        },
        'downloads',
      ),
      '/downloads/catalog-{version}.csv': operation(
        'catalogCsv',
        'The whole catalog at a version (CSV)',
        'Every designated package, one row each.',
        [versionParam, ...none],
        {
          '200': ok('The catalog as CSV.', csv('The columns of CatalogRecord.')),
          '410': problemResponse('The catalog has moved on from this version; Link names the current one.'),
        },
        'downloads',
      ),
      '/api/v1/openapi.json': operation(
        'getOpenApi',
        'This document',
        'The OpenAPI 3.1 description of the public API.',
        none,
        { '200': ok('OpenAPI 3.1.', { 'application/json': { schema: { type: 'object' } } }) },
        'meta',
      ),
    },
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, strip(schema)])),
      headers: {
        RateLimit: {
          description: 'IETF RateLimit: the quota left (r) and seconds until the window resets (t), e.g. "default";r=299;t=60.',
          schema: { type: 'string' },
        },
        RateLimitPolicy: {
          description: 'IETF RateLimit-Policy: requests (q) per window of w seconds, e.g. "default";q=300;w=60.',
          schema: { type: 'string' },
        },
        RetryAfter: { description: 'Seconds to wait.', schema: { type: 'integer', minimum: 0 } },
        ETag: { description: 'Send it back in If-None-Match to get a 304 while it is current.', schema: { type: 'string' } },
        CacheControl: { description: 'How long a cache may keep the answer.', schema: { type: 'string' } },
        LastModified: { description: 'When what the answer shows last changed (HTTP date).', schema: { type: 'string' } },
      },
    },
  };
  documents.set(reference, document);
  return { ...document, servers: [{ url: siteUrl }] };
}
