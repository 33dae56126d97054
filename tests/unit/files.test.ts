import { describe, expect, it } from 'vitest';
import {
  checkAttachment,
  contentDisposition,
  isPdf,
  isValidKey,
  MAX_ATTACHMENT_BYTES,
  safeFilename,
  sha256Hex,
} from '../../src/lib/files/index.ts';
import { tinyPdf } from '../fixtures/files.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('PDF sniffing', () => {
  it('accepts a real PDF by its content', () => {
    expect(isPdf(tinyPdf())).toBe(true);
    expect(checkAttachment(tinyPdf())).toEqual({ ok: true });
  });

  it('refuses text, HTML and images whatever they are called', () => {
    expect(isPdf(enc('Just some notes, saved as notes.pdf\n'))).toBe(false);
    expect(isPdf(enc('<html><body>%PDF-1.4 %%EOF</body></html>'))).toBe(false);
    expect(isPdf(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]))).toBe(false);
    expect(checkAttachment(enc('not a pdf'))).toEqual({ ok: false, reason: 'not-pdf' });
  });

  it('wants %%EOF near the end, not just the header', () => {
    const truncated = tinyPdf().slice(0, 60);
    expect(isPdf(truncated)).toBe(false);
    const padded = new Uint8Array([...tinyPdf(), ...new Uint8Array(2000).fill(0x20)]);
    expect(isPdf(padded)).toBe(false);
    const trailingWhitespace = new Uint8Array([...tinyPdf(), 0x0d, 0x0a, 0x20]);
    expect(isPdf(trailingWhitespace)).toBe(true);
  });

  it('needs %PDF- at the very start', () => {
    expect(isPdf(new Uint8Array([0x20, ...tinyPdf()]))).toBe(false);
    expect(isPdf(enc('%PDF-'))).toBe(false);
  });

  it('refuses empty and oversized files', () => {
    expect(checkAttachment(new Uint8Array())).toEqual({ ok: false, reason: 'empty' });
    expect(checkAttachment(tinyPdf(), 10)).toEqual({ ok: false, reason: 'too-large' });
    expect(MAX_ATTACHMENT_BYTES).toBe(20 * 1024 * 1024);
  });

  it('hashes with SHA-256', () => {
    expect(sha256Hex(enc('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('file names and keys', () => {
  it('keeps file names safe for display and headers', () => {
    expect(safeFilename('../../etc/passwd')).toBe('passwd.pdf');
    expect(safeFilename('C:\\Users\\x\\Plan "final".PDF')).toBe('Plan final.PDF');
    expect(safeFilename('')).toBe('attachment.pdf');
    expect(safeFilename('a\r\nb.pdf')).toBe('ab.pdf');
    expect(contentDisposition('Plan ü.pdf')).toBe(`attachment; filename="Plan _.pdf"; filename*=UTF-8''Plan%20%C3%BC.pdf`);
  });

  it('refuses keys that could leave the store', () => {
    expect(isValidKey('proposals/abc/def.pdf')).toBe(true);
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'a//b', '.hidden', 'a\\b', '']) expect(isValidKey(bad)).toBe(false);
  });
});
