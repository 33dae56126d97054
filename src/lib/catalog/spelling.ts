import { distance } from 'fastest-levenshtein';
import { getCatalogVersion } from '../../../db/queries/catalog-version.ts';
import type { AppServices } from '../server/bootstrap.ts';

/**
 * "Did you mean": the catalog's own words (titles, summaries, descriptions, offerings, sector
 * names), counted once per catalog version, and the nearest of them for each word of a query
 * that found nothing. Meilisearch already forgives one or two typos inside its index; this
 * helps when the words are further off or the typos fall in short words.
 */

type Vocabulary = Map<string, number>;
type SpellingServices = Pick<AppServices, 'db' | 'reference'>;

const kept = new WeakMap<SpellingServices['db'], { version: string; words: Promise<Vocabulary> }>();

function wordsOf(text: string): string[] {
  return text.toLocaleLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [];
}

async function buildVocabulary(app: SpellingServices): Promise<Vocabulary> {
  const words: Vocabulary = new Map();
  const add = (text: string) => {
    for (const word of wordsOf(text)) words.set(word, (words.get(word) ?? 0) + 1);
  };
  for (const sector of app.reference.sectors.values()) add(sector.name);
  for (const region of app.reference.regions.values()) add(`${region.name} ${region.shortName}`);
  const rows = await app.db
    .selectFrom('package')
    .select(['title', 'summary', 'content'])
    .where('status', '=', 'designated')
    .execute();
  for (const row of rows) {
    add(`${row.title} ${row.summary} ${row.content.description}`);
    for (const layer of Object.values(row.content.layers)) {
      add(layer.summary);
      for (const offering of layer.offerings) add(`${offering.name} ${offering.description}`);
    }
  }
  return words;
}

async function vocabulary(app: SpellingServices): Promise<Vocabulary> {
  const version = await getCatalogVersion(app.db);
  const held = kept.get(app.db);
  if (held?.version === version) return held.words;
  const words = buildVocabulary(app);
  kept.set(app.db, { version, words });
  words.catch(() => {
    if (kept.get(app.db)?.words === words) kept.delete(app.db);
  });
  return words;
}

/** The nearest catalog word: at most one edit for words under 8 letters, two from 8; the commonest on a tie. */
export function nearestWord(word: string, words: Vocabulary): string | undefined {
  const limit = word.length >= 8 ? 2 : 1;
  let best: { word: string; edits: number; count: number } | undefined;
  for (const [candidate, count] of words) {
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const edits = distance(word, candidate);
    if (edits > limit || edits === 0) continue;
    if (!best || edits < best.edits || (edits === best.edits && count > best.count)) best = { word: candidate, edits, count };
  }
  return best?.word;
}

/** A query with each unknown word replaced by its nearest catalog word, or undefined when nothing changes. */
export function correctQuery(q: string, words: Vocabulary): string | undefined {
  let changed = false;
  const corrected = q.replace(/[\p{L}\p{N}]+/gu, (word) => {
    const lower = word.toLocaleLowerCase();
    if (lower.length < 4 || words.has(lower)) return word;
    const nearest = nearestWord(lower, words);
    if (!nearest) return word;
    changed = true;
    return nearest;
  });
  return changed ? corrected : undefined;
}

/** "Did you mean …" for a query that found nothing. */
export async function didYouMean(app: SpellingServices, q: string): Promise<string | undefined> {
  if (!q.trim()) return undefined;
  return correctQuery(q.slice(0, 200), await vocabulary(app));
}
