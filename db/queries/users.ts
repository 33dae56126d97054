import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema/index.ts';
import type { SiteRole } from '../schema/user.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** What the administration pages show of an account. */
export interface UserSummary {
  id: string;
  name: string;
  email: string;
  role: string | null;
  emailVerified: boolean;
  twoFactorEnabled: boolean | null;
  banned: boolean | null;
  banReason: string | null;
  banExpires: Date | null;
  createdAt: Date;
}

export interface UserSearch {
  /** Part of the email address or name (case-insensitive). */
  q?: string | undefined;
  role?: SiteRole | undefined;
  limit: number;
  offset: number;
}

const SUMMARY = [
  'id',
  'name',
  'email',
  'role',
  'emailVerified',
  'twoFactorEnabled',
  'banned',
  'banReason',
  'banExpires',
  'createdAt',
] as const;

/** `%` and `_` taken literally in an ILIKE pattern. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Accounts whose email or name contains `q`, optionally of one role; by email, with the total count. */
export async function searchUsers(db: Db, search: UserSearch): Promise<{ rows: UserSummary[]; total: number }> {
  let query = db.selectFrom('user');
  const q = search.q?.trim();
  if (q) {
    const pattern = likePattern(q);
    query = query.where((eb) => eb.or([eb('email', 'ilike', pattern), eb('name', 'ilike', pattern)]));
  }
  if (search.role === 'buyer') {
    // better-auth leaves the role empty until one is set; the site treats that as a buyer.
    query = query.where((eb) => eb.or([eb('role', '=', 'buyer'), eb('role', 'is', null)]));
  } else if (search.role) {
    query = query.where('role', '=', search.role);
  }
  const [rows, count] = await Promise.all([
    query
      .select([...SUMMARY])
      .orderBy('email')
      .limit(search.limit)
      .offset(search.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.count) };
}

export function findUserById(db: Db, id: string): Promise<UserSummary | undefined> {
  return db
    .selectFrom('user')
    .select([...SUMMARY])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findUserByEmail(db: Db, email: string): Promise<UserSummary | undefined> {
  return db
    .selectFrom('user')
    .select([...SUMMARY])
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

/**
 * Sets the site role and returns the one it replaces (undefined if there is no such user).
 * The row is locked first, so that two administrators changing it at once see each other's change.
 */
export async function setUserRole(db: Transaction<Database>, id: string, role: SiteRole): Promise<{ from: string } | undefined> {
  const current = await db.selectFrom('user').select('role').where('id', '=', id).forUpdate().executeTakeFirst();
  if (!current) return undefined;
  const from = current.role ?? 'buyer';
  if (from !== role) await db.updateTable('user').set({ role, updatedAt: new Date() }).where('id', '=', id).execute();
  return { from };
}

/** The user's unexpired sessions, most recently used first. */
export function listUserSessions(db: Db, userId: string) {
  return db
    .selectFrom('session')
    .select(['id', 'createdAt', 'updatedAt', 'expiresAt', 'ipAddress', 'userAgent', 'impersonatedBy'])
    .where('userId', '=', userId)
    .where('expiresAt', '>', sql<Date>`now()`)
    .orderBy('updatedAt', 'desc')
    .execute();
}

export async function countUserSessions(db: Db, userId: string): Promise<number> {
  const { count } = await db
    .selectFrom('session')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('userId', '=', userId)
    .where('expiresAt', '>', sql<Date>`now()`)
    .executeTakeFirstOrThrow();
  return Number(count);
}
