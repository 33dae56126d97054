import type { ColumnType, Selectable } from 'kysely';

/**
 * An organization that has closed (its last member deleted the account). The organization,
 * its profile and its evidence (vetting, introductions) stay; nobody is a member any more.
 */
export interface OrganizationClosureTable {
  organizationId: string;
  closedAt: ColumnType<Date, Date | string | undefined, never>;
  closedBy: string | null;
  reason: 'last-member-left';
}
export type OrganizationClosureRow = Selectable<OrganizationClosureTable>;
