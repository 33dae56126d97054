/**
 * Optimistic concurrency for the forms people edit. Each edited record carries a revision (a
 * number raised by every write); a form carries, in the hidden field `revision`, the one it
 * was read at; the write is conditional on it. A save from a stale form is refused with 409
 * and a `Conflict`: what is saved now, field by field beside what the person entered, and who
 * saved it when. The page shows it above the form, which keeps the person's text and now
 * carries the current revision: saving again is a deliberate choice to replace the other save.
 */

/** The hidden field every edit form carries. */
export const REVISION_FIELD = 'revision';

/**
 * The revision a posted form was read at: `undefined` when the form carries none (a caller
 * outside the site's own forms: not checked), `-1` when it is not a revision (never current).
 */
export function postedRevision(value: unknown): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw.trim())) return -1;
  return Number(raw.trim());
}

/** Whether a write read at `expected` may go ahead on a record now at `current`. */
export function isCurrent(expected: number | undefined, current: number): boolean {
  return expected === undefined || expected === current;
}

/** One field that someone else saved differently from what the person entered. */
export interface ConflictField {
  /** The form field's name (its id in the page is derived from it). */
  name: string;
  label: string;
  /** What is saved now, as text. */
  saved: string;
  /** What the person entered (kept in the form). */
  yours: string;
}

/** A refused stale save: the revision now, who saved it when, and what differs. */
export interface Conflict {
  revision: number;
  at: Date | null;
  by: string | null;
  fields: ConflictField[];
}

/**
 * The fields whose saved value differs from the entered one. Both sides are lists of strings
 * (a form's values); empty entries and surrounding space do not count as a difference.
 */
export function differingFields(
  saved: Record<string, string[] | undefined>,
  yours: Record<string, string[] | undefined>,
  label: (name: string) => string,
  names: Iterable<string> = new Set([...Object.keys(saved), ...Object.keys(yours)]),
): ConflictField[] {
  const clean = (v: string[] | undefined) => (v ?? []).map((s) => s.trim()).filter((s) => s !== '');
  const out: ConflictField[] = [];
  for (const name of names) {
    if (name === REVISION_FIELD) continue;
    const a = clean(saved[name]);
    const b = clean(yours[name]);
    if ([...a].sort().join('\u0000') === [...b].sort().join('\u0000')) continue;
    out.push({ name, label: label(name), saved: a.join(', '), yours: b.join(', ') });
  }
  return out;
}
