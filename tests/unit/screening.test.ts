import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseCsl,
  parseCslCsv,
  parseCslJson,
  parseCsvAddress,
  parseCsvRecords,
  summarizeSources,
} from '../../src/lib/screening/csl.ts';
import { DEFAULT_MIN_SCORE, minScoreFromEnv, normalizeName, scoreEntry, screenWithIndex } from '../../src/lib/screening/match.ts';
import { analyzeName, damerauLevenshtein, foldWord, soundKey } from '../../src/lib/screening/normalize.ts';
import { ScreeningIndex, type IndexableEntry } from '../../src/lib/screening/list-index.ts';
import { syntheticEntries } from '../../src/lib/screening/synthetic.ts';

const fixture = (name: string) => readFileSync(new URL(`../../db/seed/${name}`, import.meta.url), 'utf8');

const entry = (
  id: string,
  name: string,
  altNames: string[] = [],
  country: string | null = null,
  ids: IndexableEntry['ids'] = [],
): IndexableEntry => ({
  id,
  name,
  altNames,
  type: 'Entity',
  source: 'Specially Designated Nationals (SDN) - Treasury Department',
  programs: [],
  addresses: country ? [{ country }] : [],
  ids,
  startDate: null,
  endDate: null,
  remarks: null,
  sourceListUrl: null,
});

// A small list with enough ordinary entries that common words are common.
const LIST = [
  entry('mako', 'PRIVATE JOINT-STOCK COMPANY MAKO HOLDING', [], 'RU'),
  entry('kaa', 'KHATAM AL-ANBIYA CONSTRUCTION HEADQUARTERS', ['GHARARGAHE SAZANDEGI GHAEM'], 'IR'),
  entry('smic', 'Semiconductor Manufacturing International Corporation', [], 'CN'),
  entry('ftb', "FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA", [], 'KP'),
  entry('haejin', 'HAEJIN SHIP MANAGEMENT CO LTD', [], 'KP'),
  entry('buaa', 'Beijing University of Aeronautics and Astronautics', ['Beihang University'], 'CN'),
  entry('megvii', 'Megvii Technology Limited', [], 'CN'),
  entry('mint', 'MINISTRY OF INTERIOR', [], 'CU'),
  entry('itc', 'Alborz International Trading Company', [], 'IR'),
  entry('ros', 'ROSOBORONEXPORT', ['Рособоронэкспорт'], 'RU'),
  entry('kim', 'KIM, Jong Un', [], 'KP'),
  entry('soleimani', 'SOLEIMANI, Qasem', [], 'IR'),
  entry('zhongxing', 'Zhongxing Telecommunication Equipment', [], 'CN'),
  entry('reg', 'Orion Dynamics Trading', [], 'CN', [{ type: 'Registration Number', number: '91440300-MA5F', country: 'CN' }]),
  ...syntheticEntries(400, 3).entries,
];
const index = new ScreeningIndex(LIST);
const top = (name: string, country?: string, ids?: string[]) => screenWithIndex(index, { names: [name], country, ids }, 0.5)[0];
const scoreOf = (name: string, id: string, country?: string) =>
  screenWithIndex(index, { names: [name], country }, 0.01).find((c) => c.entryId === id)?.score ?? 0;

