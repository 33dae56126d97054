import { describe, expect, it } from 'vitest';
import { filterExpression, markHighlights } from '../../search/query.ts';
import { settingsDiff } from '../../search/apply-settings.ts';
import { packageSettings } from '../../search/indexes/packages.ts';

describe('markHighlights', () => {
  it('escapes the text and turns the match markers into <mark>', () => {
    expect(markHighlights('<script>alert(1)</script> \u0002GPU\u0003 & more')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; <mark>GPU</mark> &amp; more',
    );
  });
});

describe('filterExpression', () => {
  it('ORs values within a facet, ANDs across, and quotes values', () => {
    expect(filterExpression({ sectors: ['energy', 'health"care'], countries: ['KE'] })).toEqual([
      '(sectors = "energy" OR sectors = "health\\"care")',
      '(countries = "KE")',
    ]);
  });
  it('leaves out the facet being counted', () => {
    expect(filterExpression({ sectors: ['energy'], countries: ['KE'] }, 'sectors')).toEqual(['(countries = "KE")']);
  });
});

describe('settingsDiff', () => {
  it('is empty when the index has the settings, in any order', () => {
    const current = {
      ...packageSettings,
      filterableAttributes: [...packageSettings.filterableAttributes].reverse(),
      faceting: { ...packageSettings.faceting, extra: true },
    };
    expect(settingsDiff(current as never, packageSettings)).toEqual({});
  });
  it('names only what differs', () => {
    const current = { ...packageSettings, sortableAttributes: ['title'] };
    expect(Object.keys(settingsDiff(current, packageSettings))).toEqual(['sortableAttributes']);
  });
  it('keeps searchable attribute order significant', () => {
    const current = { ...packageSettings, searchableAttributes: [...packageSettings.searchableAttributes].reverse() };
    expect(Object.keys(settingsDiff(current, packageSettings))).toEqual(['searchableAttributes']);
  });
});
