import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import { recordAudit } from '../../../db/queries/audit.ts';
import { findUserById, setUserRole } from '../../../db/queries/users.ts';
import { getTerritory, replaceTerritory, type Territory } from '../../../db/queries/territories.ts';
import { useTranslations, type Translator } from '../../i18n/index.ts';
import type { Auth } from '../auth/index.ts';
import { isCountryCode, type Reference } from '../reference/index.ts';
import { authCall, type FieldErrors } from '../server/forms.ts';
import { CONTROL_CHARS, isSiteRole, isUserId, roleLabel } from './queries.ts';
import { lastChange } from '../../../db/queries/audit.ts';
import type { Conflict } from '../server/revisions.ts';

/** Who is acting, from where, and with which services. */
export interface AdminContext {
  db: Kysely<Database>;
  auth: Auth;
  reference: Pick<Reference, 'regions'>;
  actor: { id: string; email: string };
  /** The client's address, for the audit log. */
  ip: string;
  /** The request's headers: better-auth reads the administrator's session from them. */
  headers: Headers;
  /** The request's translator (English when absent: tools and tests). */
  t?: Translator | undefined;
}

const translator = (ctx: { t?: Translator | undefined }): Translator => ctx.t ?? useTranslations();

export const USER_ACTIONS = ['role', 'territory', 'ban', 'unban', 'revoke'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

export type ActionResult =
  { ok: true; done: UserAction } | { ok: false; status: 400 | 403 | 404 | 409; errors: FieldErrors; conflict?: Conflict };

/**
 * The role and territory forms carry what they showed (`previousRole`, `previousTerritory`):
 * a change made from a page that is out of date (another administrator changed it meanwhile)
 * is refused with 409 and what is saved now, instead of silently undoing theirs.
 */
export function encodeTerritory(territory: Territory): string {
  return `${[...territory.countries].sort().join(',')};${[...territory.regions].sort().join(',')}`;
}

async function staleAnswer(
  ctx: AdminContext,
  userId: string,
  action: 'role-changed' | 'territory-changed',
  field: string,
  label: string,
  saved: string,
  yours: string,
): Promise<ActionResult> {
  const t = translator(ctx);
  const last = await lastChange(ctx.db, { action, subjectType: 'user', subjectId: userId });
  return {
    ok: false,
    status: 409,
    errors: { [field]: t('admin.error.conflict') },
    conflict: { revision: 0, at: last?.at ?? null, by: last?.actorName ?? null, fields: [{ name: field, label, saved, yours }] },
  };
}

const MAX_REASON = 500;

function fail(status: 400 | 403 | 404, field: string, message: string): ActionResult {
  return { ok: false, status, errors: { [field]: message } };
}

const strings = (value: unknown): string[] => [
  ...new Set(
    (Array.isArray(value) ? value : typeof value === 'string' && value ? [value] : []).filter(
      (v): v is string => typeof v === 'string',
    ),
  ),
];

/**
 * Runs one change an administrator asked for on the account `userId` (the posted form's
 * `action` field chooses which). Every change is written to the audit log with the
 * administrator as actor: role and territory here; ban, unban and sign-out-everywhere by
 * better-auth's own hook (src/lib/auth), since they go through its admin API.
 */
export async function runUserAction(ctx: AdminContext, userId: string, values: Record<string, unknown>): Promise<ActionResult> {
  const t = translator(ctx);
  const target = isUserId(userId) ? await findUserById(ctx.db, userId) : undefined;
  if (!target) return fail(404, 'form', t('admin.action.invalid'));
  const action = values.action;
  switch (action) {
    case 'role':
      return changeRole(ctx, userId, values.role, typeof values.previousRole === 'string' ? values.previousRole : undefined);
    case 'territory':
      return setTerritory(
        ctx,
        userId,
        { countries: strings(values.countries), regions: strings(values.regions) },
        typeof values.previousTerritory === 'string' ? values.previousTerritory : undefined,
      );
    case 'ban':
      return banUser(ctx, userId, values.banReason);
    case 'unban':
      return unbanUser(ctx, userId);
    case 'revoke':
      return revokeSessions(ctx, userId);
    default:
      return fail(400, 'form', t('admin.action.invalid'));
  }
}

/** Sets the site role; an administrator cannot change their own. Leaving the officer role clears the territory. */
export async function changeRole(ctx: AdminContext, userId: string, role: unknown, previous?: string): Promise<ActionResult> {
  const t = translator(ctx);
  if (!isSiteRole(role)) return fail(400, 'role', t('admin.role.invalid'));
  // An administrator cannot demote themself (so the site always keeps one administrator).
  if (userId === ctx.actor.id && role !== 'admin') return fail(400, 'role', t('admin.role.self'));
  const actor = {
    actorId: ctx.actor.id,
    actorEmail: ctx.actor.email,
    ipAddress: ctx.ip || null,
    subjectType: 'user',
    subjectId: userId,
  };
  const changed = await ctx.db.transaction().execute(async (tx) => {
    if (previous !== undefined) {
      const now = await tx.selectFrom('user').select('role').where('id', '=', userId).forUpdate().executeTakeFirst();
      const current = now?.role ?? 'buyer';
      if (now && current !== previous && current !== role) return { stale: current };
    }
    const result = await setUserRole(tx, userId, role);
    if (!result || result.from === role) return result;
    await recordAudit(tx, { ...actor, action: 'role-changed', details: { from: result.from, to: role } });
    if (result.from === 'officer') {
      const previous = await getTerritory(tx, userId);
      if (previous.countries.length || previous.regions.length) {
        const now = await replaceTerritory(tx, userId, { countries: [], regions: [] });
        await recordAudit(tx, { ...actor, action: 'territory-changed', details: { ...now, previous, reason: 'role-changed' } });
      }
    }
    return result;
  });
  if (!changed) return fail(404, 'form', t('admin.action.invalid'));
  if ('stale' in changed)
    return staleAnswer(
      ctx,
      userId,
      'role-changed',
      'role',
      t('admin.role.field'),
      roleLabel(t, changed.stale),
      roleLabel(t, role),
    );
  return { ok: true, done: 'role' };
}

/** Checks a territory against the country codes and the blocs of the reference data. */
export function checkTerritory(
  reference: Pick<Reference, 'regions'>,
  territory: Territory,
  t: Translator = useTranslations(),
): FieldErrors {
  const errors: FieldErrors = {};
  if (territory.countries.length > 300 || !territory.countries.every(isCountryCode))
    errors.countries = t('admin.territory.country.invalid');
  if (territory.regions.length > 50 || !territory.regions.every((slug) => reference.regions.has(slug)))
    errors.regions = t('admin.territory.region.invalid');
  return errors;
}

/** Replaces an officer's territory (countries by ISO code, blocs by slug). */
export async function setTerritory(
  ctx: AdminContext,
  userId: string,
  territory: Territory,
  previous?: string,
): Promise<ActionResult> {
  const t = translator(ctx);
  const errors = checkTerritory(ctx.reference, territory, t);
  if (Object.keys(errors).length) return { ok: false, status: 400, errors };
  const outcome = await ctx.db.transaction().execute(async (tx) => {
    const user = await tx.selectFrom('user').select('role').where('id', '=', userId).forUpdate().executeTakeFirst();
    if (!user) return 'missing' as const;
    if (user.role !== 'officer') return 'not-officer' as const;
    const previousTerritory = await getTerritory(tx, userId);
    const before = encodeTerritory(previousTerritory);
    if (previous !== undefined && before !== previous && before !== encodeTerritory(territory))
      return { stale: previousTerritory };
    const now = await replaceTerritory(tx, userId, territory);
    if (JSON.stringify(previousTerritory) !== JSON.stringify(now)) {
      await recordAudit(tx, {
        action: 'territory-changed',
        actorId: ctx.actor.id,
        actorEmail: ctx.actor.email,
        ipAddress: ctx.ip || null,
        subjectType: 'user',
        subjectId: userId,
        details: { ...now, previous: previousTerritory },
      });
    }
    return 'saved' as const;
  });
  if (outcome === 'missing') return fail(404, 'form', t('admin.action.invalid'));
  if (outcome === 'not-officer') return fail(400, 'countries', t('admin.territory.notOfficer'));
  if (typeof outcome === 'object') {
    const show = (x: Territory) =>
      [...x.regions.map((slug) => ctx.reference.regions.get(slug)?.name ?? slug), ...x.countries].join(', ');
    return staleAnswer(
      ctx,
      userId,
      'territory-changed',
      'countries',
      t('admin.territory.title'),
      show(outcome.stale),
      show({ countries: [...new Set(territory.countries)].sort(), regions: [...new Set(territory.regions)].sort() }),
    );
  }
  return { ok: true, done: 'territory' };
}

/** Suspends the account and ends its sessions (better-auth's admin API; its hook writes the audit event). */
export async function banUser(ctx: AdminContext, userId: string, reason: unknown): Promise<ActionResult> {
  const t = translator(ctx);
  // Control characters (NUL would make PostgreSQL refuse the row) are dropped; line breaks stay.
  const banReason = typeof reason === 'string' ? reason.replace(new RegExp(CONTROL_CHARS, 'g'), '').trim() : '';
  if (!banReason) return fail(400, 'banReason', t('admin.ban.reason.required'));
  if ([...banReason].length > MAX_REASON) return fail(400, 'banReason', t('admin.ban.reason.tooLong'));
  if (userId === ctx.actor.id) return fail(400, 'banReason', t('admin.ban.self'));
  const result = await authCall(() => ctx.auth.api.banUser({ body: { userId, banReason }, headers: ctx.headers }));
  if (!result.ok)
    return fail(result.status === 403 ? 403 : 400, 'banReason', t('admin.action.failed', { message: result.message }));
  return { ok: true, done: 'ban' };
}

/** Lifts a suspension (better-auth's admin API; its hook writes the audit event). */
export async function unbanUser(ctx: AdminContext, userId: string): Promise<ActionResult> {
  const t = translator(ctx);
  const user = await findUserById(ctx.db, userId);
  if (!user) return fail(404, 'form', t('admin.action.invalid'));
  if (!user.banned) return { ok: true, done: 'unban' };
  const result = await authCall(() => ctx.auth.api.unbanUser({ body: { userId }, headers: ctx.headers }));
  if (!result.ok) return fail(result.status === 403 ? 403 : 400, 'unban', t('admin.action.failed', { message: result.message }));
  return { ok: true, done: 'unban' };
}

/** Signs the account out everywhere (better-auth's admin API; its hook writes the audit event). */
export async function revokeSessions(ctx: AdminContext, userId: string): Promise<ActionResult> {
  const t = translator(ctx);
  const result = await authCall(() => ctx.auth.api.revokeUserSessions({ body: { userId }, headers: ctx.headers }));
  if (!result.ok) return fail(result.status === 403 ? 403 : 400, 'revoke', t('admin.action.failed', { message: result.message }));
  return { ok: true, done: 'revoke' };
}
