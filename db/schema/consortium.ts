import type { ColumnType, Selectable } from 'kysely';
import type { LayerKey } from './package.ts';

export interface ConsortiumTable {
  id: ColumnType<string, string | undefined, never>;
  name: string;
  /** The organization (a supplier) that leads and submits: the anchor member. */
  anchorOrganizationId: string;
  createdBy: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export const MEMBER_STATUSES = ['invited', 'active', 'declined', 'removed'] as const;

export interface ConsortiumMemberTable {
  id: ColumnType<string, string | undefined, never>;
  consortiumId: string;
  /** Set once a company's organization accepts (the anchor's from the start). */
  organizationId: string | null;
  role: 'anchor' | 'member';
  status: (typeof MEMBER_STATUSES)[number];
  invitedEmail: string | null;
  legalName: string;
  /** ISO 3166-1 alpha-2. */
  countryOfIncorporation: string;
  headquartersCountry: string;
  /** Owned or controlled from a country of concern. */
  concernControlled: boolean;
  layers: LayerKey[];
  /** Optimistic concurrency: raised by every change; the member's forms carry the one they were read at. */
  revision: ColumnType<number, number | undefined, number>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export type ConsortiumRow = Selectable<ConsortiumTable>;
export type ConsortiumMemberRow = Selectable<ConsortiumMemberTable>;
