import { describe, expect, it } from 'vitest';
import { useTranslations } from '../../src/i18n/index.ts';

describe('translations', () => {
  const t = useTranslations('en');
  it('interpolates parameters', () => {
    expect(t('search.titleWithQuery', { q: 'grid' })).toBe('Packages matching “grid”');
  });
  it('chooses plural forms and formats numbers', () => {
    expect(t.plural('search.count', 1)).toBe('1 package found');
    expect(t.plural('search.count', 0)).toBe('0 packages found');
    expect(t.plural('search.count', 12345)).toBe('12,345 packages found');
  });
  it('formats dates in UTC', () => {
    expect(t.date('2026-03-01T00:00:00Z')).toBe('March 1, 2026');
  });
});
