import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { Database } from '../../../db/schema/index.ts';
import { logger } from '../server/log.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Extra headers (e.g. List-Unsubscribe); sent over SMTP, not kept by the development mailbox. */
  headers?: Record<string, string>;
  /** A Message-ID of the caller's (`<id@host>`), so that a message sent again is known as the same. */
  messageId?: string;
}

export interface Mailer {
  readonly kind: 'smtp' | 'development';
  send(message: MailMessage): Promise<void>;
}

export interface MailerOptions {
  /** `smtp://user:pass@host:port` or `smtps://…`; without it, mail is kept for the development mailbox. */
  smtpUrl?: string | undefined;
  from: string;
  db: Kysely<Database>;
  log?: (message: string) => void;
}

/** The one way the site sends email. */
export function createMailer(options: MailerOptions): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      kind: 'smtp',
      async send(message) {
        await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.headers ? { headers: message.headers } : {}),
          ...(message.messageId ? { messageId: message.messageId } : {}),
        });
      },
    };
  }
  return {
    kind: 'development',
    async send(message) {
      await options.db.insertInto('dev_mail').values({ to: message.to, subject: message.subject, text: message.text }).execute();
      options.log?.(`Mail to ${message.to}: “${message.subject}” (read it at /dev/mailbox)`);
    },
  };
}

/** The site's address without a trailing slash, for links in messages. */
export function siteBase(app: { config: { siteUrl: string } }): string {
  return app.config.siteUrl.replace(/\/$/, '');
}

/** Sends every message; a mail that cannot be sent is logged and counted, never thrown (the step is already made). */
export async function sendAll(mailer: Pick<Mailer, 'send'>, messages: MailMessage[]): Promise<{ sent: number; failed: number }> {
  const result = { sent: 0, failed: 0 };
  for (const message of messages) {
    try {
      await mailer.send(message);
      result.sent++;
    } catch (error) {
      result.failed++;
      logger.error({ component: 'mail', err: error, subject: message.subject }, 'Could not send a message.');
    }
  }
  return result;
}
