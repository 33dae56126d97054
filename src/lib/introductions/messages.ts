import { insertIntroductionMessage } from '../../../db/queries/introductions.ts';
import { useTranslations, type MessageKey, type Translator } from '../../i18n/index.ts';
import { sendAll, siteBase } from '../mail/index.ts';
import { introductionAccess } from './access.ts';
import { MAX_TEXT } from './input.ts';
import { othersEmails } from './recipients.ts';
import { auditIntroduction } from './record.ts';
import { fail, text, type IntroductionResult, type IntroductionServices, type IntroductionUser } from './services.ts';

// Refusals are in the asker's language (`t`); the mails to the other sides are in English (their language is not stored).

/** A message of the thread (plain text), by the viewer's side; the other sides are emailed. */
export async function postMessage(
  app: IntroductionServices,
  actor: IntroductionUser,
  id: string,
  input: Record<string, unknown>,
  now = new Date(),
  t: Translator = useTranslations(),
): Promise<IntroductionResult<{ id: string }>> {
  const access = await introductionAccess(app, actor, id);
  if (!access) return fail(404, { form: t('intro.error.notFound') });
  const { intro, side } = access;
  const body = text(input.body).replace(/\r\n/g, '\n').trim();
  if (!body) return fail(400, { body: t('intro.error.message') });
  if (body.length > MAX_TEXT) return fail(400, { body: t('intro.error.tooLong', { max: MAX_TEXT }) });
  await app.db.transaction().execute(async (tx) => {
    const messageId = await insertIntroductionMessage(tx, {
      introductionId: intro.id,
      authorId: actor.id,
      side,
      body,
      createdAt: now,
    });
    await auditIntroduction(tx, intro.id, actor, 'introduction-message', { messageId, side, length: body.length });
  });
  const english = useTranslations();
  const subject = english('intro.mail.message.subject', { package: intro.packageTitle });
  const mail = english('intro.mail.message.body', {
    side: english(`intro.side.${side}` as MessageKey),
    name: actor.name ?? actor.email,
    package: intro.packageTitle,
    body,
    url: `${siteBase(app)}/introductions/${intro.id}#thread`,
  });
  await sendAll(
    app.mailer,
    (await othersEmails(app, intro, actor, side, intro.state)).map((to) => ({ to, subject, text: mail })),
  );
  return { ok: true, id: intro.id };
}
