import { z } from 'zod';
import { APIError, getSessionFromCtx, type createAuthMiddleware } from 'better-auth/api';
import { ORG_ROLES } from '../../../db/schema/organization.ts';
import { STAFF_ROLES } from '../../../db/schema/user.ts';
import { problem } from '../server/problem.ts';
import { normalizeLine, normalizeText } from '../server/text.ts';

/**
 * The one list of better-auth endpoints the site uses. better-auth mounts about eighty
 * (user updates and deletion, organization management, impersonation, role changes…); the
 * site's pages use these few, and every other one answers 404 — over HTTP (the route
 * `src/pages/api/auth/[...all].ts`) and to the site's own calls (a `hooks.before` gate), so a
 * page added later cannot reach an endpoint nobody reviewed.
 *
 * For each endpoint: who may call it (the same rule as the page that uses it, checked again
 * here), the body it takes (the form's limits, normalised; no other field), whether a browser
 * may reach it directly (`http`: the links in the site's mail) and where its audit event is
 * written.
 */

type Ctx = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

/** Who may call an endpoint. */
export type Caller =
  /** anyone (signing in, signing up, the links in mail) */
  | 'anyone'
  /** a signed-in person; better-auth's own session check refuses the others */
  | 'signed-in'
  /** a signed-in person who is not staff (staff keep two-factor sign-in on) */
  | 'not-staff'
  /** an administrator with two-factor sign-in on */
  | 'admin';

export interface SiteAuthEndpoint {
  caller: Caller;
  /** The JSON body, strict: a field the site does not send is refused. */
  body?: z.ZodType<Record<string, unknown> | undefined>;
  /** The query string's parameters (GET). */
  query?: z.ZodType<Record<string, unknown> | undefined>;
  /** Methods a browser may use on `/api/auth/<path>` itself; without it, pages only. */
  http?: readonly ('GET' | 'POST')[];
  /** Where the audit event of this action is written: better-auth's after hook in index.ts, or the page. */
  audit?: 'hook' | 'page';
}

const t = { required: 'is required', tooLong: 'is too long', invalid: 'is not valid' };

/** A single-line text field: normalised (NFC, no control characters), trimmed, 1–`max` characters. */
function line(max: number, min = 1) {
  return z
    .string()
    .max(max * 4)
    .transform((value, ctx) => {
      const normal = normalizeLine(value)?.trim();
      if (normal === undefined) {
        ctx.addIssue({ code: 'custom', message: t.invalid });
        return z.NEVER;
      }
      return normal;
    })
    .pipe(z.string().min(min, t.required).max(max, t.tooLong));
}

/** Free text (a reason): as `line`, but line breaks kept. */
function text(max: number) {
  return z
    .string()
    .max(max * 4)
    .transform((value, ctx) => {
      const normal = normalizeText(value)?.trim();
      if (normal === undefined) {
        ctx.addIssue({ code: 'custom', message: t.invalid });
        return z.NEVER;
      }
      return normal;
    })
    .pipe(z.string().max(max, t.tooLong));
}

const email = z.string().trim().toLowerCase().max(254).pipe(z.email());
/**
 * Passwords are not normalised (a hash compares bytes); better-auth and the policy check a new
 * one's length. The bound is the sign-in form's (SignInInput).
 */
const password = z.string().min(1).max(1024);
/** A path on this site (callback and redirect targets). */
const sitePath = z
  .string()
  .max(500)
  .regex(/^\/(?!\/)[^\s\\]*$/);
const id = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
const token = z
  .string()
  .max(512)
  .regex(/^[A-Za-z0-9._~-]+$/);
const none = z.strictObject({});

