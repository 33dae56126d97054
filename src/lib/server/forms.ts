import { isAPIError } from 'better-auth/api';
import type { z } from 'zod';

/** Field name → message, for a form that failed validation. */
export type FieldErrors = Record<string, string>;

/** The posted form, or undefined if the body is not a form. */
export async function readForm(request: Request): Promise<FormData | undefined> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.includes('application/x-www-form-urlencoded') && !type.includes('multipart/form-data')) return undefined;
  try {
    return await request.formData();
  } catch {
    return undefined;
  }
}

/** A form's fields as an object: repeated names become arrays when `arrays` lists them. */
export function formObject(form: FormData, arrays: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key).filter((v): v is string => typeof v === 'string');
    out[key] = arrays.includes(key) ? values : (values[0] ?? '');
  }
  for (const key of arrays) out[key] ??= [];
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
