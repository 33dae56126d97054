import { getCollection, getEntry, render, type CollectionEntry } from 'astro:content';
import { localEntry } from '../reference/entries.ts';
import { LAYER_KEYS, type PackageRow } from '../../../db/schema/package.ts';
import { FACETS, type Facet } from '../../../search/indexes/packages.ts';
import type { PackageQuery } from '../../../search/query.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { packageJsonLd } from '../opendata/json-ld.ts';
import { filterQueryString } from '../opendata/params.ts';
import { isCountryCode, type Reference } from '../reference/index.ts';
import { notFound, redirect, type PageModule } from '../server/page.ts';
import { packageBody, type BodyModel } from './body.ts';
import { catalogCounts } from './counts.ts';
import { browseCountry, browsePackages, browseRegion, lookupPackage, searchCatalog, type SearchOutcome } from './index.ts';
import { pageParam } from './page-param.ts';
import { FACET_PARAMS, parseCatalogQuery } from './query.ts';

/** The public catalog pages: home, search, one package, and browsing by sector, bloc and country. */

/** /: the tiles by sector, bloc and layer with their counts, and the newest packages. */
export const homePage: PageModule<{
  total: number;
  newest: Awaited<ReturnType<typeof browsePackages>>['rows'];
  sectors: Tile[];
  regions: Tile[];
  layers: Tile[];
}> = {
  async load({ app, t }) {
    const [newest, counts] = await Promise.all([browsePackages(app, { limit: 6 }), catalogCounts(app)]);
    const count = (n: number | undefined) => t.plural('browse.count', n ?? 0);
    return {
      total: newest.total,
      newest: newest.rows,
      sectors: [...app.reference.sectors.values()].map((s) => ({
        href: `/sectors/${s.slug}`,
        name: s.name,
        lines: [count(counts.sectors.get(s.slug))],
      })),
      regions: [...app.reference.regions.values()].map((r) => ({
        href: `/regions/${r.slug}`,
        name: r.shortName,
        lines: [r.name, count(counts.regions.get(r.slug))],
      })),
      layers: LAYER_KEYS.map((key, i) => ({
        href: `/packages?layer=${key}`,
        name: `${String.fromCharCode(65 + i)}. ${t(`layer.${key}` as MessageKey)}`,
        lines: [count(counts.layers.get(key))],
      })),
    };
  },
};

export interface SearchPageModel {
  query: PackageQuery;
  ok: boolean;
  outcome: SearchOutcome | undefined;
  heading: string;
  errors: { href: string; message: string }[];
  /** Searches suggested under the box: the sectors whose names start like a word typed. */
  suggestions: { q: string; label: string }[];
  facets: { param: string; legend: string; filterLabel: string; options: FacetOption[] }[];
  /** How many facet values are chosen. */
  chosen: number;
  /** The filters as a query string, for the CSV, JSON and Atom links. */
  dataQuery: string;
}
export interface FacetOption {
  value: string;
  label: string;
  count: number;
  checked: boolean;
}

