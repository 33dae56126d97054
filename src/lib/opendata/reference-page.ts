import type { Translator } from '../../i18n/index.ts';
import { rateLimitPolicy } from './config.ts';
import { openApiDocument } from './openapi.ts';
import type { AppServices } from '../server/bootstrap.ts';
import type { PageModule } from '../server/page.ts';

type Json = Record<string, unknown>;

/** A JSON Schema as a short type for people: `string`, `integer (1–50)`, `array of string`, a $ref's name. */
export function typeOf(schema: Json | undefined): string {
  if (!schema) return 'any';
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop()!;
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type as string | undefined);
  if (type === 'array') return `array of ${typeOf(schema.items as Json | undefined)}`;
  if (schema.anyOf) return (schema.anyOf as Json[]).map(typeOf).join(' or ');
  const range =
    schema.minimum !== undefined || schema.maximum !== undefined
      ? ` (${schema.minimum ?? ''}–${schema.maximum ?? ''})`
      : schema.maxLength !== undefined
        ? ` (up to ${schema.maxLength} characters)`
        : '';
  return `${type ?? 'object'}${range}`;
}

function valuesOf(schema: Json | undefined): string[] | undefined {
  if (!schema) return undefined;
  if (Array.isArray(schema.enum)) return schema.enum.map(String);
  if (schema.type === 'array') return valuesOf(schema.items as Json | undefined);
  return undefined;
}

/** The view model of /developers: the OpenAPI document laid out for reading. */
export function loadDeveloperPage(app: Pick<AppServices, 'reference' | 'config'>, t: Translator) {
  const doc = openApiDocument(app.reference, app.config.siteUrl) as Json;
  const paths = doc.paths as Record<string, { get: Json }>;
  const endpoints = Object.entries(paths).map(([path, item]) => {
    const op = item.get;
    const parameters = ((op.parameters ?? []) as Json[]).map((p) => {
      const values = valuesOf(p.schema as Json);
      const shown = values && values.length > 12 ? values.slice(0, 12) : values;
      return {
        name: String(p.name),
        in: String(p.in),
        required: p.required === true,
        type: typeOf(p.schema as Json),
        description: String(p.description ?? ''),
        values: shown
          ? values!.length > shown.length
            ? t('dev.values.more', { values: shown.join(', '), more: values!.length - shown.length })
            : t('dev.values', { values: shown.join(', ') })
          : undefined,
      };
    });
    const responses = Object.entries(op.responses as Record<string, Json>).map(([status, r]) => {
      const content = r.content as Record<string, { schema?: Json }> | undefined;
      const media = content ? Object.keys(content) : [];
      const schema = content ? typeOf(Object.values(content)[0]?.schema) : undefined;
      return { status, description: String(r.description ?? ''), media: media.join(', '), schema };
    });
    return {
      id: String(op.operationId),
      path,
      summary: String(op.summary ?? ''),
      description: String(op.description ?? ''),
      parameters,
      responses,
    };
  });
  const schemas = Object.entries((doc.components as Json).schemas as Record<string, Json>).map(([name, schema]) => ({
    name,
    description: String(schema.description ?? ''),
    fields: Object.entries((schema.properties ?? {}) as Record<string, Json>).map(([field, s]) => ({
      name: field,
      type: typeOf(s),
      required: ((schema.required ?? []) as string[]).includes(field),
      description: String(s.description ?? ''),
    })),
  }));
  return { endpoints, schemas, policy: rateLimitPolicy() };
}

/** /developers: the reference of the public API, read from the OpenAPI document the API serves. */
export const developersPage: PageModule<ReturnType<typeof loadDeveloperPage>> = {
  load: async (ctx) => loadDeveloperPage(ctx.app, ctx.t),
};
