import { Meilisearch } from 'meilisearch';
import { PACKAGES_INDEX } from './indexes/packages.ts';

/** Fixed so that every start finds the same key instead of minting a new one. */
export const SEARCH_KEY_UID = '5f0c2b8e-3a9d-4e61-9c1f-0d6a2b7e4c11';

export interface SearchClients {
  /** Holds the master key: indexing and settings. Never leaves the server. */
  admin: Meilisearch;
  /** Holds a key that may only search the catalog indexes: every query runs with it. */
  search: Meilisearch;
  url: string;
}

// Uncompressed answers: on loopback gzip only costs CPU, and Meilisearch's gzip'd chunked
// responses stall each request by ~40 ms (measured by the benchmark).
const requestInit = { headers: { 'accept-encoding': 'identity' } };

export function adminClient(url: string, masterKey: string | undefined): Meilisearch {
  return new Meilisearch({ host: url, apiKey: masterKey, timeout: 10_000, requestInit });
}

/** Finds or creates the search-only key, and returns both clients. */
export async function connectSearch(url: string, masterKey: string | undefined): Promise<SearchClients> {
  const admin = adminClient(url, masterKey);
  await admin.health();
  let key: string;
  try {
    key = (await admin.getKey(SEARCH_KEY_UID)).key;
  } catch {
    key = (
      await admin.createKey({
        uid: SEARCH_KEY_UID,
        name: 'aiexports-search',
        description: 'Search-only key used by the site for catalog queries',
        actions: ['search'],
        indexes: [`${PACKAGES_INDEX}*`],
        expiresAt: null,
      })
    ).key;
  }
  return { admin, search: new Meilisearch({ host: url, apiKey: key, timeout: 5_000, requestInit }), url };
}
