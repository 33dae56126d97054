import { describe, expect, it } from 'vitest';
import { FORM_LIMITS, formObject, InputError, PostedForm, readForm } from '../../src/lib/server/forms.ts';
import { parseJson, readJson } from '../../src/lib/server/json.ts';

const urlencoded = (body: string) =>
  new Request('http://127.0.0.1/form', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });

const multipart = (body: string, boundary = 'XyZ') =>
  new Request('http://127.0.0.1/form', {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });

const part = (name: string, value: string, boundary = 'XyZ') =>
  `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

async function refusal(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('readForm', () => {
  it('reads a urlencoded form with repeated names, in order', async () => {
    const form = await readForm(urlencoded('a=1&b=x%20y&a=2&c='));
    expect(form).toBeInstanceOf(PostedForm);
    expect(form!.get('a')).toBe('1');
    expect(form!.getAll('a')).toEqual(['1', '2']);
    expect([...form!.keys()]).toEqual(['a', 'b', 'c']);
    expect([...form!]).toEqual([
      ['a', '1'],
      ['b', 'x y'],
      ['a', '2'],
      ['c', ''],
    ]);
  });

  it('is undefined for a body that is not a form', async () => {
    const json = new Request('http://127.0.0.1/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await readForm(json)).toBeUndefined();
    expect(await readForm(new Request('http://127.0.0.1/'))).toBeUndefined();
  });

  it('normalises text: NUL and control characters dropped, CRLF made \\n, NFC', async () => {
    const form = await readForm(urlencoded('name=Acme%00%07%20Ltd&text=one%0D%0Atwo&place=Se%CC%81ne%CC%81gal&bidi=a%E2%80%AEb'));
    expect(form!.get('name')).toBe('Acme Ltd');
    expect(form!.get('text')).toBe('one\ntwo');
    expect(form!.get('place')).toBe('Sénégal');
    expect(form!.get('bidi')).toBe('ab');
  });

  it('turns an undecodable byte sequence (a lone surrogate as %ED%A0%80, an overlong form) into U+FFFD, never a lone surrogate', async () => {
    const form = await readForm(urlencoded('a=%ED%A0%80&b=%C0%AF'));
    expect(form!.get('a')).not.toMatch(/[\uD800-\uDFFF]/);
    expect(form!.get('a')).toMatch(/\uFFFD/);
    expect(form!.get('b')).toMatch(/\uFFFD/);
  });

  it('refuses more fields than the form allows (413) without reading them all', async () => {
    const body = Array.from({ length: 30_000 }, (_, i) => `f${i}=`).join('&');
    const started = performance.now();
    const error = await refusal(readForm(urlencoded(body)));
    expect(error.status).toBe(413);
    expect(error.problem).toBe('too-many-fields');
    expect(error.limit).toBe(FORM_LIMITS.maxFields);
    // One pass: far from the seconds the per-key getAll took (no timing assertion beyond "not a stall").
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('allows exactly the limit, and a page may raise it', async () => {
    const at = Array.from({ length: 200 }, (_, i) => `f${i}=x`).join('&');
    expect((await readForm(urlencoded(at)))!.size).toBe(200);
    const more = Array.from({ length: 900 }, (_, i) => `c=${i}`).join('&');
    await expect(readForm(urlencoded(more))).rejects.toBeInstanceOf(InputError);
    expect((await readForm(urlencoded(more), { maxFields: 1000 }))!.getAll('c')).toHaveLength(900);
  });

  it('refuses a field over the global length cap (413)', async () => {
    const error = await refusal(readForm(urlencoded(`a=${'x'.repeat(FORM_LIMITS.maxFieldBytes + 1)}`)));
    expect(error.status).toBe(413);
    expect(error.problem).toBe('field-too-long');
    const ok = await readForm(urlencoded(`a=${'x'.repeat(FORM_LIMITS.maxFieldBytes)}`));
    expect((ok!.get('a') as string).length).toBe(FORM_LIMITS.maxFieldBytes);
  });

  it('refuses a field name over 200 bytes', async () => {
    const error = await refusal(readForm(urlencoded(`${'n'.repeat(201)}=1`)));
    expect(error.problem).toBe('field-too-long');
  });

  it('reads multipart fields and files', async () => {
    const body =
      part('title', 'Grid\u00A0AI') +
      `--XyZ\r\nContent-Disposition: form-data; name="file"; filename="plan.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 body\r\n` +
      '--XyZ--\r\n';
    const form = await readForm(multipart(body), { maxFiles: 1 });
    expect(form!.get('title')).toBe('Grid\u00A0AI');
    const file = form!.get('file') as File;
    expect(file).toBeInstanceOf(File);
    expect(file.name).toBe('plan.pdf');
    expect(file.type).toBe('application/pdf');
    expect(await file.text()).toBe('%PDF-1.7 body');
  });

  it('refuses a file posted to a form without a file input (400)', async () => {
    const body = `--XyZ\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n\r\nabc\r\n--XyZ--\r\n`;
    const error = await refusal(readForm(multipart(body)));
    expect(error.problem).toBe('too-many-files');
  });

  it('refuses a malformed multipart body (400)', async () => {
    for (const [body, boundary] of [
      ['--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue without end', 'XyZ'],
      ['garbage', 'XyZ'],
    ] as const) {
      const error = await refusal(readForm(multipart(body, boundary)));
      expect(error.status).toBe(400);
      expect(error.problem).toBe('malformed');
    }
    const noBoundary = new Request('http://127.0.0.1/', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data' },
      body: part('a', '1'),
    });
    expect((await refusal(readForm(noBoundary))).status).toBe(400);
  });

  it('refuses a multipart field over the cap (413)', async () => {
    const error = await refusal(readForm(multipart(part('a', 'x'.repeat(FORM_LIMITS.maxFieldBytes + 10)) + '--XyZ--\r\n')));
    expect(error.status).toBe(413);
    expect(error.problem).toBe('field-too-long');
  });

  it('refuses 10,000 multipart parts (413)', async () => {
    const body = Array.from({ length: 10_000 }, (_, i) => part(`f${i}`, '')).join('') + '--XyZ--\r\n';
    const error = await refusal(readForm(multipart(body)));
    expect(error.status).toBe(413);
  });
});

