import type { AppServices } from '../server/bootstrap.ts';
import { authPost, validate, type FieldErrors } from '../server/forms.ts';
import { createOrganizationFor } from '../auth/users.ts';
import { CLIENT_IP_HEADER, sendExistingAccountNotice } from '../auth/index.ts';
import { recordAudit } from '../../../db/queries/audit.ts';
import { useTranslations, type Translator } from '../../i18n/index.ts';
import { signUpInput } from './schemas.ts';

export type SignUpResult = { ok: true; email: string } | { ok: false; status: number; errors: FieldErrors };

/** better-auth's codes for a refused password (length); the policy's own is PASSWORD_POLICY. */
const PASSWORD_CODES = /^PASSWORD_|^INVALID_PASSWORD$/;

/**
 * Self sign-up, as a buyer or a supplier only (staff accounts are made by administrators):
 * the account (unverified until the emailed link is opened), its site role, and a new
 * organization it owns, with its profile.
 *
 * One address, one account, and the answer never tells whether the address had one (OWASP
 * ASVS V6.3): a sign-up for a taken address gets the same "check your email" answer as a
 * new one, and the owner is mailed a notice instead of a link. better-auth answers a taken
 * address with a made-up account (and mails the notice itself); two sign-ups racing for a
 * new address meet at the unique index, and the one that loses is answered likewise.
 */
export async function signUp(
  app: AppServices,
  input: unknown,
  request: Request,
  /** Where the person was going (a same-site path): the verification link leads back there after sign-in. */
  next?: string,
  /** The request's translator (the messages' language). */
  t: Translator = useTranslations(),
): Promise<SignUpResult> {
  const checked = validate(signUpInput(t), input);
  if (!checked.ok) return { ok: false, status: 400, errors: checked.errors };
  const { kind, name, email, password, ...profile } = checked.data;
  const created = await authPost<{ user: { id: string } }>(app, request, '/sign-up/email', {
    name,
    email,
    password,
    callbackURL: `/account/sign-in?verified=1${next ? `&next=${encodeURIComponent(next)}` : ''}`,
  });
  if (!created.ok) {
    if (created.status === 429)
      return { ok: false, status: 429, errors: { form: t('signIn.rateLimited', { seconds: created.retryAfter ?? 60 }) } };
    if (created.code === 'FAILED_TO_CREATE_USER' || created.code.startsWith('USER_ALREADY_EXISTS')) {
      const owner = await app.db.selectFrom('user').select(['email', 'name']).where('email', '=', email).executeTakeFirst();
      if (owner) {
        await recordAudit(app.db, {
          action: 'sign-up-duplicate',
          actorEmail: email,
          ipAddress: request.headers.get(CLIENT_IP_HEADER),
          details: { race: true },
        });
        await sendExistingAccountNotice(app.mailer, app.config.siteUrl, owner, t);
        return { ok: true, email };
      }
    }
    const status = created.status >= 400 && created.status < 500 ? created.status : 400;
    if (PASSWORD_CODES.test(created.code)) return { ok: false, status, errors: { password: created.message } };
    return { ok: false, status, errors: { form: t('signUp.failed') } };
  }
  const userId = created.value.user.id;
  const real = await app.db
    .selectFrom('user')
    .select('id')
    .where('id', '=', userId)
    .where('email', '=', email)
    .executeTakeFirst();
  // A made-up account: the address was taken, its owner has been told.
  if (!real) return { ok: true, email };
  await app.db.updateTable('user').set({ role: kind }).where('id', '=', userId).execute();
  await createOrganizationFor(app.db, userId, kind, profile);
  return { ok: true, email };
}
