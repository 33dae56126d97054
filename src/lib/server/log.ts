import { pino, type Logger } from 'pino';

/**
 * The process's one logger: JSON lines on stdout (pino), one object per event, with `level`
 * as a word and `time` in ISO 8601. JSON escapes every control character, so no value (a
 * request path, a name) can start a line of its own; `cleanForLog` also drops them from the
 * strings the site puts in messages. Cookies, authorization headers, passwords, tokens and
 * secrets are redacted wherever they appear in a logged object.
 *
 * Levels: `error` a fault of the site (a 5xx, a job that failed); `warn` something an operator
 * should look at (search down, a setting out of range, a client refused for a limit);
 * `info` start-up, shutdown and one line per request; `debug` detail. `LOG_LEVEL` sets the
 * lowest level written (default `info`; `silent` writes nothing).
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const REDACT = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'secret',
  'cookie',
  'authorization',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.secret',
  '*.cookie',
  '*.authorization',
  '*.headers.cookie',
  '*.headers.authorization',
  '*.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'headers["set-cookie"]',
];

function levelFrom(value: string | undefined): LogLevel {
  const wanted = (value ?? '').trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(wanted) ? (wanted as LogLevel) : 'info';
}

/** A logger writing to `destination` (stdout by default); the site uses `logger` below. */
export function createLogger(
  options: { level?: string; destination?: NodeJS.WritableStream | { write(s: string): void } } = {},
): Logger {
  return pino(
    {
      level: levelFrom(options.level ?? process.env.LOG_LEVEL),
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    (options.destination ?? pino.destination({ fd: 1, sync: true })) as pino.DestinationStream,
  );
}

const KEY = Symbol.for('aiexports.logger');
type Holder = { [KEY]?: Logger };

/** The process's logger (one per process, also across module reloads in development). */
export const logger: Logger = ((globalThis as Holder)[KEY] ??= createLogger());

// C0 and C1 controls, DEL, and the bidirectional overrides and isolates.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** A string fit for a log message: control characters as `\u…` escapes, at most `max` characters. */
export function cleanForLog(value: string, max = 500): string {
  const text = value.length > max ? `${value.slice(0, max)}…` : value;
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A function that logs a message at `info`: what bootstrap, jobs and the workers take as `log`. */
export function infoLog(component: string): (message: string) => void {
  const child = logger.child({ component });
  return (message: string) => child.info(cleanForLog(message, 2000));
}
