import { AUDIT_ACTIONS, type AuditAction, type AuditEventRow } from '../../../db/schema/audit-event.ts';
import { SITE_ROLES, type SiteRole } from '../../../db/schema/user.ts';
import { findUserById, listUserSessions, searchUsers, type UserSummary } from '../../../db/queries/users.ts';
import { getTerritory, type Territory } from '../../../db/queries/territories.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { allCountryCodes, countryName } from '../reference/index.ts';
import { isStaff } from '../server/access.ts';
import { formObject, type FieldErrors } from '../server/forms.ts';
import { notFound, redirect, refuse, type PageModule, type Refusal } from '../server/page.ts';
import type { Conflict } from '../server/revisions.ts';
import { encodeTerritory, runUserAction, USER_ACTIONS, type UserAction } from './actions.ts';
import { countUsers, searchAudit, userEmails } from './audit.ts';
import {
  AUDIT_PER_PAGE,
  MAX_USER_PAGES,
  USERS_PER_PAGE,
  isUserId,
  parseAuditQuery,
  parseUsersQuery,
  roleLabel,
  withParams,
  type AuditQuery,
  type UsersQuery,
} from './queries.ts';

/** /admin: the sections, with the number of accounts. */
export const adminHomePage: PageModule<{ users: number }> = {
  async load(ctx) {
    return { users: await countUsers(ctx.app.db) };
  },
};

const summaryOfProblems = (problems: { field: string; message: string }[]) =>
  problems.map((p) => ({ href: `#${p.field}`, message: p.message }));

export interface UsersModel {
  query: UsersQuery;
  /** The query's problems, by field (the page answers 400). */
  errors: FieldErrors;
  summary: { href: string; message: string }[];
  rows: (UserSummary & { roleLabel: string })[];
  total: number;
  pages: number;
  roles: { value: SiteRole; label: string }[];
  href(page: number): string;
}

/** /admin/users: find accounts by email address or name, optionally of one role. Read-only. */
export const usersPage: PageModule<UsersModel> = {
  async load(ctx) {
    const { query, problems } = parseUsersQuery(ctx.url.searchParams, ctx.t);
    if (problems.length) ctx.response.status = 400;
    const found = problems.length
      ? { rows: [], total: 0 }
      : await searchUsers(ctx.app.db, {
          q: query.q,
          role: query.role,
          limit: USERS_PER_PAGE,
          offset: (query.page - 1) * USERS_PER_PAGE,
        });
    return {
      query,
      errors: Object.fromEntries(problems.map((p) => [p.field, p.message])),
      summary: summaryOfProblems(problems),
      rows: found.rows.map((u) => ({ ...u, roleLabel: roleLabel(ctx.t, u.role) })),
      total: found.total,
      pages: Math.min(MAX_USER_PAGES, Math.max(1, Math.ceil(found.total / USERS_PER_PAGE))),
      roles: SITE_ROLES.map((r) => ({ value: r, label: roleLabel(ctx.t, r) })),
      href: (page) => withParams('/admin/users', { q: query.q, role: query.role, page: page > 1 ? page : undefined }),
    };
  },
};

export interface UserModel {
  target: UserSummary;
  path: string;
  self: boolean;
  role: SiteRole;
  roleLabel: string;
  /** A staff account without two-factor sign-in (it reaches nothing until it sets it up). */
  staffWithoutTwoFactor: boolean;
  auditHref: string;
  territory: Territory;
  /** The territory in words: blocs by name, then countries. */
  territoryNames: string[];
  sessions: Awaited<ReturnType<typeof listUserSessions>>;
  roles: { value: SiteRole; label: string }[];
  countries: { code: string; name: string }[];
  regions: { slug: string; name: string }[];
  chosen: { role: string; countries: string[]; regions: string[]; banReason: string };
  /** What the forms showed, so that a change from an out-of-date page is refused (409). */
  previousRole: string;
  previousTerritory: string;
  /** Which form the refusal (and its conflict) belongs to. */
  refusedAction: string | undefined;
  errors: FieldErrors;
  summary: { href: string; message: string }[];
  conflict: Conflict | undefined;
  notice: string | undefined;
}

const userPath = (id: string) => `/admin/users/${encodeURIComponent(id)}`;

/**
 * /admin/users/[id]: one account: its role, an officer's territory, suspension, its sessions.
 * Plain POST forms (field `action` says which); a change answers 303 back here.
 */
