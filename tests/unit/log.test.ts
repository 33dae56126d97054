import { describe, expect, it } from 'vitest';
import { isLoopback } from '../../src/lib/server/access.ts';
import { cleanForLog, createLogger } from '../../src/lib/server/log.ts';

function capture(level = 'info') {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (s: string) => void lines.push(s) } });
  return { logger, lines };
}

describe('logger', () => {
  it('writes one JSON object per line, level as a word', () => {
    const { logger, lines } = capture();
    logger.info({ reqId: 'r1', path: '/%0A[aiexports]%20FAKE' }, 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.trimEnd().split('\n')).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 'info', reqId: 'r1', msg: 'request' });
    expect(typeof entry.time).toBe('string');
  });

  it('keeps a decoded newline inside its line (no forged entries)', () => {
    const { logger, lines } = capture();
    logger.info({ path: '/\n[aiexports] FAKE' }, 'a\nb');
    expect(lines.join('').trimEnd().split('\n')).toHaveLength(1);
  });

  it('redacts cookies, authorization, passwords and tokens', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        headers: { cookie: 'session=abc', authorization: 'Bearer xyz', 'user-agent': 'ua' },
        body: { password: 'hunter2 hunter2', token: 't0k3n', name: 'ok' },
      },
      'x',
    );
    const text = lines.join('');
    for (const secret of ['session=abc', 'Bearer xyz', 'hunter2', 't0k3n']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(text).toContain('"name":"ok"');
  });

  it('writes nothing under the level', () => {
    const { logger, lines } = capture('warn');
    logger.info('quiet');
    logger.warn('loud');
    expect(lines).toHaveLength(1);
  });

  it('cleanForLog escapes control characters and bounds the length', () => {
    expect(cleanForLog('a\nb\u0000c\u202E')).toBe('a\\u000ab\\u0000c\\u202e');
    expect(cleanForLog('x'.repeat(600), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});

describe('isLoopback', () => {
  it('accepts this machine only', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true);
    for (const a of ['10.0.0.1', '192.168.1.2', '::ffff:10.0.0.1', '', undefined, '127.0.0.1, 10.0.0.1', 'localhost'])
      expect(isLoopback(a)).toBe(false);
  });
});
