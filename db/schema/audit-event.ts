import type { ColumnType, Insertable, Selectable } from 'kysely';

/** Security events; the table is append-only (a trigger refuses updates and deletes). */
export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'sign-up',
  'sign-up-duplicate',
  'email-verified',
  'password-changed',
  'password-reset',
  'email-change-requested',
  'two-factor-enabled',
  'two-factor-disabled',
  'sessions-revoked',
  'role-changed',
  'territory-changed',
  'user-banned',
  'user-unbanned',
  'membership-changed',
  'invitation-sent',
  'organization-created',
  'organization-updated',
  'organization-closed',
  'data-exported',
  'account-deleted',
  'consortium-created',
  'consortium-changed',
  'proposal-saved',
  'proposal-moved',
  'proposal-reviewed',
  'attachment-added',
  'screening-imported',
  'screening-attached',
  'vetting-requested',
  'vetting-decided',
  'introduction-requested',
  'introduction-moved',
  'introduction-message',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEventTable {
  id: ColumnType<string, never, never>;
  at: ColumnType<Date, Date | string | undefined, never>;
  action: AuditAction;
  actorId: string | null;
  actorEmail: string | null;
  subjectType: string | null;
  subjectId: string | null;
  ipAddress: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
}
export type AuditEventRow = Selectable<AuditEventTable>;
export type NewAuditEvent = Insertable<AuditEventTable>;