export const userPage: PageModule<UserModel> = {
  formLimits: { maxFields: 1000 },
  async load(ctx, refusal?: Refusal) {
    const { app, t } = ctx;
    const id = ctx.params.id ?? '';
    const target = isUserId(id) ? await findUserById(app.db, id) : undefined;
    if (!target) return notFound();
    const self = target.id === ctx.viewer?.id;
    const role = (target.role ?? 'buyer') as SiteRole;
    const [territory, sessions] = await Promise.all([getTerritory(app.db, target.id), listUserSessions(app.db, target.id)]);
    const values = refusal?.values ?? {};
    const conflict = refusal?.conflict;
    const action = typeof values.action === 'string' ? values.action : undefined;
    // After a refusal they carry what is saved now: saving again is a deliberate choice.
    const posted = (name: string) => (!conflict && typeof values[name] === 'string' ? (values[name] as string) : undefined);
    const done = ctx.url.searchParams.get('done');
    const notices: Record<UserAction, string> = {
      role: t('admin.role.done', { role: roleLabel(t, role) }),
      territory: t('admin.territory.done'),
      ban: t('admin.ban.done'),
      unban: t('admin.unban.done'),
      revoke: t('admin.sessions.done'),
    };
    // Where each field's message points: the first control of its form.
    const anchors: Record<string, string> = {
      form: 'details',
      role: self ? 'role-heading' : 'role',
      countries: 'countries',
      regions: 'regions-first',
      banReason: self ? 'details' : 'banReason',
      unban: 'unban',
      revoke: 'sessions-heading',
    };
    const errors = refusal?.errors ?? {};
    return {
      target,
      path: userPath(target.id),
      self,
      role,
      roleLabel: roleLabel(t, role),
      staffWithoutTwoFactor: isStaff(role) && !target.twoFactorEnabled,
      auditHref: withParams('/admin/audit', { user: target.id }),
      territory,
      territoryNames: [
        ...territory.regions.map((slug) => app.reference.regions.get(slug)?.name ?? slug),
        ...territory.countries.map((code) => `${countryName(code) ?? code} (${code})`),
      ],
      sessions,
      roles: SITE_ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) })),
      countries: allCountryCodes()
        .map((code) => ({ code, name: countryName(code) ?? code }))
        .sort((a, b) => a.name.localeCompare(b.name, 'en')),
      regions: [...app.reference.regions.values()],
      // After a failed post, what was chosen; otherwise what is stored.
      chosen: {
        role: action === 'role' && typeof values.role === 'string' ? values.role : role,
        countries: action === 'territory' ? (values.countries as string[]) : territory.countries,
        regions: action === 'territory' ? (values.regions as string[]) : territory.regions,
        banReason: action === 'ban' && typeof values.banReason === 'string' ? values.banReason : '',
      },
      previousRole: (action === 'role' && posted('previousRole')) || role,
      previousTerritory: (action === 'territory' && posted('previousTerritory')) || encodeTerritory(territory),
      refusedAction: action,
      errors,
      summary: Object.entries(errors).map(([field, message]) => ({ href: `#${anchors[field] ?? field}`, message })),
      conflict,
      notice: (USER_ACTIONS as readonly string[]).includes(done ?? '') ? notices[done as UserAction] : undefined,
    };
  },
  async post(ctx, form) {
    const id = ctx.params.id ?? '';
    if (!isUserId(id) || !(await findUserById(ctx.app.db, id))) return notFound();
    const values = formObject(form, ['countries', 'regions']);
    const result = await runUserAction(
      {
        db: ctx.app.db,
        auth: ctx.app.auth,
        reference: ctx.app.reference,
        actor: { id: ctx.viewer!.id, email: ctx.viewer!.email },
        ip: ctx.clientIp,
        headers: ctx.headers,
        t: ctx.t,
      },
      id,
      values,
    );
    if (result.ok) return redirect(withParams(userPath(id), { done: result.done }));
    // The account went away meanwhile: the page (GET) says so.
    if (result.status === 404) return redirect(userPath(id));
    return refuse(result.status, result.errors, { values, conflict: result.conflict });
  },
};

export interface AuditRow extends AuditEventRow {
  /** The email address of the account the event concerns, when it is one. */
  subjectEmail: string | undefined;
  /** The details as short text. */
  detailsText: string;
  /** The time, to the second, in UTC. */
  stamp: string;
}

export interface AuditModel {
  query: AuditQuery;
  /** The events one can filter by. */
  actions: readonly AuditAction[];
  errors: FieldErrors;
  summary: { href: string; message: string }[];
  /** Undefined when the query was refused (the page answers 400). */
  rows: AuditRow[] | undefined;
  /** The newest page, when this is an older one. */
  newestHref: string | undefined;
  olderHref: string | undefined;
}

// Details as short text: lists joined, nested objects in braces, the usual keys first.
const ORDER = ['from', 'to', 'countries', 'regions', 'previous'];
const show = (v: unknown): string =>
  Array.isArray(v)
    ? v.length
      ? v.map(show).join(', ')
      : '—'
    : v && typeof v === 'object'
      ? `{ ${entries(v as Record<string, unknown>)} }`
      : String(v);
const entries = (o: Record<string, unknown>) =>
  Object.keys(o)
    .sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b))
    .map((k) => `${k}: ${show(o[k])}`)
    .join('; ');
export const detailsText = (value: unknown) =>
  value && typeof value === 'object' ? entries(value as Record<string, unknown>) : '';

/** /admin/audit: the audit log, newest first, filtered by event and by person; pages go back by id (`before`). */
export const auditPage: PageModule<AuditModel> = {
  async load(ctx) {
    const { query, problems } = parseAuditQuery(ctx.url.searchParams, ctx.t);
    const errors = Object.fromEntries(problems.map((p) => [p.field, p.message]));
    const base = { query, actions: AUDIT_ACTIONS, errors, summary: summaryOfProblems(problems) };
    if (problems.length) {
      ctx.response.status = 400;
      return { ...base, rows: undefined, newestHref: undefined, olderHref: undefined };
    }
    const found = await searchAudit(ctx.app.db, {
      action: query.action,
      user: query.user,
      before: query.before,
      limit: AUDIT_PER_PAGE,
    });
    // Names of the accounts the events concern, in one query.
    const emails = await userEmails(
      ctx.app.db,
      found.rows.filter((e) => e.subjectType === 'user' && e.subjectId).map((e) => e.subjectId!),
    );
    const filter = { action: query.action, user: query.user };
    return {
      ...base,
      rows: found.rows.map((e) => ({
        ...e,
        subjectEmail: e.subjectId ? emails.get(e.subjectId) : undefined,
        detailsText: detailsText(e.details),
        stamp: new Date(e.at).toISOString().slice(0, 19).replace('T', ' '),
      })),
      newestHref: query.before !== undefined ? withParams('/admin/audit', filter) : undefined,
      olderHref: found.next !== undefined ? withParams('/admin/audit', { ...filter, before: found.next }) : undefined,
    };
  },
};