describe('names as screening reads them', () => {
  it('sets legal forms aside in the languages of the lists, but never the whole name', () => {
    expect(normalizeName('Orion Dynamics Trading Co., Ltd.')).toBe(normalizeName('ORION DYNAMICS TRADING COMPANY LIMITED'));
    for (const form of [
      'LLC',
      'Limited Liability Company',
      'OOO',
      'ZAO',
      'PAO',
      'AO',
      'Obshchestvo s Ogranichennoi Otvetstvennostyu',
      'Aktsionernoe Obshchestvo',
      'GmbH',
      'S.A. de C.V.',
      'LTDA',
      'Anonim Şirketi',
      'SARL',
      'Youxian Gongsi',
      'JSC',
      'PJSC',
      'Sherkat',
    ]) {
      expect(normalizeName(`Acme Widgets ${form}`), form).toBe(normalizeName('Acme Widgets'));
    }
    expect(normalizeName('Sherkat Sahami Khass Parto Sanat Kaveh')).toBe(normalizeName('Parto Sanat Kaveh'));
    expect(analyzeName('Mako Hoolding LLC').setAside).toEqual(['hoolding', 'llc']);
    expect(normalizeName('The Group Ltd')).not.toBe('');
  });
  it('expands abbreviations and folds transliterations', () => {
    expect(normalizeName('Haejin Ship Mgmt')).toBe(normalizeName('Haejin Ship Management'));
    expect(normalizeName('Intl Tech Ind')).toBe(normalizeName('International Technology Industries'));
    expect(foldWord('qaem')).toBe(foldWord('ghaem'));
    expect(foldWord('khan')).toBe(foldWord('han'));
    expect(foldWord('djamal')).toBe(foldWord('jamal'));
    expect(foldWord('yuri')).toBe(foldWord('juri'));
    expect(normalizeName('Рособоронэкспорт')).toBe(normalizeName('Rosoboroneksport'));
    expect(soundKey('mohammad')).toBe(soundKey('muhamed'));
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
    expect(damerauLevenshtein('ca', 'ac')).toBe(1);
  });
});