export const SITE_AUTH_ENDPOINTS: Record<string, SiteAuthEndpoint> = {
  // Sessions: the middleware reads and refreshes the session (auth.api.getSession), sign-out posts to /account/sign-out.
  '/get-session': { caller: 'anyone' },
  '/sign-out': { caller: 'anyone', body: none.optional(), audit: 'hook' },
  '/revoke-session': { caller: 'signed-in', body: z.strictObject({ token }), audit: 'hook' },
  '/revoke-other-sessions': { caller: 'signed-in', body: none.optional(), audit: 'hook' },

  // /account/sign-up, /account/sign-in, /account/two-factor/verify
  '/sign-up/email': {
    caller: 'anyone',
    body: z.strictObject({ name: line(200), email, password, callbackURL: sitePath.optional() }),
    audit: 'hook',
  },
  '/sign-in/email': {
    caller: 'anyone',
    body: z.strictObject({ email, password, callbackURL: sitePath.optional(), rememberMe: z.boolean().optional() }),
    audit: 'hook',
  },
  '/two-factor/verify-totp': {
    caller: 'anyone',
    body: z.strictObject({
      code: z
        .string()
        .trim()
        .regex(/^\d{6}$/),
      trustDevice: z.boolean().optional(),
    }),
    audit: 'hook',
  },
  '/two-factor/verify-backup-code': {
    caller: 'anyone',
    body: z.strictObject({
      code: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9-]{8,20}$/),
      trustDevice: z.boolean().optional(),
    }),
    audit: 'hook',
  },

  // The links in the site's mail: verification (sign-up, change of address) and password reset.
  '/verify-email': {
    caller: 'anyone',
    query: z.strictObject({ token: z.string().max(4096), callbackURL: sitePath.optional() }),
    http: ['GET'],
    audit: 'hook',
  },
  '/reset-password/:token': { caller: 'anyone', query: z.strictObject({ callbackURL: sitePath }), http: ['GET'] },

  // /account/forgot-password, /account/reset-password
  '/request-password-reset': { caller: 'anyone', body: z.strictObject({ email, redirectTo: sitePath }) },
  '/reset-password': { caller: 'anyone', body: z.strictObject({ newPassword: password, token }), audit: 'hook' },

  // /account/security, /account/data (re-authentication), /account/two-factor
  '/verify-password': { caller: 'signed-in', body: z.strictObject({ password }) },
  '/change-password': {
    caller: 'signed-in',
    body: z.strictObject({ currentPassword: password, newPassword: password, revokeOtherSessions: z.boolean().optional() }),
    audit: 'hook',
  },
  '/change-email': { caller: 'signed-in', body: z.strictObject({ newEmail: email, callbackURL: sitePath }), audit: 'hook' },
  '/two-factor/enable': { caller: 'signed-in', body: z.strictObject({ password }), audit: 'hook' },
  '/two-factor/generate-backup-codes': { caller: 'signed-in', body: z.strictObject({ password }) },
  '/two-factor/disable': { caller: 'not-staff', body: z.strictObject({ password }), audit: 'hook' },

  // /admin/users/[id]
  '/admin/ban-user': { caller: 'admin', body: z.strictObject({ userId: id, banReason: text(500) }), audit: 'hook' },
  '/admin/unban-user': { caller: 'admin', body: z.strictObject({ userId: id }), audit: 'hook' },
  '/admin/revoke-user-sessions': { caller: 'admin', body: z.strictObject({ userId: id }), audit: 'hook' },

  // /organizations/[id] (members, invitations) and /organizations/invitations/[id]
  '/organization/invite-member': {
    caller: 'signed-in',
    body: z.strictObject({ email, role: z.enum(ORG_ROLES), organizationId: id }),
    audit: 'page',
  },
  '/organization/update-member-role': {
    caller: 'signed-in',
    body: z.strictObject({ memberId: id, role: z.enum(ORG_ROLES), organizationId: id }),
    audit: 'page',
  },
  '/organization/remove-member': {
    caller: 'signed-in',
    body: z.strictObject({ memberIdOrEmail: id, organizationId: id }),
    audit: 'page',
  },
  '/organization/cancel-invitation': { caller: 'signed-in', body: z.strictObject({ invitationId: id }), audit: 'page' },
  '/organization/leave': { caller: 'signed-in', body: z.strictObject({ organizationId: id }), audit: 'page' },
  '/organization/accept-invitation': { caller: 'signed-in', body: z.strictObject({ invitationId: id }), audit: 'page' },
  '/organization/reject-invitation': { caller: 'signed-in', body: z.strictObject({ invitationId: id }), audit: 'page' },
};

