import { describe, expect, it } from 'vitest';
import { matchedTerms, needTerms, rank, scorePackage, WEIGHTS } from '../../src/lib/matching/score.ts';
import { isFlagged, queueByState } from '../../src/lib/introductions/queue.ts';

const kenyanHospital = { country: 'KE', regions: ['african-union'], sectors: ['healthcare'], terms: [] as string[] };
const pkg = (over: Partial<Parameters<typeof scorePackage>[0]> = {}) => ({
  targetCountries: [] as string[],
  targetRegions: [] as string[],
  sectors: [] as string[],
  text: '',
  ...over,
});

describe('matching: the scorer', () => {
  it('gives a reason for the country, the bloc, each sector and the needs', () => {
    const result = scorePackage(
      pkg({ targetCountries: ['KE', 'NG'], targetRegions: ['african-union'], sectors: ['healthcare', 'energy'] }),
      kenyanHospital,
    );
    expect(result.reasons).toEqual([
      { kind: 'country', code: 'KE' },
      { kind: 'region', slug: 'african-union' },
      { kind: 'sector', slug: 'healthcare' },
    ]);
    expect(result.score).toBe(WEIGHTS.country + WEIGHTS.region + WEIGHTS.sector);
  });

  it('has no reason for a package that neither reaches the buyer nor serves its sectors or needs', () => {
    expect(scorePackage(pkg({ targetCountries: ['FR'], targetRegions: ['eu'], sectors: ['energy'] }), kenyanHospital)).toEqual({
      score: 0,
      reasons: [],
    });
    // A bloc the buyer's country is not in is no reason either.
    expect(scorePackage(pkg({ targetRegions: ['asean'] }), kenyanHospital).reasons).toEqual([]);
  });

  it('ranks the country above the bloc above a sector', () => {
    const country = {
      ...scorePackage(pkg({ targetCountries: ['KE'] }), kenyanHospital),
      slug: 'c',
      designatedAt: new Date('2026-01-01'),
    };
    const bloc = {
      ...scorePackage(pkg({ targetRegions: ['african-union'] }), kenyanHospital),
      slug: 'b',
      designatedAt: new Date('2026-02-01'),
    };
    const sector = {
      ...scorePackage(pkg({ sectors: ['healthcare'] }), kenyanHospital),
      slug: 's',
      designatedAt: new Date('2026-03-01'),
    };
    const none = { ...scorePackage(pkg(), kenyanHospital), slug: 'n', designatedAt: new Date('2026-04-01') };
    expect(rank([sector, none, bloc, country]).map((x) => x.slug)).toEqual(['c', 'b', 's']);
  });

  it('ranks a package that meets the stated needs above one that only reaches the buyer', () => {
    const buyer = { ...kenyanHospital, terms: needTerms('flood forecasting for river basins') };
    const local = {
      ...scorePackage(pkg({ targetCountries: ['KE'], targetRegions: ['african-union'], sectors: ['healthcare'] }), buyer),
      slug: 'local',
      designatedAt: new Date('2026-05-01'),
    };
    const flood = {
      ...scorePackage(pkg({ text: 'Flood forecasting and early warning for river basins.', searchRank: 0 }), buyer),
      slug: 'flood',
      designatedAt: new Date('2026-01-01'),
    };
    // Even one need matched, found by search, outranks everything location gives.
    const oneWord = {
      ...scorePackage(pkg({ text: 'Forecasting crop yields.', searchRank: 3 }), buyer),
      slug: 'one',
      designatedAt: new Date('2026-01-01'),
    };
    expect(rank([local, oneWord, flood]).map((x) => x.slug)).toEqual(['flood', 'one', 'local']);
    expect(flood.reasons).toEqual([{ kind: 'needs', terms: ['flood', 'forecasting', 'river', 'basins'] }]);
  });

  it('matches needs word by word, ignoring common words, case and plurals', () => {
    expect(needTerms('We need TELEMEDICINE for rural clinics, and triage!')).toEqual([
      'telemedicine',
      'rural',
      'clinics',
      'triage',
    ]);
    expect(matchedTerms('A clinic triage assistant for nurses.', ['telemedicine', 'clinics', 'triage'])).toEqual([
      'clinics',
      'triage',
    ]);
    const result = scorePackage(pkg({ text: 'Clinic triage assistant' }), {
      ...kenyanHospital,
      terms: needTerms('clinic triage'),
    });
    expect(result.reasons).toEqual([{ kind: 'needs', terms: ['clinic', 'triage'] }]);
    expect(result.score).toBe(2 * WEIGHTS.needsTerm);
  });

  it('counts a search hit for the needs even without a word in common (typo tolerance)', () => {
    const result = scorePackage(pkg({ text: 'Telemedicine', searchRank: 0 }), { ...kenyanHospital, terms: ['telemedecine'] });
    expect(result.reasons).toEqual([{ kind: 'needs', terms: [] }]);
    expect(result.score).toBeGreaterThan(0);
  });
});

describe('the officer queue', () => {
  const monday = new Date('2026-06-01T09:00:00Z');
  it('flags requested and taken introductions not moved for 3 business days', () => {
    expect(isFlagged('requested', monday, new Date('2026-06-03T18:00:00Z'))).toBe(false);
    expect(isFlagged('requested', monday, new Date('2026-06-04T08:00:00Z'))).toBe(true);
    expect(isFlagged('taken', new Date('2026-06-05T09:00:00Z'), new Date('2026-06-09T09:00:00Z'))).toBe(false); // Fri → Tue: 2
    expect(isFlagged('taken', new Date('2026-06-05T09:00:00Z'), new Date('2026-06-10T09:00:00Z'))).toBe(true);
    expect(isFlagged('brokered', monday, new Date('2026-07-01T00:00:00Z'))).toBe(false);
  });
  it('groups open introductions by state, flagged and oldest first', () => {
    const row = (id: string, state: string, waitingSince: string) => ({
      id,
      state,
      waitingSince: new Date(waitingSince),
      packageSlug: 'p',
      packageTitle: 'P',
      buyerName: 'B',
      buyerCountry: 'KE',
      consortiumName: null,
      createdAt: new Date(waitingSince),
      updatedAt: new Date(waitingSince),
      outcome: null,
      officerId: null,
      officerName: null,
    });
    const groups = queueByState(
      [
        row('new', 'requested', '2026-06-09T09:00:00Z'),
        row('old', 'requested', '2026-06-01T09:00:00Z'),
        row('done', 'closed', '2026-05-01T09:00:00Z'),
      ],
      new Date('2026-06-10T09:00:00Z'),
    );
    expect(groups.map((g) => g.state)).toEqual(['requested', 'taken', 'info-requested', 'brokered', 'accepted', 'meeting-held']);
    expect(groups[0]!.rows.map((r) => [r.id, r.flagged, r.age])).toEqual([
      ['old', true, 7],
      ['new', false, 1],
    ]);
  });
});
