import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { FinancingData, PageData, RegionData, SectorData } from './lib/reference/schemas.ts';
import { allCountryCodes, countryName } from './lib/reference/countries.ts';

// The editor-owned reference data under content/, one folder per collection.
export const collections = {
  sectors: defineCollection({ loader: glob({ pattern: '*.md', base: './content/sectors' }), schema: SectorData }),
  regions: defineCollection({ loader: glob({ pattern: '*.yaml', base: './content/regions' }), schema: RegionData }),
  financing: defineCollection({ loader: glob({ pattern: '*.yaml', base: './content/financing' }), schema: FinancingData }),
  // ISO 3166-1 alpha-2 codes with names from i18n-iso-countries, never typed by hand.
  countries: defineCollection({
    loader: async () => allCountryCodes().map((code) => ({ id: code, name: countryName(code) ?? code })),
    schema: z.object({ name: z.string() }),
  }),
  pages: defineCollection({ loader: glob({ pattern: '*.md', base: './content/pages' }), schema: PageData }),
  // Translations, beside the English entries: content/<collection>/<lang>/<id>.md (ids `es/faq`).
  sectorTranslations: defineCollection({
    loader: glob({ pattern: '*/*.md', base: './content/sectors' }),
    schema: SectorData.pick({ name: true, summary: true }),
  }),
  pageTranslations: defineCollection({
    loader: glob({ pattern: '*/*.md', base: './content/pages' }),
    schema: PageData.pick({ title: true, summary: true }),
  }),
};
