import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { upsertPackage } from '../../db/queries/packages.ts';
import { connectSearch } from '../../search/client.ts';
import { startEmbeddedMeilisearch, type EmbeddedMeilisearch } from '../../search/embedded.ts';
import { applySettings } from '../../search/apply-settings.ts';
import { PACKAGES_INDEX, packageSettings } from '../../search/indexes/packages.ts';
import { drainOutbox } from '../../search/sync.ts';
import { loadReference } from '../../src/lib/reference/index.ts';
import { buildPackage } from '../fixtures/packages.ts';
import { testDb } from '../fixtures/db.ts';

async function waitFor(check: () => Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error('condition not met in time');
}

describe('search outage and recovery', () => {
  let dir: string;
  let meili: EmbeddedMeilisearch;
  let handle: Awaited<ReturnType<typeof testDb>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aix-outage-'));
    // The site's secrets are in its environment; only the indexing-memory limit may pass.
    const saved = { ...process.env };
    Object.assign(process.env, { MEILI_MAX_INDEXING_MEMORY: '512 MiB', BETTER_AUTH_SECRET: 'not-for-meilisearch' });
    try {
      meili = await startEmbeddedMeilisearch({ dataDir: dir });
    } finally {
      for (const key of ['MEILI_MAX_INDEXING_MEMORY', 'BETTER_AUTH_SECRET'] as const) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
    handle = await testDb();
  });
  afterAll(async () => {
    await meili.stop();
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives Meilisearch PATH, its master key and the indexing-memory limit, and none of the site's other settings", () => {
    const pid = readFileSync(join(dir, 'meilisearch.pid'), 'utf8').trim();
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
    expect(environ.map((entry) => entry.split('=')[0]).sort()).toEqual(['MEILI_MASTER_KEY', 'MEILI_MAX_INDEXING_MEMORY', 'PATH']);
    expect(environ).toContain('MEILI_MAX_INDEXING_MEMORY=512 MiB');
    expect(environ).toContain(`MEILI_MASTER_KEY=${meili.masterKey}`);
  });

  it('restarts a Meilisearch that dies', async () => {
    meili.crash();
    await waitFor(async () => meili.restarts >= 1 && (await fetch(`${meili.url}/health`)).ok);
    expect(meili.restarts).toBe(1);
  });

  it('keeps outbox rows through an outage and converges once search is back', async () => {
    const ref = await loadReference();
    const { admin } = await connectSearch(meili.url, meili.masterKey);
    await applySettings(admin, PACKAGES_INDEX, packageSettings);
    await meili.stop();

    await upsertPackage(handle.db, buildPackage({ slug: 'written-during-outage', title: 'Written during the outage' }));
    await expect(drainOutbox(handle.db, admin, ref)).rejects.toThrow();
    const [kept] = await handle.db.selectFrom('search_outbox').selectAll().execute();
    expect(kept?.attempts).toBe(1);
    expect(kept?.lastError).toBeTruthy();

    // Search comes back on the same port and data; the row's back-off is made due now.
    const port = Number(new URL(meili.url).port);
    meili = await startEmbeddedMeilisearch({ dataDir: dir, port });
    await handle.db
      .updateTable('search_outbox')
      .set({ availableAt: sql`now()` })
      .execute();
    expect(await drainOutbox(handle.db, admin, ref)).toBe(1);
    const doc = await admin.index(PACKAGES_INDEX).search('outage');
    expect(doc.hits.map((h) => h.slug)).toEqual(['written-during-outage']);
    expect(await handle.db.selectFrom('search_outbox').selectAll().execute()).toEqual([]);
  });
});
