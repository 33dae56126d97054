import { introductionsToRemind, markReminded } from '../../../db/queries/introductions.ts';
import { useTranslations, type MessageKey } from '../../i18n/index.ts';
import { sendAll, siteBase } from '../mail/index.ts';
import { sideEmails } from './recipients.ts';
import type { IntroductionServices } from './services.ts';
import { asIntroductionState, businessDaysBetween, REMIND_AFTER_BUSINESS_DAYS, waitingOn } from './state.ts';

// The reminders are in English: the recipients' language is not stored.

export interface ReminderResult {
  /** Introductions reminded about. */
  reminded: number;
  sent: number;
  failed: number;
}

/**
 * Reminds whoever an open introduction waits on (the officer, the buyer or the consortium)
 * once it has not moved for REMIND_AFTER_BUSINESS_DAYS business days — once per waiting period:
 * `remindedAt` is set, and every move resets the clock. Run it periodically; running it twice
 * sends nothing more.
 */
export async function remindWaiting(app: IntroductionServices, now = new Date()): Promise<ReminderResult> {
  const t = useTranslations();
  const result: ReminderResult = { reminded: 0, sent: 0, failed: 0 };
  // Business days are never fewer than calendar days: nothing younger than that is due.
  const before = new Date(now.getTime() - REMIND_AFTER_BUSINESS_DAYS * 24 * 60 * 60 * 1000);
  for (const intro of await introductionsToRemind(app.db, before)) {
    const days = businessDaysBetween(intro.waitingSince, now);
    if (days < REMIND_AFTER_BUSINESS_DAYS) continue;
    const side = waitingOn(asIntroductionState(intro.state));
    if (!side) continue;
    if (!(await markReminded(app.db, intro, now))) continue;
    result.reminded++;
    const subject = t('intro.mail.reminder.subject', { package: intro.packageTitle });
    const text = t('intro.mail.reminder.body', {
      buyer: intro.buyerLegalName ?? intro.buyerName,
      package: intro.packageTitle,
      state: t(`intro.state.${intro.state}` as MessageKey),
      days,
      todo: t(`intro.mail.reminder.todo.${side}` as MessageKey),
      url: `${siteBase(app)}/introductions/${intro.id}`,
    });
    const sent = await sendAll(
      app.mailer,
      (await sideEmails(app, intro, side)).map((to) => ({ to, subject, text })),
    );
    result.sent += sent.sent;
    result.failed += sent.failed;
  }
  return result;
}
