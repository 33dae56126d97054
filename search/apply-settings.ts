import type { Meilisearch, Settings, Task } from 'meilisearch';
import { AppError } from '../db/errors.ts';

/** Waits for a Meilisearch task and throws if it did not succeed (waiting does not throw on failure). */
export function assertSucceeded(task: Task): Task {
  if (task.status !== 'succeeded') {
    throw new AppError(
      'SEARCH_TASK_FAILED',
      `Meilisearch task ${task.uid} (${task.type}) ${task.status}: ${task.error?.message ?? ''}`,
    );
  }
  return task;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Sorted where Meilisearch does not care about order, so that a re-read compares equal. */
const orderless = new Set(['filterableAttributes', 'sortableAttributes']);

function normalise(key: string, value: unknown): string {
  if (orderless.has(key) && Array.isArray(value)) return canonical([...value].sort());
  if (key === 'synonyms' && value && typeof value === 'object') {
    return canonical(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, [...(v as string[])].sort()])));
  }
  return canonical(value);
}

/** The part of `desired` that differs from what the index has. */
export function settingsDiff(current: Settings, desired: Settings): Settings {
  const diff: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(desired)) {
    const have = (current as Record<string, unknown>)[key];
    if (have === undefined) {
      diff[key] = value;
      continue;
    }
    if (key !== 'synonyms' && value && typeof value === 'object' && !Array.isArray(value) && have && typeof have === 'object') {
      // Nested settings (faceting, pagination, typo tolerance): compare only the keys we set.
      const picked = Object.fromEntries(Object.keys(value).map((k) => [k, (have as Record<string, unknown>)[k]]));
      if (normalise(key, picked) !== normalise(key, value)) diff[key] = value;
    } else if (normalise(key, have) !== normalise(key, value)) {
      diff[key] = value;
    }
  }
  return diff as Settings;
}

/** Creates the index if needed, then applies only the settings that differ. Returns what was changed. */
export async function applySettings(client: Meilisearch, uid: string, desired: Settings): Promise<Settings> {
  try {
    await client.getRawIndex(uid);
  } catch {
    assertSucceeded(await client.createIndex(uid, { primaryKey: 'id' }).waitTask());
  }
  const index = client.index(uid);
  const diff = settingsDiff(await index.getSettings(), desired);
  if (Object.keys(diff).length > 0) {
    assertSucceeded(await index.updateSettings(diff).waitTask({ timeout: 60_000 }));
  }
  return diff;
}
