import { describe, expect, it } from 'vitest';
import { differingFields, isCurrent, postedRevision } from '../../src/lib/server/revisions.ts';
import { canonicalJson } from '../../src/lib/proposals/editor.ts';

describe('revisions', () => {
  it('reads the revision a form was read at: absent is unchecked, anything but a number is never current', () => {
    expect(postedRevision(undefined)).toBeUndefined();
    expect(postedRevision(null)).toBeUndefined();
    expect(postedRevision('0')).toBe(0);
    expect(postedRevision([' 12 '])).toBe(12);
    for (const bad of ['', '-1', '1.5', 'x', '9999999999', {}]) expect(postedRevision(bad)).toBe(-1);
    expect(isCurrent(undefined, 4)).toBe(true);
    expect(isCurrent(4, 4)).toBe(true);
    expect(isCurrent(3, 4)).toBe(false);
    expect(isCurrent(-1, 0)).toBe(false);
  });

  it('lists the fields saved differently, ignoring blanks, spaces, order of a list and the revision field', () => {
    const fields = differingFields(
      { title: ['Saved title'], sectors: ['energy', 'healthcare'], summary: [' same '], note: [''] },
      { title: ['My title'], sectors: ['healthcare', 'energy'], summary: ['same'], revision: ['3'], extra: ['new'] },
      (name) => name.toUpperCase(),
    );
    expect(fields).toEqual([
      { name: 'title', label: 'TITLE', saved: 'Saved title', yours: 'My title' },
      { name: 'extra', label: 'EXTRA', saved: '', yours: 'new' },
    ]);
  });

  it('compares drafts whatever the order of their keys (jsonb keeps its own)', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 2 } })).toBe(
      canonicalJson({ a: { c: 2, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});
