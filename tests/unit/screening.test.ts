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
import { DEFAULT_MIN_SCORE, minScoreFromEnv, nameSimilarity, normalizeName, scoreEntry } from '../../src/lib/screening/match.ts';
import { damerauLevenshtein, jaroWinkler } from '../../src/lib/screening/normalize.ts';
import { toScreeningDocument } from '../../search/indexes/screening.ts';

const fixture = (name: string) => readFileSync(new URL(`../../db/seed/${name}`, import.meta.url), 'utf8');

describe('normalizeName', () => {
  it('drops company words in their usual forms', () => {
    expect(normalizeName('Orion Dynamics Trading Co., Ltd.')).toBe('orion dynamics trading');
    expect(normalizeName('The Orion Dynamics Trading Company Limited')).toBe('orion dynamics trading');
    expect(normalizeName('ORION DYNAMICS TRADING CORP')).toBe('orion dynamics trading');
    expect(normalizeName('Acme Widgets, L.L.C.')).toBe('acme widgets');
    expect(normalizeName('Acme Widgets S.A.')).toBe('acme widgets');
    expect(normalizeName('Acme Widgets GmbH')).toBe('acme widgets');
    expect(normalizeName('Acme Widgets Pte. Ltd.')).toBe('acme widgets');
    expect(normalizeName('Acme Widgets Holdings Inc.')).toBe('acme widgets');
    expect(normalizeName('OOO Acme Widgets')).toBe('acme widgets');
  });
  it('removes punctuation and folds accents', () => {
    expect(normalizeName('Société Lumière Optique Avancée SARL')).toBe('societe lumiere optique avancee');
    expect(normalizeName('Al-Qamar (Precision) Engineering')).toBe('al qamar precision engineering');
    expect(normalizeName("O'Neil & Sons")).toBe('oneil and sons');
    expect(normalizeName('Straße Ørsted Æther Łódź')).toBe('strasse orsted aether lodz');
    expect(normalizeName('  ZHELEZNOV,   Arkady  ')).toBe('zheleznov arkady');
  });
  it('keeps a name made only of company words', () => {
    expect(normalizeName('The Group Ltd')).toBe('the group ltd');
  });
});

describe('name similarity', () => {
  it('is 1.0 for the same name, whatever its company words and punctuation', () => {
    expect(nameSimilarity('Orion Dynamics Trading Co., Ltd.', 'ORION DYNAMICS TRADING COMPANY LIMITED')).toBe(1);
    expect(nameSimilarity('Société Lumière Optique Avancée SARL', 'Societe Lumiere Optique Avancee')).toBe(1);
  });
  it('scores a one-letter typo at 0.85 or more', () => {
    expect(nameSimilarity('Orion Dynamics Trading', 'Orion Dynamlcs Trading')).toBeGreaterThanOrEqual(0.85);
    expect(nameSimilarity('Nairobi Digitel Health Agency Ltd', 'Nairobi Digital Health Agency')).toBeGreaterThanOrEqual(0.85);
    expect(nameSimilarity('Zephyrine Data Systems Inc.', 'Zephyrene Data Systems')).toBeGreaterThanOrEqual(0.85);
    expect(nameSimilarity('Tesseract', 'Tesserakt')).toBeGreaterThanOrEqual(0.85);
  });
  it('scores reversed or shuffled word order at 0.9 or more', () => {
    expect(nameSimilarity('ZHELEZNOV, Arkady Mironovich', 'Arkady Mironovich Zheleznov')).toBeGreaterThanOrEqual(0.9);
    expect(nameSimilarity('Blue Meridian Shipping Lines Limited', 'Meridian Blue Shipping Lines')).toBeGreaterThanOrEqual(0.9);
  });
  it('handles words split or joined', () => {
    expect(nameSimilarity('Veridian Skyworks Aviation', 'Veridian Sky Works Aviation')).toBeGreaterThanOrEqual(0.9);
  });
  it('shows a name wholly contained in a longer one above the default minimum', () => {
    expect(nameSimilarity('Orion Dynamics Trading Co., Ltd.', 'Orion Dynamics')).toBeGreaterThanOrEqual(DEFAULT_MIN_SCORE);
  });
  it('scores unrelated names below 0.5', () => {
    expect(nameSimilarity('Orion Dynamics Trading Co., Ltd.', 'Ministry of Digital Economy')).toBeLessThan(0.5);
    expect(nameSimilarity('Nairobi Digitel Health Agency Ltd', 'Prairie Compute Systems Inc.')).toBeLessThan(0.5);
    expect(nameSimilarity('Volkov Aerospace Systems JSC', 'Kenya Power and Lighting Company')).toBeLessThan(0.5);
    expect(nameSimilarity('Acme', 'Zeta')).toBeLessThan(0.5);
  });
  it('has the textbook Jaro–Winkler and Damerau–Levenshtein values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(damerauLevenshtein('ca', 'ac')).toBe(1);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
  });
});

describe('scoreEntry', () => {
  const entry = {
    id: 'x',
    importId: 'i',
    source: 'Entity List (EL) - Bureau of Industry and Security',
    name: 'Orion Dynamics Trading Co., Ltd.',
    altNames: ['ODT Shenzhen', 'Orion Dynamic Trading Company'],
    type: 'Entity',
    programs: ['EAR'],
    addresses: [{ city: 'Shenzhen', country: 'CN' }],
    startDate: '2024-05-14',
    endDate: null,
    remarks: null,
    sourceListUrl: null,
  };
  it('scores every alias against every queried name and names the best', () => {
    const candidate = scoreEntry(entry, ['ODT Shenzen', 'Harbour Lights'], 0.85);
    expect(candidate).toBeDefined();
    expect(candidate!.scores).toHaveLength(6);
    expect(candidate!.matchedAlias).toBe('ODT Shenzhen');
    expect(candidate!.matchedQuery).toBe('ODT Shenzen');
    expect(candidate!.score).toBe(candidate!.scores[0]!.score);
  });
  it('returns nothing below the minimum', () => {
    expect(scoreEntry(entry, ['Harbour Lights'], 0.85)).toBeUndefined();
  });
});

describe('minScoreFromEnv', () => {
  it('defaults to 0.85 and validates', () => {
    expect(minScoreFromEnv({})).toBe(0.85);
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
  it('makes index documents with normalised names and countries', () => {
    const entries = parseCslJson(fixture('csl-demo.json'));
    const orion = entries.find((e) => e.id === 'demo-el-0001')!;
    const doc = toScreeningDocument(orion);
    expect(doc.normalizedNames).toContain('orion dynamics trading');
    expect(doc.countries).toEqual(['CN', 'HK']);
    expect(toScreeningDocument({ ...orion, id: 'has spaces/and:colons' }).id).toMatch(/^h[0-9a-f]{40}$/);
  });
});
