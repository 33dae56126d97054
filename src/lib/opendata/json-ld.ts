import type { PackageRow } from '../../../db/schema/package.ts';
import type { Reference } from '../reference/index.ts';

/**
 * The schema.org description of a package (a Service offered by its consortium to the
 * countries it reaches), for search engines. Returned as the text of a
 * <script type="application/ld+json"> element: a data block that browsers never run, so the
 * page's CSP (script hashes) does not apply to it; "<" is escaped so that no text in the
 * package can close the element.
 */
export function packageJsonLd(
  row: PackageRow,
  reach: { countries: string[]; regions: string[] },
  ref: Reference,
  siteUrl: string,
  operator: string,
): string {
  const base = siteUrl.replace(/\/$/, '');
  const members = row.content.consortium.members;
  const data = {
    '@context': 'https://schema.org',
    '@type': 'Service',
    '@id': `${base}/packages/${row.slug}`,
    url: `${base}/packages/${row.slug}`,
    identifier: row.slug,
    name: row.title,
    description: row.summary,
    serviceType: 'Priority AI export package (full-stack AI technology)',
    category: row.sectors.map((s) => ref.sectorName(s)),
    provider: {
      '@type': 'Organization',
      name: row.content.consortium.name,
      member: members.map((m) => ({
        '@type': 'Organization',
        name: m.name,
        address: { '@type': 'PostalAddress', addressCountry: m.country },
      })),
    },
    areaServed: reach.countries.map((code) => ({ '@type': 'Country', name: ref.countryName(code), identifier: code })),
    broker: { '@type': 'GovernmentOrganization', name: operator },
    termsOfService: `${base}/designation`,
  };
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
