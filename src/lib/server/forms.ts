import { Readable } from 'node:stream';
import { Busboy } from '@fastify/busboy';
import { isAPIError } from 'better-auth/api';
import type { z } from 'zod';
import { AppError } from '../../../db/errors.ts';
import { normalizeLine, normalizeText } from './text.ts';

/** Field name → message, for a form that failed validation. */
export type FieldErrors = Record<string, string>;

/** Why a body was refused before it was validated. */
export type InputProblem =
  | 'too-many-fields'
  | 'field-too-long'
  | 'too-many-files'
  | 'file-too-large'
  | 'body-too-large'
  | 'too-deep'
  | 'malformed'
  | 'invalid-text'
  | 'wrong-content-type';

/**
 * A body the site will not read: over a limit (413), not what it claims to be (400), or not a
 * type the route takes (415). The middleware answers it: problem+json for the API, otherwise a
 * page that says what was wrong.
 */
export class InputError extends AppError {
  readonly problem: InputProblem;
  readonly status: 400 | 413 | 415;
  /** The limit that was passed (fields, bytes, levels), for the message. */
  readonly limit: number | undefined;

  constructor(problem: InputProblem, message: string, options?: ErrorOptions & { limit?: number }) {
    super('INVALID_INPUT', message, options);
    this.name = 'AppError';
    this.problem = problem;
    this.limit = options?.limit;
    this.status = TOO_LARGE.has(problem) ? 413 : problem === 'wrong-content-type' ? 415 : 400;
  }
}

const TOO_LARGE = new Set<InputProblem>([
  'too-many-fields',
  'field-too-long',
  'too-many-files',
  'file-too-large',
  'body-too-large',
]);

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}

export interface FormLimits {
  /** Fields (names repeated count once per value) a form may have; default 200. */
  maxFields?: number;
  /** Bytes (UTF-8) of one field's value; default 64 KiB. The form's zod schema sets the real limit of each field, with a message. */
  maxFieldBytes?: number;
  /** Files a form may carry; default 0 (a file posted to a form without a file input is refused). */
  maxFiles?: number;
  /** Bytes of one file; default 21 MiB (the middleware's cap on an upload body). */
  maxFileBytes?: number;
}

/** The limits every form has unless its page says otherwise. */
export const FORM_LIMITS: Required<FormLimits> = {
  maxFields: 200,
  maxFieldBytes: 64 * 1024,
  maxFiles: 0,
  maxFileBytes: 21 * 1024 * 1024,
};
/** The longest field name (bytes) a form may use. */
const MAX_NAME_BYTES = 200;

export type FormValue = string | File;

/**
 * A posted form, read once: every value in order, and by name. Text values (and names) are
 * normalised (`normalizeText`); the reader refuses a body over its limits before the page sees it.
 */
export class PostedForm implements Iterable<[string, FormValue]> {
  readonly #entries: [string, FormValue][] = [];
  readonly #byName = new Map<string, FormValue[]>();

  /** Adds one value (the reader's job; tests and tools use it to build a form). */
  append(name: string, value: FormValue): void {
    this.#entries.push([name, value]);
    const list = this.#byName.get(name);
    if (list) list.push(value);
    else this.#byName.set(name, [value]);
  }

  /** The first value of `name`, or null. */
  get(name: string): FormValue | null {
    return this.#byName.get(name)?.[0] ?? null;
  }

