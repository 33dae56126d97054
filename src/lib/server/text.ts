/**
 * Text as the site stores it. Every string that comes from outside (form fields, JSON bodies,
 * query parameters, path segments) passes through `normalizeText` where it is read:
 *
 * - a lone UTF-16 surrogate cannot be stored or sent on as UTF-8, so text holding one is
 *   refused (`undefined`), never silently altered;
 * - Unicode NFC, so that the same words typed on two keyboards compare and index alike;
 * - line breaks made `\n` (CRLF and lone CR from form posts);
 * - control characters dropped, but for tab and newline: PostgreSQL refuses NUL in text and
 *   jsonb, and the C0/C1 controls, DEL and the bidirectional overrides forge log lines and
 *   reorder what a reader sees.
 */

// C0 controls but \t (09) and \n (0A); DEL; C1 controls; bidi embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The normalised text, or undefined when it holds a lone surrogate (not valid Unicode). */
export function normalizeText(value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) return undefined;
  return value.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

/** True when `value` needs no change to be stored (already normalised, valid Unicode). */
export function isNormalText(value: string): boolean {
  return normalizeText(value) === value;
}

/** A single-line value (names, titles, ids): also without tab and newline. */
export function normalizeLine(value: string): string | undefined {
  const text = normalizeText(value);
  return text === undefined ? undefined : text.replace(/[\t\n]+/g, ' ');
}
