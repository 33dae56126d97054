import type { Meilisearch } from 'meilisearch';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema/index.ts';
import { designatedPackagesBatches } from '../db/queries/packages.ts';
import { applySettings, assertSucceeded } from './apply-settings.ts';
import { PACKAGES_INDEX, packageSettings, toDocument, type DocumentReference } from './indexes/packages.ts';

export interface ReindexResult {
  documents: number;
  seconds: number;
}

/**
 * Rebuilds the catalog index from the database without downtime: the documents go into a
 * fresh index, which is then swapped with the live one in a single Meilisearch task.
 */
export async function reindexPackages(
  db: Kysely<Database>,
  admin: Meilisearch,
  ref: DocumentReference,
  batchSize = 2000,
): Promise<ReindexResult> {
  const started = performance.now();
  const building = `${PACKAGES_INDEX}_build_${Date.now()}`;
  await applySettings(admin, PACKAGES_INDEX, packageSettings);
  await applySettings(admin, building, packageSettings);
  try {
    const index = admin.index(building);
    const tasks: number[] = [];
    let documents = 0;
    for await (const rows of designatedPackagesBatches(db, batchSize)) {
      const enqueued = await index.addDocuments(
        rows.map((row) => toDocument(row, ref)),
        { primaryKey: 'id' },
      );
      tasks.push(enqueued.taskUid);
      documents += rows.length;
    }
    for (const uid of tasks) assertSucceeded(await admin.tasks.waitForTask(uid, { timeout: 300_000, interval: 100 }));
    assertSucceeded(await admin.swapIndexes([{ indexes: [PACKAGES_INDEX, building], rename: false }]).waitTask());
    return { documents, seconds: (performance.now() - started) / 1000 };
  } finally {
    await admin
      .deleteIndex(building)
      .waitTask()
      .catch(() => undefined);
  }
}
