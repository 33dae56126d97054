import { z } from 'zod';
import { Contact, FinancingRequest, Layers, LAYER_KEYS, PackageContent } from '../../../db/schema/package.ts';

/** The sections of the proposal editor, in order (EO 14320 §3(b) and the call). */
export const SECTIONS = ['overview', ...LAYER_KEYS, 'markets', 'business', 'financing', 'compliance', 'contacts'] as const;
export type Section = (typeof SECTIONS)[number];

const Text = (max: number) => z.string().trim().min(1).max(max);
const Slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
const Iso2 = z.string().regex(/^[A-Z]{2}$/);

const pkg = PackageContent.shape;

/**
 * A proposal ready to submit: every section the executive order and the call require — the
 * package's own parts (`db/schema/package.ts`, where their limits are), and the attestation.
 */
export const ProposalComplete = z
  .object({
    title: pkg.title,
    summary: pkg.summary,
    description: pkg.description,
    sectors: z.array(Slug).min(1),
    layers: Layers,
    targetCountries: z.array(Iso2),
    targetRegions: z.array(Slug),
    businessModel: pkg.businessModel,
    financing: z.array(FinancingRequest).min(1),
    compliance: pkg.compliance.extend({
      attestation: z.object({
        name: Text(200),
        title: Text(200),
        confirmed: z.literal(true),
      }),
    }),
    contacts: z.array(Contact).min(1),
  })
  .refine((p) => p.targetCountries.length + p.targetRegions.length > 0, {
    path: ['targetCountries'],
    message: 'Name at least one target country or regional bloc',
  });
export type ProposalComplete = z.infer<typeof ProposalComplete>;

/** Which editor section a validation issue belongs to. */
export function sectionOf(path: readonly PropertyKey[]): Section {
  const [head, next] = path.map(String);
  if (head === 'layers' && (LAYER_KEYS as readonly string[]).includes(next ?? '')) return next as Section;
  if (head === 'targetCountries' || head === 'targetRegions') return 'markets';
  if (head === 'businessModel') return 'business';
  if (head === 'financing') return 'financing';
  if (head === 'compliance') return 'compliance';
  if (head === 'contacts') return 'contacts';
  return 'overview';
}

export interface ChecklistItem {
  section: Section;
  complete: boolean;
  problems: { path: string; message: string }[];
}

/** The editor's checklist: every section, complete or not, with what is missing. */
export function checklist(draft: unknown): ChecklistItem[] {
  const parsed = ProposalComplete.safeParse(draft);
  const problems = new Map<Section, { path: string; message: string }[]>();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // A draft without any layer yet: every layer section is incomplete.
      const sections = issue.path.length === 1 && issue.path[0] === 'layers' ? [...LAYER_KEYS] : [sectionOf(issue.path)];
      for (const section of sections) {
        problems.set(section, [
          ...(problems.get(section) ?? []),
          { path: issue.path.map(String).join('.'), message: issue.message },
        ]);
      }
    }
  }
  return SECTIONS.map((section) => ({ section, complete: !problems.has(section), problems: problems.get(section) ?? [] }));
}
