import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import { consortiumRecipients, proposalNotice, reviewerRecipients } from '../../../db/queries/review.ts';
import { useTranslations, type MessageKey, type Translator } from '../../i18n/index.ts';
import { sendAll, siteBase, type Mailer, type MailMessage } from '../mail/index.ts';
import type { ProposalMove } from '../proposals/state.ts';
import { logger } from '../server/log.ts';

/** The moves the consortium hears about (taking a proposal for review and withdrawing it are not news to anyone). */
export const NOTIFIED_MOVES = [
  'submit',
  'return',
  'designate',
  'decline',
  'suspend',
  'reinstate',
  'revoke',
] as const satisfies readonly ProposalMove[];

export interface NotifyServices {
  db: Kysely<Database>;
  mailer: Pick<Mailer, 'send'>;
  config: { siteUrl: string };
}

export interface NotifyResult {
  sent: number;
  failed: number;
}

/**
 * Emails the people concerned by a move that has been made: the owners and admins of the
 * consortium's anchor organization (the new state and the feedback meant for them, never
 * the internal reason or consultation notes) and, on submission, the program reviewers.
 * A mail that cannot be sent is logged and counted, never thrown: the move is already made.
 * `t` writes the mail (English by default; each recipient's own language later).
 */
export async function notifyMove(
  app: NotifyServices,
  proposalId: string,
  move: ProposalMove,
  feedback?: string | null,
  t: Translator = useTranslations(),
): Promise<NotifyResult> {
  let result: NotifyResult = { sent: 0, failed: 0 };
  if (!(NOTIFIED_MOVES as readonly string[]).includes(move)) return result;
  try {
    const proposal = await proposalNotice(app.db, proposalId);
    if (!proposal) return result;
    const title = proposal.title ?? proposal.consortiumName;
    const state = t(`review.state.${proposal.state}` as MessageKey);
    const base = siteBase(app);
    const messages: MailMessage[] = [];

    const text = t('review.mail.consortium.body', {
      lead: t(`review.mail.lead.${move}` as MessageKey),
      title,
      consortium: proposal.consortiumName,
      state,
      feedback: feedback?.trim() ? t('review.mail.feedback', { feedback: feedback.trim() }) : '',
      url: `${base}/proposals/${proposal.id}`,
    });
    const subject = t('review.mail.consortium.subject', { title, state });
    for (const to of await consortiumRecipients(app.db, proposalId)) messages.push({ to, subject, text });

    if (move === 'submit') {
      const reviewerText = t('review.mail.reviewers.body', {
        consortium: proposal.consortiumName,
        title,
        version: proposal.version ?? 1,
        url: `${base}/review/${proposal.id}`,
      });
      const reviewerSubject = t('review.mail.reviewers.subject', { title });
      for (const to of await reviewerRecipients(app.db)) messages.push({ to, subject: reviewerSubject, text: reviewerText });
    }

    result = await sendAll(app.mailer, messages);
  } catch (error) {
    logger.error({ component: 'review', err: error, move, proposalId }, 'Could not notify a proposal move.');
  }
  return result;
}
