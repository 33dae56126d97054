import type { ColumnType, Selectable } from 'kysely';

/** better-auth's `session` table. */
export interface SessionTable {
  id: string;
  expiresAt: Date;
  token: string;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  updatedAt: Date;
  ipAddress: string | null;
  userAgent: string | null;
  userId: string;
  impersonatedBy: string | null;
  activeOrganizationId: string | null;
}
export type SessionRow = Selectable<SessionTable>;

/** A TOTP code accepted for a user, kept for a few minutes so that it cannot be used again. */
export interface TwoFactorUsedCodeTable {
  userId: string;
  code: string;
  usedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}
