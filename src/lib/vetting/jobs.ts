import {
  lapsedVettings,
  organizationManagerEmails,
  updateVettingFrom,
  vettingsDueForReminder,
  vettingsToRescreen,
} from '../../../db/queries/vetting.ts';
import { useTranslations } from '../../i18n/index.ts';
import { rescreenVetting } from './actions.ts';
import { addDays, REMINDER_DAYS, RENEWAL_WINDOW_DAYS } from './config.ts';
import { minScoreOf, sendAll, siteBase, vettingServices, type SiteServicesLike, type VettingServices } from './services.ts';
import { checkVettingMove } from './state.ts';
import { recordVettingMove } from './record.ts';

/**
 * Periodic vetting work, run by the operator's scheduler (and `rescreenVerified` after every
 * `screening:import`). Each job is idempotent: running it twice does nothing more.
 */

// The mails are in English: the recipients' language is not stored (each job makes its translator when it runs).

type Services = VettingServices | SiteServicesLike;

export interface JobResult {
  /** Vettings the job changed. */
  changed: number;
  sent: number;
  failed: number;
}

/** Mails a buyer organization's owners and administrators, counting what was sent and what failed. */
async function mailManagers(app: VettingServices, organizationId: string, subject: string, text: string, result: JobResult) {
  const sent = await sendAll(
    app.mailer,
    (await organizationManagerEmails(app.db, organizationId)).map((to) => ({ to, subject, text })),
  );
  result.sent += sent.sent;
  result.failed += sent.failed;
}

/** Verified buyers whose verification lapses within REMINDER_DAYS and who were not reminded: an email and `reminderSentAt`. */
export async function remindRenewals(services: Services, now = new Date()): Promise<JobResult> {
  const app = vettingServices(services);
  const t = useTranslations();
  const result: JobResult = { changed: 0, sent: 0, failed: 0 };
  for (const vetting of await vettingsDueForReminder(app.db, now, addDays(now, REMINDER_DAYS))) {
    const updated = await app.db
      .updateTable('vetting')
      .set({ reminderSentAt: now, updatedAt: now })
      .where('id', '=', vetting.id)
      .where('reminderSentAt', 'is', null)
      .where('state', '=', 'verified')
      .returning('id')
      .executeTakeFirst();
    if (!updated) continue;
    result.changed++;
    const org = vetting.legalName ?? vetting.organizationName;
    const subject = t('vetting.mail.reminder.subject', { org });
    const text = t('vetting.mail.reminder.body', {
      org,
      date: t.date(vetting.expiresAt!),
      days: RENEWAL_WINDOW_DAYS,
      url: `${siteBase(app)}/buyer/verification?org=${encodeURIComponent(vetting.organizationId)}`,
    });
    await mailManagers(app, vetting.organizationId, subject, text, result);
  }
  return result;
}

/** Verifications that have lapsed: the state machine's `expire`, recorded, and the buyer told. */
export async function expireVettings(services: Services, now = new Date()): Promise<JobResult> {
  const app = vettingServices(services);
  const t = useTranslations();
  const result: JobResult = { changed: 0, sent: 0, failed: 0 };
  for (const vetting of await lapsedVettings(app.db, now)) {
    const check = checkVettingMove('verified', 'expire', 'system');
    if (!check.ok) continue;
    const moved = await app.db.transaction().execute(async (tx) => {
      const updated = await updateVettingFrom(tx, vetting.id, 'verified', { state: check.to }, now);
      if (!updated) return false;
      await recordVettingMove(tx, {
        vettingId: vetting.id,
        move: 'expire',
        from: 'verified',
        to: check.to,
        actor: null,
        reason: null,
        at: now,
        audit: {
          action: 'vetting-decided',
          details: {
            move: 'expire',
            from: 'verified',
            to: check.to,
            expiresAt: vetting.expiresAt?.toISOString() ?? null,
            organizationId: vetting.organizationId,
          },
        },
      });
      return true;
    });
    if (!moved) continue;
    result.changed++;
    const org = vetting.legalName ?? vetting.organizationName;
    const subject = t('vetting.mail.expired.subject', { org });
    const text = t('vetting.mail.expired.body', {
      org,
      url: `${siteBase(app)}/buyer/verification?org=${encodeURIComponent(vetting.organizationId)}`,
    });
    await mailManagers(app, vetting.organizationId, subject, text, result);
  }
  return result;
}

export interface RescreenResult extends JobResult {
  screened: number;
  /** Vettings with candidates their stored evidence did not have. */
  flagged: string[];
}

/**
 * After a list re-import: screens every open request and standing verification again with the
 * organization's current names, stores the new evidence (earlier screenings kept in its
 * history), and when candidates appear that the stored evidence did not have, sets `newMatches`
 * and emails the officers covering the buyer's country (and the officer who decided it).
 */
export async function rescreenVerified(services: Services, now = new Date()): Promise<RescreenResult> {
  const app = vettingServices(services);
  const result: RescreenResult = { changed: 0, sent: 0, failed: 0, screened: 0, flagged: [] };
  const minScore = minScoreOf(app);
  for (const vetting of await vettingsToRescreen(app.db, now)) {
    const one = await rescreenVetting(app, vetting, minScore, now);
    result.screened++;
    if (one.changed) result.changed++;
    if (one.flagged) result.flagged.push(vetting.id);
    result.sent += one.sent;
    result.failed += one.failed;
  }
  return result;
}