  getAll(name: string): FormValue[] {
    return [...(this.#byName.get(name) ?? [])];
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** The distinct names, in the order they first appear. */
  keys(): IterableIterator<string> {
    return this.#byName.keys();
  }

  /** Each name with all its values. */
  groups(): IterableIterator<[string, FormValue[]]> {
    return this.#byName.entries();
  }

  /** Every value, as posted. */
  [Symbol.iterator](): IterableIterator<[string, FormValue]> {
    return this.#entries[Symbol.iterator]();
  }

  /** Number of values. */
  get size(): number {
    return this.#entries.length;
  }

  /** A form from plain values (tests, command-line tools); the same normalisation as a posted form. */
  static from(values: Record<string, string | string[]> | Iterable<[string, FormValue]>): PostedForm {
    const form = new PostedForm();
    const pairs: Iterable<[string, FormValue]> =
      Symbol.iterator in values
        ? (values as Iterable<[string, FormValue]>)
        : Object.entries(values).flatMap(([k, v]) =>
            Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]],
          );
    for (const [name, value] of pairs) form.append(cleanName(name), typeof value === 'string' ? cleanText(value) : value);
    return form;
  }
}

function cleanText(value: string): string {
  const text = normalizeText(value);
  if (text === undefined) throw new InputError('invalid-text', 'The form holds text that is not valid Unicode.');
  return text;
}

function cleanName(name: string): string {
  const text = normalizeLine(name);
  if (text === undefined) throw new InputError('invalid-text', 'The form holds a field name that is not valid Unicode.');
  return text;
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * The posted form, read in one pass within `limits`; undefined when the body is not a form
 * (another content type, or no body). Throws `InputError` for a form over a limit (413) or a
 * malformed one (400): the middleware answers it, so a page never sees half a form.
 */
export async function readForm(request: Request, limits: FormLimits = {}): Promise<PostedForm | undefined> {
  const type = request.headers.get('content-type') ?? '';
  if (!FORM_TYPES.test(type.trim()) || !request.body) return undefined;
  const max = { ...FORM_LIMITS, ...limits };
  if (request.bodyUsed) throw new InputError('malformed', 'The form was already read.');
  if (/^application\/x-www-form-urlencoded/i.test(type.trim())) return parseUrlencoded(request.body, max);
  if (max.maxFiles === 0) {
    // A form without files is at most 1 MiB: its parts are counted (native indexOf of the
    // boundary) before the parser sees them.
    const bytes = await readBytes(request.body, MAX_URLENCODED_BYTES);
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type);
    if (boundary) {
      const marker = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
      // A part is its headers (a few hundred bytes; busboy caps them) and its value.
      const maxPart = max.maxFieldBytes + 4096;
      let parts = -1;
      let previous = -1;
      for (let at = bytes.indexOf(marker); at !== -1; at = bytes.indexOf(marker, at + marker.length)) {
        if (++parts > max.maxFields) {
          throw new InputError('too-many-fields', `A form may have at most ${max.maxFields} fields.`, { limit: max.maxFields });
        }
        if (previous !== -1 && at - previous > maxPart) {
          throw new InputError('field-too-long', `A field may hold at most ${max.maxFieldBytes} bytes.`, {
            limit: max.maxFieldBytes,
          });
        }
        previous = at;
      }
    }
    return parseForm(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes);
          controller.close();
        },
      }),
      type,
      max,
    );
  }
  return parseForm(request.body, type, max);
}

