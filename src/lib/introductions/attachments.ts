import { insertIntroductionAttachment } from '../../../db/queries/introductions.ts';
import { useTranslations, type Translator } from '../../i18n/index.ts';
import { MAX_ATTACHMENT_BYTES } from '../files/index.ts';
import { takeAttachment, type Intake } from '../files/intake.ts';
import { introductionAccess } from './access.ts';
import { auditIntroduction } from './record.ts';
import { fail, type IntroductionResult, type IntroductionServices, type IntroductionUser } from './services.ts';

/** A PDF added to the introduction by one of its sides (the rules, limits and quotas of proposal attachments). */
export async function addIntroductionAttachment(
  app: IntroductionServices,
  intake: Omit<Intake, 'db' | 't'>,
  actor: IntroductionUser,
  id: string,
  request: Request,
  t: Translator = useTranslations(),
): Promise<IntroductionResult<{ id: string; attachmentId: string }>> {
  const access = await introductionAccess(app, actor, id);
  if (!access) return fail(404, { form: t('intro.error.notFound') });
  const { intro, side } = access;
  const messages = {
    none: t('intro.attachments.error.none'),
    notPdf: t('intro.attachments.error.notPdf'),
    tooLarge: t('intro.attachments.error.tooLarge', { max: MAX_ATTACHMENT_BYTES / 1024 / 1024 }),
  };
  const outcome = await takeAttachment(
    { ...intake, db: app.db, t },
    request,
    { type: 'introduction', id: intro.id },
    actor.id,
    messages,
    async (tx, file) => {
      await insertIntroductionAttachment(tx, {
        id: file.id,
        ownerId: intro.id,
        filename: file.filename,
        size: file.size,
        sha256: file.sha256,
        storageKey: file.storageKey,
        uploadedBy: actor.id,
      });
      await auditIntroduction(tx, intro.id, actor, 'attachment-added', {
        attachmentId: file.id,
        filename: file.filename,
        size: file.size,
        sha256: file.sha256,
        side,
      });
    },
  );
  if (!outcome.ok) {
    const failure = fail(outcome.status, { file: outcome.message });
    return outcome.retryAfter ? { ...failure, retryAfter: outcome.retryAfter } : failure;
  }
  return { ok: true, id: intro.id, attachmentId: outcome.id };
}
