import { updateIntroductionFrom, type IntroductionDetail, type IntroductionPatch } from '../../../db/queries/introductions.ts';
import { useTranslations, type MessageKey, type Translator } from '../../i18n/index.ts';
import { sendAll, siteBase } from '../mail/index.ts';
import { introductionAccess, introductionFacts } from './access.ts';
import { MAX_TEXT } from './input.ts';
import { buyerLabel } from './labels.ts';
import { othersEmails } from './recipients.ts';
import { recordIntroductionMove } from './record.ts';
import { fail, text, type IntroductionResult, type IntroductionServices, type IntroductionUser } from './services.ts';
import {
  asIntroductionState,
  checkIntroductionMove,
  isIntroductionMove,
  type IntroductionMove,
  type IntroductionState,
} from './state.ts';

// Refusals are in the asker's language (`t`); the mails to the other sides are in English (their language is not stored).

/**
 * A move of the introduction by the viewer's side, as the state machine allows it, made only if
 * the introduction has not moved meanwhile: the event, the audit entry, the clock of reminders
 * reset, and an email to the other sides concerned.
 */
export async function moveIntroduction(
  app: IntroductionServices,
  actor: IntroductionUser,
  id: string,
  input: Record<string, unknown>,
  now = new Date(),
  t: Translator = useTranslations(),
): Promise<IntroductionResult<{ id: string; state: IntroductionState; move: IntroductionMove }>> {
  const access = await introductionAccess(app, actor, id);
  if (!access) return fail(404, { form: t('intro.error.notFound') });
  const { intro, side } = access;
  if (!isIntroductionMove(input.move)) return fail(400, { move: t('intro.error.move') });
  const move = input.move;
  const note = text(input.note).trim();
  const outcome = text(input.outcome);
  if (note.length > MAX_TEXT) return fail(400, { note: t('intro.error.tooLong', { max: MAX_TEXT }) });
  const from = asIntroductionState(intro.state);
  const check = checkIntroductionMove(from, move, side, { note, outcome, ...introductionFacts(intro) });
  if (!check.ok) {
    switch (check.reason) {
      case 'wrong-actor':
        return fail(403, { move: t('intro.error.wrongSide') });
      case 'note-required':
        return fail(400, { note: t(`intro.error.note.${move}` as MessageKey) });
      case 'outcome-required':
        return fail(400, { outcome: t('intro.error.outcome') });
      case 'no-consortium':
        return fail(409, { form: t('intro.error.noConsortium') });
      default:
        return fail(409, { form: t('intro.error.state') });
    }
  }
  const patch: IntroductionPatch = { state: check.to, waitingSince: now, remindedAt: null };
  if (move === 'take') patch.officerId = actor.id;
  if (move === 'broker') {
    patch.brief = note;
    if (!intro.officerId || actor.role === 'officer') patch.officerId = actor.id;
  }
  if (move === 'accept') patch.meetingProposal = note;
  if (move === 'close') {
    patch.outcome = outcome;
    patch.outcomeNote = note || null;
  }
  const moved = await app.db.transaction().execute(async (tx) => {
    const updated = await updateIntroductionFrom(tx, intro.id, from, patch, now);
    if (!updated) return undefined;
    await recordIntroductionMove(tx, {
      introductionId: intro.id,
      move,
      from,
      to: check.to,
      actor,
      note: note || null,
      at: now,
      audit: {
        action: 'introduction-moved',
        details: {
          move,
          from,
          to: check.to,
          side,
          ...(move === 'close' ? { outcome } : {}),
          ...(note ? { note: note.slice(0, 500) } : {}),
        },
      },
    });
    return updated;
  });
  if (!moved) return fail(409, { form: t('intro.error.state') });
  const after: IntroductionDetail = { ...intro, ...moved };
  const mail = useTranslations();
  const subject = mail('intro.mail.moved.subject', {
    package: intro.packageTitle,
    state: mail(`intro.state.${check.to}` as MessageKey),
  });
  const body = mail('intro.mail.moved.body', {
    buyer: buyerLabel(intro),
    package: intro.packageTitle,
    move: mail(`intro.event.${move}` as MessageKey),
    side: mail(`intro.side.${side}` as MessageKey),
    state: mail(`intro.state.${check.to}` as MessageKey),
    note: move === 'close' ? `${mail(`intro.outcome.${outcome}` as MessageKey)}${note ? `\n\n${note}` : ''}` : note || '—',
    url: `${siteBase(app)}/introductions/${intro.id}`,
  });
  await sendAll(
    app.mailer,
    (await othersEmails(app, after, actor, side, check.to)).map((to) => ({ to, subject, text: body })),
  );
  return { ok: true, id: intro.id, state: check.to, move };
}
