import { Feed } from 'feed';
import type { Reference } from '../reference/index.ts';
import type { CatalogRecord } from './schemas.ts';

export const FEED_ENTRIES = 50;

/** The date the program's catalog began (ITA launched the program on October 21, 2025): the tag URIs' date. */
const TAG_DATE = '2025-10-21';

/**
 * A `tag:` URI (RFC 4151) of the site's host: stable for a package (its slug never changes)
 * whatever its title or address on the site becomes.
 */
export function tagUri(siteUrl: string, specific: string): string {
  return `tag:${new URL(siteUrl).hostname},${TAG_DATE}:${specific}`;
}

export interface FeedInput {
  siteUrl: string;
  operator: string;
  /** The search's parameters, canonical (empty for the whole catalog). */
  params: URLSearchParams;
  records: CatalogRecord[];
  reference: Reference;
}

/**
 * An Atom 1.0 feed (RFC 4287) of the packages a search matches, most recently designated or
 * updated first: feed id, title, updated, author, self and alternate links; each entry with its
 * id, title, updated, published, link, summary and categories.
 */
export function packagesFeed(input: FeedInput): { xml: string; updated: Date } {
  const base = input.siteUrl.replace(/\/$/, '');
  const query = input.params.toString();
  const entries = [...input.records]
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.slug.localeCompare(b.slug))
    .slice(0, FEED_ENTRIES);
  const updated = entries.length ? new Date(entries[0]!.updatedAt) : new Date(Date.UTC(2025, 9, 21));
  const described = [...input.params.entries()].map(([k, v]) => `${k}: ${v}`).join(', ');
  const feed = new Feed({
    id: tagUri(input.siteUrl, query ? `packages?${query}` : 'packages'),
    title: described ? `Priority AI export packages (${described})` : 'Priority AI export packages',
    description: 'Packages newly designated or updated in the catalog of the American AI Exports Program.',
    link: `${base}/packages${query ? `?${query}` : ''}`,
    feedLinks: { atom: `${base}/packages.atom${query ? `?${query}` : ''}` },
    updated,
    language: 'en',
    author: { name: input.operator, link: base },
    copyright: 'Public domain (U.S. Government work)',
    generator: 'American AI Exports',
  });
  for (const record of entries) {
    feed.addItem({
      id: tagUri(input.siteUrl, `packages/${record.slug}`),
      title: record.title,
      link: record.url,
      date: new Date(record.updatedAt),
      published: new Date(record.designatedAt),
      description: record.summary,
      category: record.sectors.map((s) => ({ term: s, name: input.reference.sectorName(s) })),
    });
  }
  return { xml: feed.atom1(), updated };
}
