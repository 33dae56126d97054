import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { ReceivedMail } from '../fixtures/smtp.ts';

// The mail the site sends during a browser-test run.
//
// tests/playwright.config.ts starts one SMTP server on loopback for the run (in the runner
// process, before the web server, whose SMTP_URL points at it) and appends every message it
// receives, one JSON object a line, to <DATA_DIR>/mail.jsonl. The tests (in the workers) read
// that file: `waitForMail(to, /subject/)`.
//
// It parses messages as tests/fixtures/smtp.ts does (the integration tests' SMTP server) and
// keeps the same shape, but it writes to a file the workers can read, and its listening socket
// does not keep the runner alive after the tests.

export interface StoredMail extends ReceivedMail {
  /** When the message arrived (ISO 8601). */
  at: string;
}

/** The file of the run's mail: in the data directory the config hands to the workers. */
export function mailFile(dir = process.env.AIX_E2E_DATA_DIR): string {
  if (!dir) throw new Error('AIX_E2E_DATA_DIR is not set: run through tests/playwright.config.ts');
  return join(dir, 'mail.jsonl');
}

function decodeQuotedPrintable(input: string): string {
  const bytes = input
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Unfolds and decodes (RFC 2047, UTF-8 "Q" or "B") a header value. */
function decodeHeader(value: string): string {
  return value
    .replace(/\r?\n[ \t]+/g, ' ')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

export function parseMessage(raw: string, to: string[]): StoredMail {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const subject = decodeHeader(/^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(head)?.[1] ?? '');
  const body = rest.join('\n\n');
  const text = /quoted-printable/i.test(head)
    ? decodeQuotedPrintable(body)
    : /content-transfer-encoding: base64/i.test(head)
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : body;
  return { to, raw, subject, text, at: new Date().toISOString() };
}

/** Starts the run's SMTP server on loopback; every message is appended to `file`. */
export async function startMailSink(file: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        appendFileSync(file, `${JSON.stringify(parseMessage(Buffer.concat(chunks).toString('utf8'), to))}\n`);
        callback();
      });
    },
  });
  server.on('error', (error) => console.error('e2e SMTP server:', error));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The runner exits when the tests are done, whether or not this server is still open.
  server.server.unref();
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('The e2e SMTP server has no port');
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every message received so far in this run, oldest first. */
export function readMail(file = mailFile()): StoredMail[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as StoredMail);
}

/**
 * The newest message to `to` whose subject matches, waiting for it to arrive. With `after`
 * (a count from `readMail().length`), only messages received after that point count.
 */
export async function waitForMail(
  to: string,
  subject: RegExp | string,
  options: { timeout?: number; after?: number } = {},
): Promise<StoredMail> {
  const address = to.toLowerCase();
  const matches = (m: StoredMail) =>
    m.to.includes(address) && (typeof subject === 'string' ? m.subject.includes(subject) : subject.test(m.subject));
  const deadline = Date.now() + (options.timeout ?? 10_000);
  for (;;) {
    const found = readMail()
      .slice(options.after ?? 0)
      .reverse()
      .find(matches);
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = readMail().map((m) => `${m.to.join(',')}: ${m.subject}`);
      throw new Error(`No mail to ${to} with subject ${String(subject)} arrived. Received:\n${seen.join('\n') || '(nothing)'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The first web address in a message's text (the link to follow). */
export function mailLink(mail: StoredMail): string {
  const url = /https?:\/\/\S+/.exec(mail.text)?.[0];
  if (!url) throw new Error(`No link in the mail "${mail.subject}":\n${mail.text}`);
  return url;
}
