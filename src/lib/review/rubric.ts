import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** content/rubric/designation.yaml: the criteria reviewers score, on one integer scale. */
export const RubricData = z
  .object({
    scale: z
      .object({ min: z.number().int(), max: z.number().int() })
      .refine((s) => s.min < s.max, 'scale.min must be below scale.max'),
    criteria: z
      .array(
        z.object({
          id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase words joined by hyphens'),
          name: z.string().trim().min(1).max(200),
          guidance: z.string().trim().min(1).max(1000),
        }),
      )
      .min(1)
      .refine((c) => new Set(c.map((x) => x.id)).size === c.length, 'criterion ids must be unique'),
  })
  .strict();
export type Rubric = z.infer<typeof RubricData>;

const cache = new Map<string, Promise<Rubric>>();

/** Reads and validates the designation rubric once per content directory. */
export function loadRubric(contentDir = join(process.cwd(), 'content')): Promise<Rubric> {
  const file = join(resolve(contentDir), 'rubric', 'designation.yaml');
  let loaded = cache.get(file);
  if (!loaded) {
    loaded = (async () => {
      const parsed = RubricData.safeParse(parseYaml(await readFile(file, 'utf8')));
      if (!parsed.success) throw new Error(`${file}: ${parsed.error.message}`);
      return parsed.data;
    })();
    cache.set(file, loaded);
    loaded.catch(() => cache.delete(file));
  }
  return loaded;
}

/** Whether a score set covers every criterion with a value on the scale. */
export function isCompleteScoring(rubric: Rubric, scores: Record<string, number> | null | undefined): boolean {
  if (!scores) return false;
  return rubric.criteria.every(
    (c) => Number.isInteger(scores[c.id]) && scores[c.id]! >= rubric.scale.min && scores[c.id]! <= rubric.scale.max,
  );
}

/** The mean of a complete score set, or undefined. */
export function meanScore(rubric: Rubric, scores: Record<string, number> | null | undefined): number | undefined {
  if (!scores || !isCompleteScoring(rubric, scores)) return undefined;
  return rubric.criteria.reduce((sum, c) => sum + scores[c.id]!, 0) / rubric.criteria.length;
}