/** /packages: the search, its facets (400 for a query that does not parse), and the downloads of what it matches. */
export const searchPage: PageModule<SearchPageModel> = {
  async load({ app, t, url }) {
    const ref = app.reference;
    const parsed = parseCatalogQuery(url.searchParams, ref);
    const query = parsed.query;
    const outcome = parsed.ok ? await searchCatalog(app, query) : undefined;
    const results = outcome?.ok ? outcome.results : undefined;
    const labelOf: Record<Facet, (v: string) => string> = {
      sectors: (v) => ref.sectorName(v),
      countries: (v) => ref.countryName(v),
      regions: (v) => ref.regionName(v),
      layers: (v) => t(`layer.${v}` as MessageKey),
      financing: (v) => ref.financingName(v),
    };
    const facetOptions = (facet: Facet): FacetOption[] => {
      const counts = results?.facets[facet] ?? {};
      const selected = query.filters[facet] ?? [];
      return [...new Set([...Object.keys(counts), ...selected])]
        .map((value) => ({ value, label: labelOf[facet](value), count: counts[value] ?? 0, checked: selected.includes(value) }))
        .sort((a, b) => Number(b.checked) - Number(a.checked) || b.count - a.count || a.label.localeCompare(b.label));
    };
    const errors = parsed.ok
      ? []
      : parsed.problems.map((p) => ({
          // An invalid query draws no results and so no filters: the search box is the place to start again.
          href: ['page', 'perPage', 'sort'].includes(p.param) ? '#sort' : '#q',
          message: t(p.message, p.params),
        }));
    const typed = query.q.toLocaleLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];
    const startsLikeTyped = (name: string) =>
      typed.some((word) =>
        name
          .toLocaleLowerCase()
          .split(/\s+/)
          .some((part) => part.startsWith(word)),
      );
    const suggestions = [...ref.sectors.values()]
      .map((sector) => sector.name)
      .filter((name) => startsLikeTyped(name) && name.toLocaleLowerCase() !== query.q.toLocaleLowerCase())
      .map((text) => ({ q: text, label: text }));
    return {
      query,
      ok: parsed.ok,
      outcome,
      heading: query.q ? t('search.titleWithQuery', { q: query.q }) : t('search.title'),
      errors,
      suggestions,
      facets: FACETS.map((facet) => ({
        param: FACET_PARAMS[facet],
        legend: t(`facet.${facet}`),
        filterLabel: t(`facet.${facet}.find` as MessageKey),
        options: facetOptions(facet),
      })),
      chosen: FACETS.reduce((n, f) => n + (query.filters[f]?.length ?? 0), 0),
      dataQuery: filterQueryString(query),
    };
  },
};

export type PackagePageModel =
  | { kind: 'gone'; row: PackageRow }
  | {
      kind: 'found';
      row: PackageRow;
      body: BodyModel;
      /** The schema.org description of the package (JSON-LD), given the site's operator. */
      jsonLd(operator: string): string;
      sections: { id: string; label: string }[];
    };

/** /packages/<slug>: a designated package in full; a suspended or revoked one answers 410. */
export const packagePage: PageModule<PackagePageModel> = {
  async load({ app, t, params }) {
    const found = await lookupPackage(app, params.slug ?? '');
    if (found.kind === 'missing') return notFound();
    if (found.kind === 'gone') return { kind: 'gone', row: found.row };
    const row = found.row;
    return {
      kind: 'found',
      row,
      body: packageBody(row),
      jsonLd: (operator) => packageJsonLd(row, found, app.reference, app.config.siteUrl, operator),
      sections: (['consortium', 'layers', 'markets', 'business', 'financing', 'compliance', 'contacts'] as const).map((id) => ({
        id,
        label: t(`package.${id}`),
      })),
    };
  },
};

const PER_PAGE = 20;

/** A tile of the browse pages: a link, its name, and lines under it (a full name, a count). */
export interface Tile {
  href: string;
  name: string;
  lines: string[];
}

/** /sectors: a tile per sector with its count. */
export const sectorsPage: PageModule<{ tiles: Tile[] }> = {
  async load({ app, t }) {
    const [sectors, counts] = await Promise.all([getCollection('sectors'), catalogCounts(app)]);
    return {
      tiles: sectors.map((s) => ({
        href: `/sectors/${s.id}`,
        name: app.reference.sectorName(s.id),
        lines: [app.reference.sector(s.id)?.summary ?? s.data.summary, t.plural('browse.count', counts.sectors.get(s.id) ?? 0)],
      })),
    };
  },
};

