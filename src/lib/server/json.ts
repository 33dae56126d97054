import { InputError, readBytes } from './forms.ts';
import { normalizeText } from './text.ts';

/**
 * JSON bodies, read within limits: the size is checked as the bytes arrive, the nesting depth
 * and the number of keys and values by one scan of the text before `JSON.parse` runs, and every
 * string (keys too) is normalised as form fields are (`normalizeText`; a lone surrogate, e.g.
 * `"\ud800"`, is refused). Over a limit: `InputError` (413, or 400 for malformed JSON, 415 for
 * another content type), which the middleware turns into problem+json.
 */
export interface JsonLimits {
  /** Bytes of the body; default 64 KiB. */
  maxBytes?: number;
  /** Nesting of objects and arrays; default 8. */
  maxDepth?: number;
  /** Object keys plus array items in the whole document; default 1,000. */
  maxItems?: number;
  /** Characters of one string; default 64 Ki. */
  maxStringLength?: number;
}

export const JSON_LIMITS: Required<JsonLimits> = {
  maxBytes: 64 * 1024,
  maxDepth: 8,
  maxItems: 1000,
  maxStringLength: 64 * 1024,
};

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/** The request's JSON body, read once within `limits` (see above). */
export async function readJson(request: Request, limits: JsonLimits = {}): Promise<unknown> {
  const type = (request.headers.get('content-type') ?? '').trim();
  if (!JSON_TYPE.test(type)) throw new InputError('wrong-content-type', 'Send the body as application/json.');
  const max = { ...JSON_LIMITS, ...limits };
  const text = await readText(request, max.maxBytes);
  return parseJson(text, max);
}

/** Parses JSON text within `limits` (the body reader's second half; also for JSON from elsewhere). */
export function parseJson(text: string, limits: JsonLimits = {}): unknown {
  const max = { ...JSON_LIMITS, ...limits };
  if (text.length > max.maxBytes)
    throw new InputError('body-too-large', `A JSON body may have at most ${max.maxBytes} bytes.`, { limit: max.maxBytes });
  scan(text, max);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError('malformed', 'The body is not valid JSON.', { cause: error });
  }
  return clean(value, max.maxStringLength);
}

async function readText(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
  const declared = Number(request.headers.get('content-length') ?? 0);
  const tooLarge = `A JSON body may have at most ${maxBytes} bytes.`;
  if (declared > maxBytes) throw new InputError('body-too-large', tooLarge, { limit: maxBytes });
  const bytes = await readBytes(request.body, maxBytes, tooLarge);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new InputError('malformed', 'The body is not UTF-8.', { cause: error });
  }
}

/** One pass over the text: depth and item count outside strings. */
function scan(text: string, max: Required<JsonLimits>): void {
  let depth = 0;
  let items = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max.maxDepth)
        throw new InputError('too-deep', `JSON may nest at most ${max.maxDepth} levels.`, { limit: max.maxDepth });
      items++;
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x2c) items++;
    if (items > max.maxItems)
      throw new InputError('too-many-fields', `JSON may hold at most ${max.maxItems} keys and items.`, { limit: max.maxItems });
  }
}

function clean(value: unknown, maxString: number): unknown {
  if (typeof value === 'string') {
    if (value.length > maxString)
      throw new InputError('field-too-long', `A JSON string may have at most ${maxString} characters.`, { limit: maxString });
    const text = normalizeText(value);
    if (text === undefined) throw new InputError('invalid-text', 'The JSON holds text that is not valid Unicode.');
    return text;
  }
  if (Array.isArray(value)) return value.map((v) => clean(v, maxString));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const name = clean(key, maxString) as string;
      if (name === '__proto__') continue;
      out[name] = clean(v, maxString);
    }
    return out;
  }
  return value;
}
