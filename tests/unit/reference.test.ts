import { describe, expect, it } from 'vitest';
import { loadReference } from '../../src/lib/reference/index.ts';
import { reach } from '../../search/indexes/packages.ts';

describe('reference data under content/', () => {
  it('has the five regional blocs with valid members', async () => {
    const ref = await loadReference();
    expect([...ref.regions.keys()].sort()).toEqual(['african-union', 'asean', 'eu', 'gcc', 'mercosur']);
    expect(ref.regions.get('gcc')!.members.sort()).toEqual(['AE', 'BH', 'KW', 'OM', 'QA', 'SA']);
    expect(ref.regions.get('eu')!.members).toHaveLength(27);
    expect(ref.regionsOf('FR')).toEqual(['eu']);
    expect(ref.countryName('KE')).toBe('Kenya');
  });

  it('reaches bloc members and the blocs of targeted countries', async () => {
    const ref = await loadReference();
    const { countries, regions } = reach({ targetCountries: ['BR'], targetRegions: ['gcc'] }, ref);
    expect(countries).toEqual(['AE', 'BH', 'BR', 'KW', 'OM', 'QA', 'SA']);
    expect(regions).toEqual(['gcc', 'mercosur']);
  });
});

import { memberEligibility } from '../../src/lib/reference/policy.ts';

describe('consortium member eligibility (policy data in content/policy)', () => {
  it('accepts U.S. and allied companies', async () => {
    const { policy } = await loadReference();
    expect(
      memberEligibility(
        { countryOfIncorporation: 'US', headquartersCountry: 'US', concernControlled: false, layers: ['models'] },
        policy,
      ),
    ).toEqual([]);
    expect(
      memberEligibility(
        { countryOfIncorporation: 'JP', headquartersCountry: 'JP', concernControlled: false, layers: ['hardware'] },
        policy,
      ),
    ).toEqual([]);
  });
  it('refuses members located in or controlled from a country of concern, and such layer providers', async () => {
    const { policy } = await loadReference();
    expect(
      memberEligibility(
        { countryOfIncorporation: 'SG', headquartersCountry: 'HK', concernControlled: false, layers: ['data'] },
        policy,
      ),
    ).toEqual(['located-in-country-of-concern', 'layer-provider-in-country-of-concern']);
    expect(
      memberEligibility(
        { countryOfIncorporation: 'DE', headquartersCountry: 'DE', concernControlled: true, layers: ['hardware'] },
        policy,
      ),
    ).toEqual(['controlled-from-country-of-concern']);
  });
});
