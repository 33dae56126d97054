import { SITE_ROLES, type SiteRole } from '../../../db/schema/user.ts';
import { AUDIT_ACTIONS, type AuditAction } from '../../../db/schema/audit-event.ts';
import { useTranslations, type MessageKey, type Translator } from '../../i18n/index.ts';

/** One problem with a page's URL parameters: which field it points at and what to say. */
export interface QueryProblem {
  field: string;
  message: string;
}

export const USERS_PER_PAGE = 25;
export const MAX_USER_PAGES = 1000;
export const AUDIT_PER_PAGE = 50;

/** Control characters (NUL among them) that no name, address or id contains; PostgreSQL refuses NUL in text. */
export const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A user id as better-auth makes them (letters, digits, - and _). */
export function isUserId(value: string): boolean {
  return /^[A-Za-z0-9_-]{1,128}$/.test(value);
}

export function isSiteRole(value: unknown): value is SiteRole {
  return typeof value === 'string' && (SITE_ROLES as readonly string[]).includes(value);
}

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

export function roleLabel(t: Translator, role: string | null | undefined): string {
  const r = role ?? 'buyer';
  return isSiteRole(r) ? t(`role.${r}` as MessageKey) : r;
}

export interface UsersQuery {
  q: string;
  role: SiteRole | undefined;
  page: number;
}

/** `/admin/users?q=&role=&page=`: what to search, or the problems (the page answers 400). */
export function parseUsersQuery(
  params: URLSearchParams,
  t: Translator = useTranslations(),
): { query: UsersQuery; problems: QueryProblem[] } {
  const problems: QueryProblem[] = [];
  let q = (params.get('q') ?? '').trim();
  if (q.length > 200) {
    problems.push({ field: 'q', message: t('admin.users.q.tooLong') });
    q = q.slice(0, 200);
  }
  if (CONTROL_CHARS.test(q)) {
    problems.push({ field: 'q', message: t('admin.users.q.invalid') });
    q = q.replace(new RegExp(CONTROL_CHARS, 'g'), '');
  }
  const rawRole = params.get('role') ?? '';
  let role: SiteRole | undefined;
  if (rawRole) {
    if (isSiteRole(rawRole)) role = rawRole;
    else problems.push({ field: 'role', message: t('admin.users.role.invalid') });
  }
  const rawPage = params.get('page') ?? '';
  let page = 1;
  if (rawPage) {
    const n = /^\d{1,4}$/.test(rawPage) ? Number(rawPage) : NaN;
    if (n >= 1 && n <= MAX_USER_PAGES) page = n;
    else problems.push({ field: 'q', message: t('admin.users.page.invalid', { max: MAX_USER_PAGES }) });
  }
  return { query: { q, role, page }, problems };
}

export interface AuditQuery {
  action: AuditAction | undefined;
  /** An email address or a user id, as typed. */
  user: string;
  /** Show events with ids below this one (the next page of older events). */
  before: number | undefined;
}

/** `/admin/audit?action=&user=&before=`: the filter, or the problems (the page answers 400). */
export function parseAuditQuery(
  params: URLSearchParams,
  t: Translator = useTranslations(),
): { query: AuditQuery; problems: QueryProblem[] } {
  const problems: QueryProblem[] = [];
  const rawAction = params.get('action') ?? '';
  let action: AuditAction | undefined;
  if (rawAction) {
    if (isAuditAction(rawAction)) action = rawAction;
    else problems.push({ field: 'action', message: t('admin.audit.action.invalid') });
  }
  let user = (params.get('user') ?? '').trim();
  if (user.length > 254) {
    problems.push({ field: 'user', message: t('admin.audit.user.tooLong') });
    user = '';
  } else if (CONTROL_CHARS.test(user)) {
    problems.push({ field: 'user', message: t('admin.audit.user.invalid') });
    user = '';
  }
  const rawBefore = params.get('before') ?? '';
  let before: number | undefined;
  if (rawBefore) {
    if (/^\d{1,15}$/.test(rawBefore) && Number(rawBefore) >= 1) before = Number(rawBefore);
    else problems.push({ field: 'action', message: t('admin.audit.before.invalid') });
  }
  return { query: { action, user, before }, problems };
}

/** A URL with the given parameters, leaving out empty ones. */
export function withParams(path: string, params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const s = search.toString();
  return s ? `${path}?${s}` : path;
}
