import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedMeilisearch, type EmbeddedMeilisearch } from '../../search/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    meiliUrl: string;
    meiliMasterKey: string;
  }
}

let meili: EmbeddedMeilisearch | undefined;
let dir: string | undefined;

/** A real Meilisearch process for the integration tests, on a free loopback port. */
export async function setup(project: TestProject) {
  dir = mkdtempSync(join(tmpdir(), 'aix-meili-'));
  meili = await startEmbeddedMeilisearch({ dataDir: dir });
  project.provide('meiliUrl', meili.url);
  project.provide('meiliMasterKey', meili.masterKey);
}

export async function teardown() {
  await meili?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
