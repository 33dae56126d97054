import type { PolicyData } from '../reference/policy.ts';

/**
 * Country policy flags of a buyer's country, from content/policy/countries.yaml: an embargoed
 * destination (cannot be verified), a country of concern, and each EAR country group the country
 * is in. Stored with the request (`vetting.countryFlags`) as they stood when it was made.
 */
export type CountryFlag = { flag: 'embargoed' } | { flag: 'country-of-concern' } | { flag: 'country-group'; group: string };

export function countryFlags(policy: PolicyData, country: string): CountryFlag[] {
  const flags: CountryFlag[] = [];
  if (policy.embargoed.includes(country)) flags.push({ flag: 'embargoed' });
  if (policy.countriesOfConcern.includes(country)) flags.push({ flag: 'country-of-concern' });
  for (const [group, members] of Object.entries(policy.countryGroups).sort(([a], [b]) => a.localeCompare(b))) {
    if (members.includes(country)) flags.push({ flag: 'country-group', group });
  }
  return flags;
}

/** The stored flags, read back defensively (jsonb written by an earlier version may differ). */
export function readFlags(stored: unknown): CountryFlag[] {
  if (!Array.isArray(stored)) return [];
  const flags: CountryFlag[] = [];
  for (const item of stored) {
    if (!item || typeof item !== 'object') continue;
    const { flag, group } = item as { flag?: unknown; group?: unknown };
    if (flag === 'embargoed' || flag === 'country-of-concern') flags.push({ flag });
    else if (flag === 'country-group' && typeof group === 'string') flags.push({ flag, group });
  }
  return flags;
}

/**
 * Whether a buyer in `country` is in an embargoed destination: by the flags stored with the
 * request, or by the policy as it stands now (a destination embargoed since is refused too).
 */
export function isEmbargoed(stored: unknown, policy: PolicyData, country: string | null | undefined): boolean {
  return readFlags(stored).some((f) => f.flag === 'embargoed') || (!!country && policy.embargoed.includes(country));
}
