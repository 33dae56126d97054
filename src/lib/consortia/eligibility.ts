import { memberEligibility, type EligibilityProblem, type PolicyData } from '../reference/policy.ts';
import type { Translator } from '../../i18n/index.ts';
import type { FieldErrors } from '../server/forms.ts';

export interface MemberFacts {
  legalName: string;
  countryOfIncorporation: string;
  headquartersCountry: string;
  concernControlled: boolean;
  layers: readonly string[];
}

/** Which form field each problem is shown on (the page's own ids). */
export interface EligibilityFields {
  countryOfIncorporation: string;
  headquartersCountry: string;
  concernControlled: string;
  layers: string;
}

function concernNames(
  member: MemberFacts,
  policy: Pick<PolicyData, 'countriesOfConcern'>,
  countryName: (code: string) => string,
): string {
  const concern = new Set(policy.countriesOfConcern);
  return [...new Set([member.countryOfIncorporation, member.headquartersCountry].filter((c) => concern.has(c)))]
    .map(countryName)
    .join(', ');
}

/** One problem in words. */
export function eligibilityMessage(
  t: Translator,
  problem: EligibilityProblem,
  member: MemberFacts,
  policy: Pick<PolicyData, 'countriesOfConcern'>,
  countryName: (code: string) => string,
): string {
  const name = member.legalName || t('consortia.eligibility.thisCompany');
  switch (problem) {
    case 'located-in-country-of-concern':
      return t('consortia.eligibility.located', { name, countries: concernNames(member, policy, countryName) });
    case 'controlled-from-country-of-concern':
      return t('consortia.eligibility.controlled', { name });
    case 'layer-provider-in-country-of-concern':
      return t('consortia.eligibility.layerProvider', { name, countries: concernNames(member, policy, countryName) });
  }
}

/**
 * The call's eligibility rules (memberEligibility, with the countries of concern from
 * content/policy/countries.yaml), as messages on the fields that cause them; empty when the
 * member may join.
 */
export function eligibilityErrors(
  t: Translator,
  member: MemberFacts,
  policy: Pick<PolicyData, 'countriesOfConcern'>,
  countryName: (code: string) => string,
  fields: EligibilityFields,
): FieldErrors {
  const errors: FieldErrors = {};
  const concern = new Set(policy.countriesOfConcern);
  for (const problem of memberEligibility(member, policy)) {
    const field =
      problem === 'located-in-country-of-concern'
        ? concern.has(member.headquartersCountry) && !concern.has(member.countryOfIncorporation)
          ? fields.headquartersCountry
          : fields.countryOfIncorporation
        : problem === 'controlled-from-country-of-concern'
          ? fields.concernControlled
          : fields.layers;
    const message = eligibilityMessage(t, problem, member, policy, countryName);
    errors[field] = errors[field] ? `${errors[field]} ${message}` : message;
  }
  return errors;
}

/** Where an error summary entry links to: the field itself, or the first choice of a group. */
export function errorHref(field: string, top: string): string {
  if (field === 'form') return `#${top}`;
  if (field === 'layers' || /^layers-[0-9a-f-]{36}$/i.test(field)) return `#${field}-hardware`;
  if (field === 'concernControlled') return '#concernControlled-no';
  return `#${field}`;
}
