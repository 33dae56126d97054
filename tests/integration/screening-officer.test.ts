import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, migrateToLatest } from '../../db/index.ts';
import type { Database } from '../../db/schema/index.ts';
import { listAudit } from '../../db/queries/audit.ts';
import { findVetting } from '../../db/queries/vetting.ts';
import { loadReference } from '../../src/lib/reference/index.ts';
import { importScreeningList } from '../../src/lib/screening/import.ts';
import { attachScreening, loadScreenPage } from '../../src/lib/screening/page.ts';
import { requestVetting } from '../../src/lib/vetting/actions.ts';
import { readEvidence } from '../../src/lib/vetting/evidence.ts';
import type { VettingServices } from '../../src/lib/vetting/services.ts';
import { testDb } from '../fixtures/db.ts';
import { addOfficer, addOrganization } from '../fixtures/people.ts';

const root = join(import.meta.dirname, '..', '..');
const demoList = readFileSync(join(root, 'db/seed/csl-demo.json'), 'utf8');

describe('the officer page "Screen a name"', () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let db: Kysely<Database>;
  let app: VettingServices;

  beforeAll(async () => {
    handle = await testDb();
    db = handle.db;
    app = {
      db,
      reference: await loadReference(),
      mailer: { send: async () => undefined },
      config: { siteUrl: 'http://localhost:4321' },
    };
    await importScreeningList(db, undefined, demoList, { filename: 'csl-demo.json', importedBy: 'test' });
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
  });

  it('screens any name and country against the current list, with the evidence and each source’s freshness', async () => {
    const officer = await addOfficer(db, 'Officer Kenya', 'country', 'KE');
    const page = await loadScreenPage(
      app,
      officer,
      new URLSearchParams({ names: 'Nairobi Digital Health Agency\nJade Summit Cloud', country: 'ke' }),
    );
    expect(page.errors).toEqual({});
    expect(page.result!.country).toBe('KE');
    const ids = page.result!.candidates.map((c) => c.entryId);
    expect(ids).toContain('demo-uvl-0002');
    const candidate = page.result!.candidates.find((c) => c.entryId === 'demo-uvl-0002')!;
    expect(candidate.source).toBe('Unverified List (UVL) - Bureau of Industry and Security');
    expect(candidate.explanation.text).toMatch(/digital = digitel \(spelling variant/);
    expect(candidate.explanation.country).toMatchObject({ party: 'KE', effect: 'match' });
    expect(page.freshness).toHaveLength(6);
    expect(page.freshness[0]).toMatchObject({ lastImportFile: 'csl-demo.json' });

    const bad = await loadScreenPage(app, officer, new URLSearchParams({ names: '  ', country: 'XX', minScore: '7' }));
    expect(Object.keys(bad.errors).sort()).toEqual(['country', 'minScore', 'names']);
    expect(bad.result).toBeUndefined();
  });

  it('attaches a screening to a vetting request of the officer’s territory, audited; refuses any other', async () => {
    const officer = await addOfficer(db, 'Officer Kenya Two', 'country', 'KE');
    const outsider = await addOfficer(db, 'Officer France', 'country', 'FR');
    const org = await addOrganization(db, {
      kind: 'buyer',
      legalName: 'Savanna Telehealth Cooperative',
      country: 'KE',
      organizationType: 'hospital',
      registrationNumber: 'REG-1',
      website: 'https://example.org',
      address: '1 Test Road',
      sectors: ['healthcare'],
    });
    const requested = await requestVetting(app, org.owner, org.organizationId, {
      endUse: 'Telemedicine',
      endUsers: 'Our hospitals',
    });
    if (!requested.ok) throw new Error('refused');
    const form = {
      names: 'Savanna Health Partners\nJade Summit Cloud',
      country: 'KE',
      ids: '',
      minScore: '',
      vettingId: requested.id,
      note: 'Former name',
    };
    const page = await loadScreenPage(app, officer, new URLSearchParams({ names: 'x' }));
    expect(page.vettings.map((v) => v.id)).toContain(requested.id);

    const refused = await attachScreening(app, { ...outsider, role: 'officer' }, form);
    expect(refused).toMatchObject({ ok: false, status: 400, errors: { vettingId: expect.any(String) } });
    const badNames = await attachScreening(app, { ...officer, role: 'officer' }, { ...form, names: '' });
    expect(badNames).toMatchObject({ ok: false, status: 400, errors: { names: expect.any(String) } });
    expect(readEvidence((await findVetting(db, requested.id))!.screening).attached).toEqual([]);

    const done = await attachScreening(app, { ...officer, role: 'officer', ip: '127.0.0.1' }, form);
    expect(done).toEqual({ ok: true, vettingId: requested.id });
    const evidence = readEvidence((await findVetting(db, requested.id))!.screening);
    expect(evidence.attached).toHaveLength(1);
    expect(evidence.attached[0]).toMatchObject({ officerId: officer.id, note: 'Former name' });
    expect(evidence.attached[0]!.result.candidates.map((c) => c.entryId)).toEqual(['demo-el-0025']);
    const [audit] = await listAudit(db, { action: 'screening-attached' });
    expect(audit).toMatchObject({ actorId: officer.id, subjectId: requested.id });
    expect(audit!.details).toMatchObject({ names: ['Savanna Health Partners', 'Jade Summit Cloud'], country: 'KE' });
  });
});

