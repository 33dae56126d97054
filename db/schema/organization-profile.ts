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
    .transform((v) => (v === '' ? undefined : v))
    .optional();

/** What an organization tells the program about itself; validated on every write. */
export const OrganizationProfileInput = z.object({
  legalName: z.string().trim().min(2, 'Enter the legal name').max(200),
  country: z.string().regex(/^[A-Z]{2}$/, 'Choose a country'),
  organizationType: z.enum(ORGANIZATION_TYPES, { error: 'Choose the type of organization' }),
  registrationNumber: optionalText(100),
  website: z
    .string()
    .trim()
    .max(300)
    .transform((v) => (v === '' ? undefined : v))
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
}
export type OrganizationProfileRow = Selectable<OrganizationProfileTable>;
