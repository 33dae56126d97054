import type { ColumnType, Selectable } from 'kysely';

/** Site roles (better-auth's admin plugin stores one in `user.role`). */
export const SITE_ROLES = ['buyer', 'supplier', 'officer', 'reviewer', 'admin'] as const;
export type SiteRole = (typeof SITE_ROLES)[number];
/** Roles an administrator grants; nobody signs up as one. They must use two-factor sign-in. */
export const STAFF_ROLES = ['officer', 'reviewer', 'admin'] as const satisfies readonly SiteRole[];

/** better-auth's `user` table with the admin and two-factor plugins' columns. */
export interface UserTable {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  image: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  role: string | null;
  banned: boolean | null;
  banReason: string | null;
  banExpires: Date | null;
  twoFactorEnabled: boolean | null;
}
export type UserRow = Selectable<UserTable>;