describe('npm run screening:check and the import guard of npm run screening:import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aix-screening-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(script: string, args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script, ...args], {
        cwd: root,
        env: {
          ...process.env,
          DATA_DIR: dir,
          DATABASE_URL: '',
          DEMO_DATA: 'false',
          MEILI_URL: inject('meiliUrl'),
          MEILI_MASTER_KEY: inject('meiliMasterKey'),
          SCREENING_MIN_SCORE: '',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input ?? '');
    });
  }
  const check = (args: string[], input?: string) => run('src/cli/screening-check.ts', args, input);

  it('says so when no list has been imported', { timeout: 300_000 }, async () => {
    const { db, close } = await createDb({ dataDir: dir, purpose: 'test' });
    await migrateToLatest(db);
    await close();
    const result = await check(['Orion Dynamics']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No screening list has been imported/);
  });

  it('screens one party, and parties from JSON lines', { timeout: 900_000 }, async () => {
    const { db, close } = await createDb({ dataDir: dir, purpose: 'test' });
    await importScreeningList(db, undefined, demoList, { filename: 'csl-demo.json', importedBy: 'test' });
    await close();

    const text = await check(['--country', 'CN', 'Orion Dynamcis Trading Co']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Orion Dynamics Trading Co., Ltd.\s+\[demo-el-0001\]/);

    const json = await check(['--json', '--min-score', '0.9', 'Baikal Optronics', 'Nobody Here']);
    expect(json.code).toBe(0);
    const one = JSON.parse(json.stdout);
    expect(one.minScore).toBe(0.9);
    expect(one.candidates[0]).toMatchObject({
      entryId: 'demo-meu-0014',
      name: 'Baykal Optronics OOO',
      matchedAlias: 'Baikal Optronics',
      score: 1,
      list: expect.stringMatching(/Military End User/),
    });
    expect(one.candidates[0].scores.length).toBeGreaterThan(1);
    expect(one.candidates[0].explanation.text).toBeTruthy();

    const lines = await check(
      [],
      '{"names":["Nairobi Digital Health Agency"],"country":"KE"}\n{"names":["Prairie Compute Systems"]}\n',
    );
    expect(lines.code).toBe(0);
    const results = lines.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(results).toHaveLength(2);
    expect(results[0].candidates.map((c: { entryId: string }) => c.entryId)).toEqual(['demo-uvl-0002']);
    expect(results[1].candidates).toEqual([]);

    const bad = await check([], '{"names":[]}\nnot json\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Line 1: not a party/);
    expect(bad.stderr).toMatch(/Line 2: not a party/);
    const badArg = await check(['--min-score', 'high', 'X']);
    expect(badArg.code).toBe(1);
    expect(badArg.stderr).toMatch(/--min-score/);
    const badCountry = await check(['--country', 'Narnia', 'X']);
    expect(badCountry.code).toBe(1);
    expect(badCountry.stderr).toMatch(/ISO 3166-1/);
  });

  it(
    'refuses an import that drops whole source lists unless --confirm, printing what would vanish',
    { timeout: 900_000 },
    async () => {
      const file = join(dir, 'small.json');
      const list = JSON.parse(demoList) as { results: { source: string }[] };
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, JSON.stringify({ results: list.results.filter((e) => e.source.startsWith('Entity List')) }));
      const refused = await run('src/cli/screening-import.ts', [file]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/would remove 20 of the 26 entries of the current list and 5 whole source list/);
      expect(refused.stderr).toMatch(/source list gone: Denied Persons List/);
      expect(refused.stderr).toMatch(/--confirm/);
      const confirmed = await run('src/cli/screening-import.ts', [file, '--confirm']);
      expect(confirmed.stderr).not.toMatch(/Error/);
      expect(confirmed.code).toBe(0);
      expect(confirmed.stdout).toMatch(/Imported 6 entries/);
      expect(confirmed.stdout).toMatch(/Removed 20 entries/);
    },
  );
});
