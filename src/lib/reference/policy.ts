import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const Iso2 = z.string().regex(/^[A-Z]{2}$/);

/** Export policy data from content/policy/countries.yaml. */
export const PolicyData = z.object({
  countriesOfConcern: z.array(Iso2),
  embargoed: z.array(Iso2),
  countryGroups: z.record(z.string(), z.array(Iso2)),
});
export type PolicyData = z.infer<typeof PolicyData>;

export async function loadPolicy(contentDir: string): Promise<PolicyData> {
  const raw = parseYaml(await readFile(join(contentDir, 'policy', 'countries.yaml'), 'utf8'));
  const parsed = PolicyData.safeParse(raw);
  if (!parsed.success) throw new Error(`content/policy/countries.yaml: ${parsed.error.message}`);
  return parsed.data;
}

export type EligibilityProblem =
  'located-in-country-of-concern' | 'controlled-from-country-of-concern' | 'layer-provider-in-country-of-concern';

/**
 * The call's eligibility rules for a consortium member: no entity located in, or owned or
 * controlled from, a country of concern; no provider of the data, models, security or
 * application layer incorporated or primarily based in one.
 */
export function memberEligibility(
  member: { countryOfIncorporation: string; headquartersCountry: string; concernControlled: boolean; layers: readonly string[] },
  policy: Pick<PolicyData, 'countriesOfConcern'>,
): EligibilityProblem[] {
  const concern = new Set(policy.countriesOfConcern);
  const problems: EligibilityProblem[] = [];
  const located = concern.has(member.countryOfIncorporation) || concern.has(member.headquartersCountry);
  if (located) problems.push('located-in-country-of-concern');
  if (member.concernControlled) problems.push('controlled-from-country-of-concern');
  if (located && member.layers.some((layer) => layer !== 'hardware')) problems.push('layer-provider-in-country-of-concern');
  return problems;
}
