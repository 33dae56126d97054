import type { AppServices } from '../server/bootstrap.ts';
import { authPost, validate, type FieldErrors } from '../server/forms.ts';
import { createOrganizationFor } from '../auth/users.ts';
import { useTranslations } from '../../i18n/index.ts';
import { SignUpInput } from './schemas.ts';

export type SignUpResult = { ok: true; email: string } | { ok: false; status: number; errors: FieldErrors };

/**
 * Self sign-up, as a buyer or a supplier only (staff accounts are made by administrators):
 * the account (unverified until the emailed link is opened), its site role, and a new
 * organization it owns, with its profile.
 */
export async function signUp(app: AppServices, input: unknown, request: Request): Promise<SignUpResult> {
  const t = useTranslations();
  const checked = validate(SignUpInput, input);
  if (!checked.ok) return { ok: false, status: 400, errors: checked.errors };
  const { kind, name, email, password, ...profile } = checked.data;
  const created = await authPost<{ user: { id: string } }>(app, request, '/sign-up/email', {
    name,
    email,
    password,
    callbackURL: '/account/sign-in?verified=1',
  });
  if (!created.ok) {
    if (created.code === 'USER_ALREADY_EXISTS' || created.code.startsWith('USER_ALREADY_EXISTS')) {
      return { ok: false, status: 409, errors: { email: t('signUp.exists') } };
    }
    if (created.status === 429)
      return { ok: false, status: 429, errors: { form: t('signIn.rateLimited', { seconds: created.retryAfter ?? 60 }) } };
    return {
      ok: false,
      status: created.status >= 400 && created.status < 500 ? created.status : 400,
      errors: { password: created.message },
    };
  }
  const userId = created.value.user.id;
  await app.db.updateTable('user').set({ role: kind }).where('id', '=', userId).execute();
  await createOrganizationFor(app.db, userId, kind, profile);
  return { ok: true, email };
}