describe('the scorer', () => {
  it('finds legal-form variants, with a typo in the company word', () => {
    expect(top('Mako Holding Limited Liability Company')!.entryId).toBe('mako');
    expect(top('Mako Hoolding LLC')!.score).toBeGreaterThanOrEqual(DEFAULT_MIN_SCORE);
  });
  it('reads abbreviations and acronyms', () => {
    expect(top('Haejin Ship Mgmt Company Limited')).toMatchObject({ entryId: 'haejin', score: 1 });
    expect(top('SMIC')!.entryId).toBe('smic');
    expect(top('SMIC')!.explanation.matches[0]!.how).toBe('acronym');
    expect(scoreOf('DPRK Foreign Trade Bank', 'ftb')).toBeGreaterThanOrEqual(0.9);
  });
  it('folds transliterations: Persian, Cyrillic, Korean word order, Chinese', () => {
    expect(scoreOf('Qarargah-e Sazandegi Qaem', 'kaa')).toBeGreaterThanOrEqual(0.9);
    expect(scoreOf('Рособоронэкспорт', 'ros')).toBe(1);
    expect(scoreOf('Rosoboroneksport', 'ros')).toBeGreaterThanOrEqual(0.9);
    expect(scoreOf('Kim Jong-un', 'kim')).toBeGreaterThanOrEqual(0.9);
    expect(scoreOf('Ghassem Soleimani', 'soleimani')).toBeGreaterThanOrEqual(DEFAULT_MIN_SCORE);
    expect(scoreOf('Chunghsing Telecommunication Equipment', 'zhongxing')).toBeGreaterThanOrEqual(DEFAULT_MIN_SCORE);
  });
  it('refuses Jaro–Winkler look-alikes', () => {
    expect(scoreOf('Megaview', 'megvii')).toBeLessThan(0.6);
    expect(scoreOf('Beijing Institute of Technology', 'buaa')).toBeLessThan(DEFAULT_MIN_SCORE);
    expect(scoreOf('Beihang University', 'buaa')).toBe(1);
  });
  it('weighs rare words above common ones', () => {
    expect(scoreOf('International Trading Company', 'itc')).toBeLessThan(DEFAULT_MIN_SCORE);
    expect(scoreOf('Alborz Trading', 'itc')).toBeGreaterThan(scoreOf('International Trading', 'itc'));
    expect(scoreOf('Megvii Technology Shanghai', 'megvii')).toBeGreaterThanOrEqual(DEFAULT_MIN_SCORE);
  });
  it('takes the country as evidence, and still shows an exact name', () => {
    const cuba = scoreOf('Ministry of Interior', 'mint', 'CU');
    const saudi = scoreOf('Ministry of Interior', 'mint', 'SA');
    expect(cuba).toBe(1);
    expect(saudi).toBeLessThan(cuba);
    const shown = screenWithIndex(index, { names: ['Ministry of Interior'], country: 'SA' }, 0.99);
    expect(shown.map((c) => c.entryId)).toContain('mint');
    expect(shown[0]!.explanation.country).toMatchObject({ party: 'SA', effect: 'mismatch' });
    expect(scoreOf('Ministry of Interior of the Kingdom of Saudi Arabia', 'mint', 'SA')).toBeLessThan(DEFAULT_MIN_SCORE);
  });
  it('raises the score of an entry with the same identifier, and always shows it', () => {
    const without = scoreOf('Orion Dynamic Trade', 'reg');
    const withId = screenWithIndex(index, { names: ['Orion Dynamic Trade'], ids: ['91440300 MA5F'] }, 0.99);
    expect(withId.map((c) => c.entryId)).toContain('reg');
    expect(withId.find((c) => c.entryId === 'reg')!.score).toBeGreaterThan(without);
    expect(withId.find((c) => c.entryId === 'reg')!.explanation.identifier).toMatchObject({ number: '91440300-MA5F' });
  });
  it('explains every candidate: the words, how they matched, what weighed', () => {
    const c = top('Haejin Ship Mgmt Company Limited')!;
    expect(c.explanation.matches.map((m) => m.how)).toContain('abbreviation');
    expect(c.explanation.text).toMatch(/mgmt = management \(abbreviation/);
    expect(c.explanation.setAside).toEqual(expect.arrayContaining(['company', 'limited']));
  });
});

describe('retrieval at list size', () => {
  it('never drops the true candidate among 15,000 generated entries', () => {
    const { entries, queries } = syntheticEntries(15_000, 11, 50);
    const big = new ScreeningIndex(entries);
    expect(big.aliasCount).toBeGreaterThan(65_000);
    const missed = queries.filter(
      (q) => !big.candidateEntries({ names: [q.name] }).some((e) => big.entries[e]!.id === q.expected),
    );
    expect(missed).toEqual([]);
  }, 120_000);
});

describe('scoreEntry', () => {
  const orion = entry('x', 'Orion Dynamics Trading Co., Ltd.', ['ODT Shenzhen', 'Orion Dynamic Trading Company'], 'CN');
  it('scores every alias against every queried name and names the best', () => {
    const candidate = scoreEntry(orion, ['ODT Shenzen', 'Harbour Lights'], 0.8);
    expect(candidate).toBeDefined();
    expect(candidate!.scores).toHaveLength(6);
    expect(candidate!.matchedAlias).toBe('ODT Shenzhen');
    expect(candidate!.score).toBe(candidate!.scores[0]!.score);
  });
  it('returns nothing below the minimum', () => {
    expect(scoreEntry(orion, ['Harbour Lights'], 0.8)).toBeUndefined();
  });
});

describe('minScoreFromEnv', () => {
  it('defaults to 0.8 and validates', () => {
    expect(minScoreFromEnv({})).toBe(0.8);
    expect(minScoreFromEnv({ SCREENING_MIN_SCORE: '0.9' })).toBe(0.9);
    expect(() => minScoreFromEnv({ SCREENING_MIN_SCORE: '90' })).toThrow(/SCREENING_MIN_SCORE/);
  });
});

describe('Consolidated Screening List files', () => {
  it('parse to the same entries from the JSON and the CSV fixture', () => {
    const json = parseCsl(fixture('csl-demo.json'), { filename: 'csl-demo.json' });
    const csv = parseCsl(fixture('csl-demo.csv'), { filename: 'csl-demo.csv' });
    expect(json.format).toBe('json');
    expect(csv.format).toBe('csv');
    expect(json.entries.length).toBeGreaterThanOrEqual(25);
    expect(csv.entries).toEqual(json.entries);
  });
  it('detects the format by content when the extension says nothing', () => {
    expect(parseCsl(fixture('csl-demo.json'), { filename: 'download' }).format).toBe('json');
    expect(parseCsl(fixture('csl-demo.csv'), { filename: 'download' }).format).toBe('csv');
  });
  it('normalises an entry', () => {
    const entries = parseCslJson(fixture('csl-demo.json'));
    const orion = entries.find((e) => e.id === 'demo-el-0001')!;
    expect(orion).toMatchObject({
      source: 'Entity List (EL) - Bureau of Industry and Security',
      name: 'Orion Dynamics Trading Co., Ltd.',
      type: 'Entity',
      programs: ['EAR'],
      startDate: '2024-05-14',
      endDate: null,
    });
    expect(orion.altNames).toContain('Orion Dynamic Trading Company');
    expect(orion.addresses[0]).toEqual({
      address: 'Unit 1501, Tower B, 88 Keyuan Road',
      city: 'Shenzhen',
      state: 'Guangdong',
      postal_code: '518057',
      country: 'CN',
    });
    expect(orion.addresses[1]).toMatchObject({ city: 'Wan Chai', state: null, postal_code: null, country: 'HK' });
  });
  it('accepts a bare array and derives missing ids', () => {
    const entries = parseCslJson(
      JSON.stringify([
        { source: 'S', name: 'A' },
        { source: 'S', name: 'A' },
      ]),
    );
    expect(entries).toHaveLength(2);
    expect(entries[0]!.id).toMatch(/^csl-/);
    expect(entries[1]!.id).toBe(`${entries[0]!.id}-2`);
  });
  it('names the entry of a bad JSON file', () => {
    const bad = JSON.stringify({
      results: [
        { id: 'a', source: 'S', name: 'Fine' },
        { id: 'b', source: 'S', name: 'Broken', programs: 'EAR' },
      ],
    });
    expect(() => parseCslJson(bad)).toThrow(/Entry 2 \(id "b", "Broken"\).*programs/);
    expect(() => parseCslJson('{"results": [{"id": "c", "name": "No source"}]}')).toThrow(/Entry 1.*source is missing/);
    expect(() => parseCslJson('{ not json')).toThrow(/not valid JSON/);
    expect(() => parseCslJson('{"hits": []}')).toThrow(/results/);
  });
  it('names the line of a bad CSV file', () => {
    const header = 'source,name,alt_names';
    expect(() => parseCslCsv(`${header}\nS,Fine,\nS,,x\n`)).toThrow(/Line 3 .*name is empty/);
    expect(() => parseCslCsv(`${header}\nS,"Multi\nline",\nS,Short\n`)).toThrow(/Line 4 .*2 cells/);
    expect(() => parseCslCsv('id,title\n1,x\n')).toThrow(/Line 1 .*"source" and "name"/);
    expect(() => parseCslCsv(`${header}\nS,"unclosed\n`)).toThrow(/Line 2 .*never closed/);
  });
  it('refuses a file with no entries', () => {
    expect(() => parseCsl('{"results": []}', { filename: 'x.json' })).toThrow(/no entries/);
  });
  it('reads quoted CSV cells and addresses from the right', () => {
    expect(parseCsvRecords('a,b\r\n"x, ""y""",z\r\n').map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['x, "y"', 'z'],
    ]);
    expect(parseCsvAddress('Unit 1, 2 Main St, Springfield, IL, 62701, us')).toEqual({
      address: 'Unit 1, 2 Main St',
      city: 'Springfield',
      state: 'IL',
      postal_code: '62701',
      country: 'US',
    });
    expect(parseCsvAddress('Somewhere, AE')).toEqual({
      address: 'Somewhere',
      city: null,
      state: null,
      postal_code: null,
      country: 'AE',
    });
  });
  it('summarises sources with their count and newest start date', () => {
    const summary = summarizeSources(parseCslJson(fixture('csl-demo.json')));
    expect(Object.keys(summary)).toHaveLength(6);
    expect(summary['Entity List (EL) - Bureau of Industry and Security']).toEqual({ count: 6, newest: '2026-03-02' });
  });
});