/** A body's bytes, refused (413, saying `tooLarge`) past `maxBytes`. */
export async function readBytes(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  tooLarge = `A form may send at most ${maxBytes} bytes.`,
): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new InputError('body-too-large', tooLarge, { limit: maxBytes });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The bytes of a urlencoded body are at most this many (the middleware's cap on a form body). */
const MAX_URLENCODED_BYTES = 1024 * 1024;
const AMP = 0x26;
const EQ = 0x3d;

/**
 * A urlencoded body: read (bounded), then one scan for `&` with the native `indexOf` that
 * stops at the first field over the count or the length, before any decoding; only a body
 * within the limits is decoded, by URLSearchParams.
 */
async function parseUrlencoded(body: ReadableStream<Uint8Array>, max: Required<FormLimits>): Promise<PostedForm> {
  const bytes = await readBytes(body, MAX_URLENCODED_BYTES);
  // Percent-encoding at most triples a value's bytes.
  const maxSegment = MAX_NAME_BYTES * 3 + 1 + max.maxFieldBytes * 3;
  let fields = 0;
  for (let start = 0; start < bytes.length;) {
    let end = bytes.indexOf(AMP, start);
    if (end === -1) end = bytes.length;
    if (end > start) {
      if (++fields > max.maxFields) {
        throw new InputError('too-many-fields', `A form may have at most ${max.maxFields} fields.`, { limit: max.maxFields });
      }
      if (end - start > maxSegment) {
        const eq = bytes.indexOf(EQ, start);
        const nameOnly = eq === -1 || eq >= end;
        throw nameOnly || eq - start > MAX_NAME_BYTES * 3
          ? new InputError('field-too-long', `A field name may have at most ${MAX_NAME_BYTES} bytes.`, { limit: MAX_NAME_BYTES })
          : new InputError('field-too-long', `A field may hold at most ${max.maxFieldBytes} bytes.`, {
              limit: max.maxFieldBytes,
            });
      }
    }
    start = end + 1;
  }
  const form = new PostedForm();
  // WHATWG decoding: percent sequences and raw bytes as UTF-8, invalid sequences as U+FFFD.
  for (const [n, v] of new URLSearchParams(bytes.toString('utf8'))) {
    if (Buffer.byteLength(n) > MAX_NAME_BYTES) {
      throw new InputError('field-too-long', `A field name may have at most ${MAX_NAME_BYTES} bytes.`, { limit: MAX_NAME_BYTES });
    }
    if (Buffer.byteLength(v) > max.maxFieldBytes) {
      throw new InputError('field-too-long', `A field may hold at most ${max.maxFieldBytes} bytes.`, {
        limit: max.maxFieldBytes,
      });
    }
    form.append(cleanName(n), cleanText(v));
  }
  return form;
}

function parseForm(body: ReadableStream<Uint8Array>, type: string, max: Required<FormLimits>): Promise<PostedForm> {
  return new Promise<PostedForm>((resolve, reject) => {
    const form = new PostedForm();
    const files: Promise<void>[] = [];
    let failed = false;
    let parser: ReturnType<typeof Busboy>;
    const source = Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      // Stop parsing; the rest of the body (bounded by the middleware's limit) is read and
      // dropped, so that the connection stays usable and the client gets the answer.
      source.unpipe(parser);
      source.on('error', () => undefined);
      source.resume();
      reject(error instanceof InputError ? error : new InputError('malformed', 'The form could not be read.', { cause: error }));
    };
    try {
      parser = Busboy({
        headers: { 'content-type': type },
        limits: {
          // One more than allowed, so that the field over the limit is seen (busboy's urlencoded
          // parser stops silently at its limit when the body comes in one chunk).
          fields: max.maxFields + 1,
          parts: max.maxFields + max.maxFiles + 1,
          files: max.maxFiles,
          fieldSize: max.maxFieldBytes,
          fieldNameSize: MAX_NAME_BYTES,
          fileSize: max.maxFileBytes,
        },
      });
    } catch (error) {
      // A multipart type without a boundary, or a charset busboy does not know.
      fail(error);
      return;
    }
    const tooMany = () =>
      fail(new InputError('too-many-fields', `A form may have at most ${max.maxFields} fields.`, { limit: max.maxFields }));
    parser.on('fieldsLimit', tooMany);
    parser.on('partsLimit', tooMany);
    parser.on('filesLimit', () =>
      fail(
        new InputError(
          'too-many-files',
          max.maxFiles === 0 ? 'This form takes no files.' : `A form may carry at most ${max.maxFiles} file(s).`,
          { limit: max.maxFiles },
        ),
      ),
    );
    parser.on('field', (name, value, nameTruncated, valueTruncated) => {
      if (failed) return;
      if (form.size >= max.maxFields) return tooMany();
      if (nameTruncated)
        return fail(
          new InputError('field-too-long', `A field name may have at most ${MAX_NAME_BYTES} bytes.`, { limit: MAX_NAME_BYTES }),
        );
      if (valueTruncated)
        return fail(
          new InputError('field-too-long', `A field may hold at most ${max.maxFieldBytes} bytes.`, { limit: max.maxFieldBytes }),
        );
      try {
        form.append(cleanName(name), cleanText(value));
      } catch (error) {
        fail(error);
      }
    });
    parser.on('file', (name, stream, filename, _encoding, mimeType) => {
      const chunks: Buffer[] = [];
      files.push(
        new Promise<void>((done) => {
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('limit', () =>
            fail(
              new InputError('file-too-large', `A file may hold at most ${max.maxFileBytes} bytes.`, { limit: max.maxFileBytes }),
            ),
          );
          stream.on('error', (error) => {
            fail(error);
            done();
          });
          stream.on('end', () => {
            if (!failed) {
              try {
                const fileName = normalizeLine(filename ?? '') ?? '';
                form.append(
                  cleanName(name),
                  new File(chunks as Uint8Array<ArrayBuffer>[], fileName, { type: mimeType || 'application/octet-stream' }),
                );
              } catch (error) {
                fail(error);
              }
            }
            done();
          });
        }),
      );
    });
    parser.on('error', fail);
    parser.on('finish', () => {
      void Promise.all(files).then(() => {
        if (!failed) resolve(form);
      });
    });
    source.on('error', fail);
    source.pipe(parser);
  });
}

