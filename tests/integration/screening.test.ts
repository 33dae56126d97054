import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectSearch, type SearchClients } from '../../search/client.ts';
import { countScreeningEntries, listScreeningImports, screeningSourceFreshness } from '../../db/queries/screening.ts';
import { listAudit } from '../../db/queries/audit.ts';
import { ImportNeedsConfirmation, importScreeningList } from '../../src/lib/screening/import.ts';
import { screenParty, type ScreeningResult } from '../../src/lib/screening/match.ts';
import { testDb } from '../fixtures/db.ts';

const fixture = (name: string) => readFileSync(new URL(`../../db/seed/${name}`, import.meta.url), 'utf8');
const ids = (result: ScreeningResult) => result.candidates.map((c) => c.entryId);

describe('restricted-party screening on a real Meilisearch', () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let clients: SearchClients;
  const screen = (...names: string[]) => screenParty({ db: handle.db, admin: clients.admin }, { names }, { minScore: 0.8 });

  beforeAll(async () => {
    handle = await testDb();
    clients = await connectSearch(inject('meiliUrl'), inject('meiliMasterKey'));
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('says no list was used before the first import', async () => {
    const result = await screen('Orion Dynamics Trading');
    expect(result.list).toBeNull();
    expect(result.candidates).toEqual([]);
  });

  it('imports the JSON fixture: one import row, the entries', async () => {
    const result = await importScreeningList(handle.db, clients.admin, fixture('csl-demo.json'), {
      filename: 'csl-demo.json',
      importedBy: 'test',
    });
    expect(result.format).toBe('json');
    expect(result.entryCount).toBe(26);
    expect(Object.keys(result.sources)).toHaveLength(6);
    expect(result.sources['Denied Persons List (DPL) - Bureau of Industry and Security']).toEqual({
      count: 4,
      newest: '2026-01-12',
    });
    expect(await countScreeningEntries(handle.db)).toBe(26);
    const [row] = await listScreeningImports(handle.db);
    expect(row).toMatchObject({
      id: result.importId,
      filename: 'csl-demo.json',
      format: 'json',
      entryCount: 26,
      importedBy: 'test',
    });
    expect(row!.sources['Entity List (EL) - Bureau of Industry and Security']).toBe('2026-03-02');
  });

  it('finds an exact name, with the evidence of the list used', async () => {
    const result = await screen('Orion Dynamics Trading Co., Ltd.');
    expect(result.via).toBe('index');
    const [top] = result.candidates;
    expect(top).toMatchObject({
      entryId: 'demo-el-0001',
      source: 'Entity List (EL) - Bureau of Industry and Security',
      programs: ['EAR'],
      matchedAlias: 'Orion Dynamics Trading Co., Ltd.',
      score: 1,
    });
    expect(top!.addresses[0]).toMatchObject({ city: 'Shenzhen', country: 'CN' });
    // Every alias of the entry against every queried name, and why.
    expect(top!.scores).toHaveLength(4);
    expect(top!.explanation.exact).toBe(true);
    expect(result.list).toMatchObject({ filename: 'csl-demo.json', entryCount: 26 });
    expect(result.list!.sources).toContainEqual({
      source: 'Entity List (EL) - Bureau of Industry and Security',
      date: '2026-03-02',
      count: 6,
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('finds a name with a typo', async () => {
    const result = await screen('Orion Dynamcis Trading');
    expect(ids(result)[0]).toBe('demo-el-0001');
    expect(result.candidates[0]!.score).toBeGreaterThanOrEqual(0.85);
    expect(result.candidates[0]!.score).toBeLessThan(1);

    const kenya = await screen('Nairobi Digital Health Agency');
    expect(ids(kenya)).toEqual(['demo-uvl-0002']);
    expect(kenya.candidates[0]!.matchedAlias).toBe('Nairobi Digitel Health Agency Ltd');
  });

  it('finds an alternate name and says which alias matched', async () => {
    const result = await screen('Baikal Optronics');
    expect(ids(result)).toContain('demo-meu-0014');
    const candidate = result.candidates.find((c) => c.entryId === 'demo-meu-0014')!;
    expect(candidate.name).toBe('Baykal Optronics OOO');
    expect(candidate.matchedAlias).toBe('Baikal Optronics');
    expect(candidate.score).toBe(1);
  });

  it('finds multi-word names in reversed order', async () => {
    const person = await screen('Arkady Mironovich Zheleznov');
    expect(ids(person)[0]).toBe('demo-sdn-0004');
    expect(person.candidates[0]!.score).toBeGreaterThanOrEqual(0.9);
    const company = await screen('Lines Shipping Meridian Blue');
    expect(ids(company)[0]).toBe('demo-sdn-0023');
  });

  it('ignores company words: "Co., Ltd." variants', async () => {
    for (const name of [
      'Ardent Lotus Semiconductor Company Limited',
      'ARDENT LOTUS SEMICONDUCTOR CO LTD',
      'Ardent Lotus Semiconductor Corp.',
      'The Ardent Lotus Semiconductor',
    ]) {
      const result = await screen(name);
      expect(ids(result)[0], name).toBe('demo-el-0018');
      expect(result.candidates[0]!.score, name).toBe(1);
    }
  });

  it('screens every name of a party, and finds nothing for a clean one', async () => {
    const clean = await screen('Prairie Compute Systems Inc.', 'Ministry of Digital Economy');
    expect(clean.candidates).toEqual([]);
    expect(clean.list).not.toBeNull();
    const mixed = await screen('Kenya Power and Lighting Company', 'Jade Summit Cloud');
    expect(ids(mixed)).toEqual(['demo-el-0025']);
    expect(mixed.candidates[0]!.matchedQuery).toBe('Jade Summit Cloud');
  });

  it('refuses a bad file and changes nothing', async () => {
    const bad = JSON.stringify({ results: [{ id: 'x', source: 'S', name: '' }] });
    await expect(importScreeningList(handle.db, clients.admin, bad, { filename: 'bad.json' })).rejects.toThrow(/Entry 1.*name/);
    expect(await countScreeningEntries(handle.db)).toBe(26);
    expect(await listScreeningImports(handle.db)).toHaveLength(1);
  });

  it(
    're-import replaces the entries, and asks for confirmation when most of the list would vanish',
    { timeout: 180_000 },
    async () => {
      const csv = [
        'source,name,alt_names,addresses,start_date,_id',
        '"Entity List (EL) - Bureau of Industry and Security",Harrowgate Test Systems Ltd,Harrowgate Systems,"1 Test Road, Testville, , 12345, NZ",2026-04-01,new-0001',
      ].join('\n');
      // 26 entries and five source lists would vanish: refused, naming them, and nothing changes.
      const refused: unknown = await importScreeningList(handle.db, clients.admin, csv, {
        filename: 'update.csv',
        importedBy: 'test',
      }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ImportNeedsConfirmation);
      if (!(refused instanceof ImportNeedsConfirmation)) throw new Error('not refused');
      expect(refused.message).toMatch(/remove 26 of the 26 entries/);
      expect(refused.message).toMatch(/source list gone: Denied Persons List/);
      expect(refused.message).toMatch(/entry gone: demo-el-0001 Orion Dynamics Trading/);
      expect(await countScreeningEntries(handle.db)).toBe(26);
      expect(await listScreeningImports(handle.db)).toHaveLength(1);

      const result = await importScreeningList(handle.db, clients.admin, csv, {
        filename: 'update.csv',
        importedBy: 'test',
        confirm: true,
      });
      expect(result).toMatchObject({ format: 'csv', entryCount: 1, removal: { removedCount: 26, needsConfirmation: true } });
      expect(await countScreeningEntries(handle.db)).toBe(1);
      const imports = await listScreeningImports(handle.db);
      expect(imports).toHaveLength(2);
      expect(imports[0]).toMatchObject({ removedCount: 26, confirmed: true });
      expect(imports[0]!.removedSources).toHaveLength(5);
      const audit = await listAudit(handle.db, { action: 'screening-imported' });
      expect(audit[0]!.details).toMatchObject({ filename: 'update.csv', removedCount: 26, confirmed: true });

      // Each source's freshness: the dropped ones keep the date of the last import that had them.
      const freshness = await screeningSourceFreshness(handle.db);
      expect(freshness.find((f) => f.source.startsWith('Denied Persons'))).toMatchObject({
        count: 0,
        lastImportFile: 'csl-demo.json',
      });
      expect(freshness.find((f) => f.source.startsWith('Entity List'))).toMatchObject({ count: 1, lastImportFile: 'update.csv' });

      expect((await screen('Orion Dynamics Trading Co., Ltd.')).candidates).toEqual([]);
      const found = await screen('Harowgate Test Systems');
      expect(ids(found)).toEqual(['new-0001']);
      expect(found.list).toMatchObject({
        importId: result.importId,
        filename: 'update.csv',
        sources: [{ source: 'Entity List (EL) - Bureau of Industry and Security', date: '2026-04-01', count: 1 }],
      });

      // And back to the CSV fixture, which holds the same entries as the JSON one.
      // (Replacing the one entry is all of the list again: confirmed.)
      const again = await importScreeningList(handle.db, clients.admin, fixture('csl-demo.csv'), {
        filename: 'csl-demo.csv',
        confirm: true,
      });
      expect(again).toMatchObject({ format: 'csv', entryCount: 26, removal: { removedCount: 1, needsConfirmation: true } });
      expect(ids(await screen('Orion Dynamics Trading Co., Ltd.'))[0]).toBe('demo-el-0001');
    },
  );
});
