import { z } from 'zod';

/** Schemas of the editor-owned reference data under content/, shared by the content collections and the server. */
const Iso2 = z.string().regex(/^[A-Z]{2}$/);

export const SectorData = z.object({
  name: z.string().min(1),
  summary: z.string().min(1).max(300),
});
export type SectorData = z.infer<typeof SectorData>;

export const RegionData = z.object({
  name: z.string().min(1),
  shortName: z.string().min(1),
  summary: z.string().min(1),
  members: z.array(Iso2).min(1),
});
export type RegionData = z.infer<typeof RegionData>;

export const FinancingData = z.object({
  name: z.string().min(1),
  agency: z.string().min(1),
  agencyShort: z.string().min(1),
  statute: z.string().min(1),
  summary: z.string().min(1),
});
export type FinancingData = z.infer<typeof FinancingData>;

export const PageData = z.object({
  title: z.string().min(1),
  summary: z.string().min(1).max(300),
  order: z.number().int(),
});
export type PageData = z.infer<typeof PageData>;