/** A form as the site's functions take it: a posted form, or a FormData built by a test or a tool. */
export type FormLike = PostedForm | FormData;

/**
 * A form's fields as an object, in one pass: repeated names become arrays when `arrays` lists
 * them, otherwise the first value counts. Files are left out.
 */
export function formObject(form: FormLike, arrays: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const wanted = new Set(arrays);
  for (const [key, value] of form as Iterable<[string, FormValue]>) {
    if (typeof value !== 'string' || key === '__proto__') continue;
    if (wanted.has(key)) ((out[key] ??= []) as string[]).push(value);
    else if (!Object.hasOwn(out, key)) out[key] = value;
  }
  for (const key of wanted) out[key] ??= [];
  return out;
}

/** Validates with a zod schema; on failure, the first message of each field. */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; errors: FieldErrors } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

export interface AuthFailure {
  ok: false;
  status: number;
  code: string;
  message: string;
}

/** Runs a better-auth server call, turning its errors into a value the page can show. */
export async function authCall<T>(call: () => Promise<T>): Promise<{ ok: true; value: T } | AuthFailure> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (isAPIError(error)) {
      const body = (error.body ?? {}) as { code?: string; message?: string };
      return {
        ok: false,
        status: error.statusCode,
        code: body.code ?? String(error.status),
        message: body.message ?? error.message,
      };
    }
    throw error;
  }
}

/** A 303 redirect carrying the Set-Cookie headers of a better-auth call. */
export function redirectWithCookies(location: string, headers?: Headers | null): Response {
  const response = new Response(null, { status: 303, headers: { location } });
  for (const cookie of headers?.getSetCookie() ?? []) response.headers.append('set-cookie', cookie);
  return response;
}

/** Only same-site paths may be a `next` target after sign-in. */
export function safeNext(next: string | null | undefined, fallback = '/account'): string {
  return next && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : fallback;
}

export type AuthPostResult<T> =
  { ok: true; status: number; value: T; headers: Headers } | (AuthFailure & { headers: Headers; retryAfter: number | undefined });

/**
 * Sends a form's data to a better-auth endpoint through its HTTP handler, as the browser's
 * own request (cookies, client address), so that rate limits, origin checks and hooks apply
 * exactly as they do to the JSON API.
 */
export async function authPost<T = unknown>(
  app: { auth: { handler: (request: Request) => Promise<Response> }; config: { siteUrl: string } },
  from: Request,
  path: string,
  body: Record<string, unknown>,
): Promise<AuthPostResult<T>> {
  const headers = new Headers({ 'content-type': 'application/json', origin: app.config.siteUrl });
  for (const name of ['cookie', 'user-agent', 'x-aix-client-ip', 'accept-language']) {
    const value = from.headers.get(name);
    if (value) headers.set(name, value);
  }
  const response = await app.auth.handler(
    new Request(new URL(`/api/auth${path}`, app.config.siteUrl), { method: 'POST', headers, body: JSON.stringify(body) }),
  );
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (response.ok) return { ok: true, status: response.status, value: data as T, headers: response.headers };
  const error = (data ?? {}) as { code?: string; message?: string };
  const retry = response.headers.get('x-retry-after') ?? response.headers.get('retry-after');
  return {
    ok: false,
    status: response.status,
    code: error.code ?? String(response.status),
    message: error.message ?? response.statusText,
    headers: response.headers,
    retryAfter: retry ? Number(retry) : undefined,
  };
}
