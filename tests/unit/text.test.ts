import { describe, expect, it } from 'vitest';
import { isNormalText, normalizeLine, normalizeText } from '../../src/lib/server/text.ts';

describe('normalizeText', () => {
  it('drops NUL and other control characters but keeps tab and newline', () => {
    expect(normalizeText('a\u0000b\u0007c\td\ne\u007f\u0085f')).toBe('abc\td\nef');
  });

  it('makes line breaks \\n', () => {
    expect(normalizeText('one\r\ntwo\rthree')).toBe('one\ntwo\nthree');
  });

  it('composes to NFC', () => {
    const decomposed = 'Se\u0301ne\u0301gal';
    expect(normalizeText(decomposed)).toBe('Sénégal');
    expect(normalizeText(decomposed)).not.toBe(decomposed);
  });

  it('drops bidirectional overrides that reorder what a reader sees', () => {
    expect(normalizeText('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
  });

  it('refuses lone surrogates and keeps real pairs', () => {
    expect(normalizeText('bad \uD800 text')).toBeUndefined();
    expect(normalizeText('bad \uDC00 text')).toBeUndefined();
    expect(normalizeText('emoji 😀 ok')).toBe('emoji 😀 ok');
  });

  it('leaves Arabic, Vietnamese and CJK text as typed', () => {
    for (const text of ['وزارة الاقتصاد الرقمي', 'Bộ Thông tin và Truyền thông', '中华人民共和国']) {
      expect(isNormalText(text)).toBe(true);
    }
  });
});

describe('normalizeLine', () => {
  it('folds tabs and newlines into one space', () => {
    expect(normalizeLine('Ministry\n\tof Health')).toBe('Ministry of Health');
    expect(normalizeLine('\uDFFF')).toBeUndefined();
  });
});
