import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Settings } from 'meilisearch';
import type { ScreeningEntryRow } from '../../db/schema/screening.ts';
import { normalizeName } from '../../src/lib/screening/normalize.ts';

/**
 * The restricted-party screening index: one document per entry of the imported Consolidated
 * Screening List. Server-side only: it is queried with the admin client, never with the
 * site's search-only key (that key is limited to `packages*`), and never from the browser.
 */
export const SCREENING_INDEX = 'screening';

export const ScreeningDocument = z.object({
  /** A Meilisearch-safe key derived from the entry id. */
  id: z.string(),
  /** The entry's id as the list publishes it (`screening_entry.id`). */
  entryId: z.string(),
  name: z.string(),
  altNames: z.array(z.string()),
  /** Every alias (name and alternate names) normalised: what queries are matched against. */
  normalizedNames: z.array(z.string()),
  source: z.string(),
  programs: z.array(z.string()),
  /** ISO 3166-1 alpha-2 codes from the entry's addresses. */
  countries: z.array(z.string()),
  addresses: z.array(z.string()),
  startDate: z.string().nullable(),
});
export type ScreeningDocument = z.infer<typeof ScreeningDocument>;

/** Meilisearch ids allow letters, digits, `-` and `_` up to 511 bytes; other ids are hashed. */
export function documentId(entryId: string): string {
  return /^[A-Za-z0-9_-]{1,200}$/.test(entryId) ? entryId : `h${createHash('sha1').update(entryId).digest('hex')}`;
}

export function toScreeningDocument(
  row: Pick<ScreeningEntryRow, 'id' | 'name' | 'altNames' | 'source' | 'programs' | 'addresses' | 'startDate'>,
): ScreeningDocument {
  const aliases = [row.name, ...row.altNames];
  const normalizedNames = [...new Set(aliases.map(normalizeName).filter(Boolean))];
  const countries = [...new Set(row.addresses.map((a) => a.country?.toUpperCase()).filter((c): c is string => !!c))].sort();
  const addresses = row.addresses
    .map((a) => [a.address, a.city, a.state, a.postal_code, a.country].filter(Boolean).join(', '))
    .filter(Boolean);
  return {
    id: documentId(row.id),
    entryId: row.id,
    name: row.name,
    altNames: row.altNames,
    normalizedNames,
    source: row.source,
    programs: row.programs,
    countries,
    addresses,
    startDate: row.startDate,
  };
}

export const screeningSettings = {
  searchableAttributes: ['normalizedNames', 'name', 'altNames'],
  filterableAttributes: ['source', 'countries'],
  sortableAttributes: [],
  displayedAttributes: ['*'],
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'exactness'],
  stopWords: [],
  synonyms: {},
  pagination: { maxTotalHits: 1000 },
  // Names are short: allow one typo from 4 letters, two from 8.
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 } },
} satisfies Settings;
