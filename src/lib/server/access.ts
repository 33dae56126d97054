import { STAFF_ROLES, type SiteRole } from '../../../db/schema/user.ts';

/** Who may use a route: anyone, any signed-in person, some site roles, or (mailbox) development only. */
export type Audience = 'public' | 'signed-in' | 'development' | readonly SiteRole[];

export interface AccessRule {
  pattern: RegExp;
  audience: Audience;
}

/**
 * Every protected route, first match wins; anything unlisted is public. The route × role
 * test walks this table. Object-level checks (this organization, this territory) live with
 * the data access, not here.
 */
export const ACCESS_RULES: AccessRule[] = [
  { pattern: /^\/account\/(sign-in|sign-up|forgot-password|reset-password|two-factor\/verify)(\/|$)/, audience: 'public' },
  { pattern: /^\/account(\/|$)/, audience: 'signed-in' },
  { pattern: /^\/organizations\/invitations\//, audience: 'signed-in' },
  { pattern: /^\/organizations(\/|$)/, audience: ['buyer', 'supplier', 'admin'] },
  { pattern: /^\/admin(\/|$)/, audience: ['admin'] },
  { pattern: /^\/consortia(\/|$)/, audience: ['supplier', 'admin'] },
  { pattern: /^\/proposals(\/|$)/, audience: ['supplier', 'reviewer', 'admin'] },
  { pattern: /^\/review(\/|$)/, audience: ['reviewer', 'admin'] },
  { pattern: /^\/officer\/screening(\/|$)/, audience: ['officer', 'admin'] },
  { pattern: /^\/officer(\/|$)/, audience: ['officer', 'admin'] },
  { pattern: /^\/buyer(\/|$)/, audience: ['buyer'] },
  // The unsubscribe link of an alert mail: anyone holding the signed link (no sign-in).
  { pattern: /^\/alerts\/unsubscribe$/, audience: 'public' },
  { pattern: /^\/introductions(\/|$)/, audience: ['buyer', 'supplier', 'officer', 'admin'] },
  { pattern: /^\/dev\//, audience: 'development' },
  // better-auth: only the links in the site's mail are served (src/lib/auth/http-gate.ts), to anyone who has one.
  { pattern: /^\/api\/auth\//, audience: 'public' },
];

/**
 * Routes that take posts from other sites: RFC 8058 one-click unsubscribe, which a mail
 * provider's server posts without an Origin. The signed link in the URL is what authorizes
 * it; no cookie is used. Every other non-GET request must come from the site's own pages.
 */
export const CROSS_SITE_POST_PATHS = /^\/alerts\/unsubscribe$/;

/** Paths a staff member without two-factor sign-in may still reach: setting it up, or leaving. */
const TWO_FACTOR_SETUP_PATHS = /^\/(account\/(two-factor|sign-out|sign-in)|api\/auth\/|_astro\/|img\/|favicon)/;

export function ruleFor(pathname: string): AccessRule | undefined {
  return ACCESS_RULES.find((rule) => rule.pattern.test(pathname));
}

export interface Viewer {
  role: SiteRole;
  twoFactorEnabled: boolean;
}

export type Decision = 'allow' | 'sign-in' | 'forbidden' | 'not-found' | 'two-factor-setup';

export function isStaff(role: string | null | undefined): boolean {
  return (STAFF_ROLES as readonly string[]).includes(role ?? '');
}

/** What the middleware does with a request for `pathname` from `viewer` (undefined: anonymous). */
export function decide(pathname: string, viewer: Viewer | undefined, options: { production: boolean }): Decision {
  const rule = ruleFor(pathname);
  if (!rule || rule.audience === 'public') return 'allow';
  if (viewer && isStaff(viewer.role) && !viewer.twoFactorEnabled && !TWO_FACTOR_SETUP_PATHS.test(pathname)) {
    // Staff reach no protected page but the set-up until two-factor sign-in is on.
    return 'two-factor-setup';
  }
  if (rule.audience === 'development') return options.production ? 'not-found' : 'allow';
  if (!viewer) return 'sign-in';
  if (rule.audience === 'signed-in') return 'allow';
  return rule.audience.includes(viewer.role) ? 'allow' : 'forbidden';
}

/**
 * True for an address of this machine (127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6):
 * what a socket reports for a client on the same host. Pass the socket's address, never a
 * forwarded header.
 */
export function isLoopback(address: string | null | undefined): boolean {
  const a = (address ?? '').trim().toLowerCase();
  return a === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}
