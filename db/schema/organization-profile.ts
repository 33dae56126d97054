import { z } from 'zod';
import type { ColumnType, Selectable } from 'kysely';

export const ORGANIZATION_KINDS = ['buyer', 'supplier'] as const;
export const ORGANIZATION_TYPES = [
  'ministry',
  'state-owned-enterprise',
  'company',
  'university',
  'hospital',
  'research-institute',
  'non-profit',
  'other',
] as const;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/** What an organization tells the program about itself; validated on every write. */
export const OrganizationProfileInput = z.object({
  legalName: z.string({ error: 'Enter the legal name' }).trim().min(2, 'Enter the legal name').max(200),
  country: z.string({ error: 'Choose a country' }).regex(/^[A-Z]{2}$/, 'Choose a country'),
  organizationType: z.enum(ORGANIZATION_TYPES, { error: 'Choose the type of organization' }),
  registrationNumber: optionalText(100),
  website: z
    .string()
    .trim()
    .max(300)
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.url({ protocol: /^https?$/, error: 'Enter a web address starting with https://' }).optional()),
  address: optionalText(500),
  sectors: z.array(z.string().max(60)).max(10).default([]),
});
export type OrganizationProfileInput = z.infer<typeof OrganizationProfileInput>;

export interface OrganizationProfileTable {
  organizationId: string;
  kind: (typeof ORGANIZATION_KINDS)[number];
  legalName: string;
  country: string;
  organizationType: string;
  registrationNumber: string | null;
  website: string | null;
  address: string | null;
  sectors: string[];
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Optimistic concurrency: raised by every write; the profile form carries the one it was read at. */
  revision: ColumnType<number, number | undefined, number>;
}
export type OrganizationProfileRow = Selectable<OrganizationProfileTable>;