/** /regions: a tile per bloc, then every country the catalog reaches, with their counts. */
export const regionsPage: PageModule<{ regions: Tile[]; countries: Tile[] }> = {
  async load({ app, t }) {
    const [regions, counts] = await Promise.all([getCollection('regions'), catalogCounts(app)]);
    return {
      regions: regions.map((r) => ({
        href: `/regions/${r.id}`,
        name: app.reference.regionName(r.id),
        lines: [app.reference.region(r.id)?.name ?? r.data.name, t.plural('browse.count', counts.regions.get(r.id) ?? 0)],
      })),
      countries: [...counts.countries.entries()]
        .map(([code, count]) => ({ code, count, name: app.reference.countryName(code) }))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((c) => ({ href: `/countries/${c.code}`, name: c.name, lines: [t.plural('browse.count', c.count)] })),
    };
  },
};

/** /sectors/<slug>: the sector's text and its packages, a page at a time. */
export const sectorPage: PageModule<{
  sector: { id: string; data: CollectionEntry<'sectors'>['data'] };
  /** True when the reader's language has no translation of the sector's text (it is shown in English). */
  fallback: boolean;
  Content: Awaited<ReturnType<typeof render>>['Content'];
  rows: Awaited<ReturnType<typeof browsePackages>>['rows'];
  total: number;
  page: number;
  perPage: number;
}> = {
  async load({ app, params, url, t }) {
    const id = params.slug ?? '';
    const local = id ? await localEntry('sectors', id, t.lang) : undefined;
    const page = pageParam(url);
    if (!local || page === undefined) return notFound();
    const [{ Content }, { rows, total }] = await Promise.all([
      render(local.body),
      browsePackages(app, { sector: id, limit: PER_PAGE, offset: (page - 1) * PER_PAGE }),
    ]);
    return { sector: { id, data: local.data }, fallback: local.fallback, Content, rows, total, page, perPage: PER_PAGE };
  },
};

/** /regions/<slug>: a bloc, its packages and its member countries. */
export const regionPage: PageModule<{
  region: { id: string; data: CollectionEntry<'regions'>['data'] };
  members: Tile[];
  rows: Awaited<ReturnType<typeof browseRegion>>['rows'];
  total: number;
  page: number;
}> = {
  async load({ app, params, url }) {
    const region = params.slug ? await getEntry('regions', params.slug) : undefined;
    const page = pageParam(url);
    if (!region || page === undefined) return notFound();
    const { rows, total } = await browseRegion(app, region.id, page);
    const local = app.reference.region(region.id);
    const members = region.data.members
      .map((code) => ({ code, name: app.reference.countryName(code) }))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((m) => ({ href: `/countries/${m.code}`, name: m.name, lines: [] }));
    return {
      region: {
        id: region.id,
        data: { ...region.data, ...(local && { name: local.name, shortName: local.shortName, summary: local.summary }) },
      },
      members,
      rows,
      total,
      page,
    };
  },
};

/**
 * /countries/<CC>: the packages that reach a country, and its blocs. A lower-case code moves to
 * the upper-case address (301); an embargoed destination has no catalog (451, with the reason).
 */
export const countryPage: PageModule<{
  code: string;
  name: string;
  embargoed: boolean;
  blocs: { slug: string; name: string }[];
  rows: Awaited<ReturnType<typeof browseCountry>>['rows'];
  total: number;
  page: number;
}> = {
  async load({ app, params, url }) {
    const raw = params.code ?? '';
    const code = raw.toUpperCase();
    if (isCountryCode(code) && raw !== code) return redirect(`/countries/${code}`, 301);
    const page = pageParam(url);
    if (!isCountryCode(code) || page === undefined) return notFound();
    const ref: Reference = app.reference;
    const embargoed = ref.policy.embargoed.includes(code);
    const { rows, total } = embargoed ? { rows: [], total: 0 } : await browseCountry(app, code, page);
    const blocs = ref.regionsOf(code).map((slug) => ref.regions.get(slug)!);
    return { code, name: ref.countryName(code), embargoed, blocs, rows, total, page };
  },
};