/** better-auth's path pattern (`/reset-password/:token`) as a whole-path expression of the URL. */
function pattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[A-Za-z0-9_-]{1,256}' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

const HTTP_ROUTES = Object.entries(SITE_AUTH_ENDPOINTS).flatMap(([path, endpoint]) =>
  endpoint.http ? [{ pattern: pattern(path), methods: endpoint.http as readonly string[] }] : [],
);

/**
 * Whether the browser may send this request to `/api/auth/*` itself: only the links in the
 * site's mail. Everything else the pages do, they do on the server.
 */
export function servedOverHttp(request: Request, basePath = '/api/auth'): boolean {
  const url = new URL(request.url);
  if (!url.pathname.startsWith(`${basePath}/`)) return false;
  const path = url.pathname.slice(basePath.length);
  return HTTP_ROUTES.some((route) => route.methods.includes(request.method) && route.pattern.test(path));
}

/** The answer to any other request under `/api/auth/`. */
export function notServed(): Response {
  return problem({ title: 'Not found', status: 404, detail: 'There is no such endpoint.' });
}

function refuse(status: 'BAD_REQUEST' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHORIZED', message: string, code: string): never {
  throw new APIError(status, { message, code });
}

/** The issues of a failed parse, as one message: `name: is too long; email: …`. */
function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
}

/**
 * The gate every better-auth call passes (HTTP and `auth.api` alike), run first in
 * `hooks.before`: an endpoint the site does not use is not found; the caller must be who the
 * page admits; the body must be what the form sends, within its limits. Returns the
 * normalised body to put in its place.
 */
export async function gateAuthCall(ctx: Ctx): Promise<{ context: { body: Record<string, unknown> } } | undefined> {
  const endpoint = SITE_AUTH_ENDPOINTS[ctx.path];
  if (!endpoint) refuse('NOT_FOUND', 'There is no such endpoint.', 'NOT_FOUND');

  if (endpoint.caller === 'admin' || endpoint.caller === 'not-staff') {
    const session = await getSessionFromCtx(ctx).catch(() => null);
    if (!session) refuse('UNAUTHORIZED', 'Sign in first.', 'UNAUTHORIZED');
    const role = (session.user as { role?: string | null }).role ?? '';
    const twoFactor = (session.user as { twoFactorEnabled?: boolean | null }).twoFactorEnabled === true;
    if (endpoint.caller === 'admin' && (role !== 'admin' || !twoFactor))
      refuse('FORBIDDEN', 'Administrators only, with two-factor sign-in on.', 'FORBIDDEN');
    if (endpoint.caller === 'not-staff' && (STAFF_ROLES as readonly string[]).includes(role))
      refuse('FORBIDDEN', 'Staff keep two-factor sign-in on.', 'STAFF_TWO_FACTOR_REQUIRED');
  }

  if (endpoint.query && ctx.query !== undefined) {
    const parsed = endpoint.query.safeParse(ctx.query ?? {});
    if (!parsed.success) refuse('BAD_REQUEST', describe(parsed.error), 'INVALID_INPUT');
  }
  if (ctx.body === undefined || ctx.body === null) {
    if (endpoint.body && !endpoint.body.safeParse(undefined).success) refuse('BAD_REQUEST', 'body: is required', 'INVALID_INPUT');
    return undefined;
  }
  if (!endpoint.body) refuse('BAD_REQUEST', 'body: is not expected', 'INVALID_INPUT');
  const parsed = endpoint.body.safeParse(ctx.body);
  if (!parsed.success) refuse('BAD_REQUEST', describe(parsed.error), 'INVALID_INPUT');
  return parsed.data ? { context: { body: parsed.data } } : undefined;
}