describe('formObject', () => {
  it('takes the first value of a name, arrays for the names listed, [] for a listed name not sent', () => {
    const form = PostedForm.from([
      ['name', 'first'],
      ['name', 'second'],
      ['sectors', 'energy'],
      ['sectors', 'health'],
    ]);
    expect(formObject(form, ['sectors', 'countries'])).toEqual({ name: 'first', sectors: ['energy', 'health'], countries: [] });
  });

  it('leaves files and __proto__ out', () => {
    const form = new PostedForm();
    form.append('__proto__', 'x');
    form.append('file', new File(['a'], 'a.txt'));
    form.append('ok', 'y');
    const out = formObject(form);
    expect(out).toEqual({ ok: 'y' });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('reads a FormData too, in one pass', () => {
    const data = new FormData();
    data.append('a', '1');
    data.append('a', '2');
    expect(formObject(data, ['a'])).toEqual({ a: ['1', '2'] });
  });

  it('PostedForm.from normalises like the reader and refuses lone surrogates', () => {
    expect(PostedForm.from({ a: 'x\u0000y' }).get('a')).toBe('xy');
    expect(() => PostedForm.from({ a: 'bad \uD800' })).toThrow(InputError);
  });
});

const jsonRequest = (body: string, type = 'application/json') =>
  new Request('http://127.0.0.1/api', { method: 'POST', headers: { 'content-type': type }, body });

describe('readJson', () => {
  it('parses and normalises strings, keys included', async () => {
    expect(await readJson(jsonRequest('{"name":"Acme\\u0000 Ltd","n\\u0007ote":["Se\\u0301ne\\u0301gal",1,true,null]}'))).toEqual(
      {
        name: 'Acme Ltd',
        note: ['Sénégal', 1, true, null],
      },
    );
  });

  it('refuses a lone surrogate escape (400)', async () => {
    const error = await refusal(readJson(jsonRequest('{"name":"\\ud800"}')));
    expect(error.status).toBe(400);
    expect(error.problem).toBe('invalid-text');
  });

  it('refuses another content type (415)', async () => {
    const error = await refusal(readJson(jsonRequest('{}', 'text/plain')));
    expect(error.status).toBe(415);
  });

  it('refuses malformed JSON (400) and bytes that are not UTF-8 (400)', async () => {
    expect((await refusal(readJson(jsonRequest('{"a":')))).problem).toBe('malformed');
    const bad = new Request('http://127.0.0.1/api', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array([0x22, 0xff, 0x22]),
    });
    expect((await refusal(readJson(bad))).problem).toBe('malformed');
  });

  it('refuses a body over its size (413), checked while reading', async () => {
    const error = await refusal(readJson(jsonRequest(JSON.stringify({ a: 'x'.repeat(70_000) }))));
    expect(error.status).toBe(413);
    expect(error.problem).toBe('body-too-large');
    expect(
      await readJson(jsonRequest(JSON.stringify({ a: 'x'.repeat(70_000) })), { maxBytes: 100_000, maxStringLength: 100_000 }),
    ).toEqual({
      a: 'x'.repeat(70_000),
    });
  });

  it('refuses nesting deeper than the limit before parsing (413), brackets in strings not counted', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => parseJson(deep, { maxBytes: 1_000_000 })).toThrow(/nest/);
    expect(parseJson('{"a":"[[[[[[[[[[[[[[[[[[[[","b":"\\"[[[[[[[[[[[[[["}')).toEqual({
      a: '[[[[[[[[[[[[[[[[[[[[',
      b: '"[[[[[[[[[[[[[[',
    });
    expect(parseJson('[[[[[[[[1]]]]]]]]')).toEqual([[[[[[[[1]]]]]]]]);
  });

  it('refuses too many keys and items (413)', () => {
    const many = JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])));
    let error: unknown;
    try {
      parseJson(many);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).status).toBe(413);
    expect(Object.keys(parseJson(many, { maxItems: 5000 }) as object)).toHaveLength(2000);
  });

  it('drops __proto__ keys', () => {
    const value = parseJson('{"__proto__":{"admin":true},"a":1}') as Record<string, unknown>;
    expect(value).toEqual({ a: 1 });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
