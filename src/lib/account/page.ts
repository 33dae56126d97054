import QRCode from 'qrcode';
import { z } from 'zod';
import { recordAudit } from '../../../db/queries/audit.ts';
import { listMembershipsOf, type MembershipSummary } from '../../../db/queries/organizations.ts';
import { listUserSessions } from '../../../db/queries/users.ts';
import { isStaff } from '../server/access.ts';
import { authCall, authPost, formObject, redirectWithCookies, safeNext, validate, type FieldErrors } from '../server/forms.ts';
import { redirect, refuse, type PageContext, type PageModule, type Refusal } from '../server/page.ts';
import { deleteAccount, exportUserData } from './data.ts';
import { codeInput, emailSchema, passwordError, signInInput } from './schemas.ts';
import { sessionToken } from './sessions.ts';
import { signUp } from './sign-up.ts';

/** The error summary of a page whose fields' ids are their names. */
const summaryOf = (errors: FieldErrors, href: (field: string) => string = (f) => `#${f}`) =>
  Object.entries(errors).map(([field, message]) => ({ href: href(field), message }));

const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** "Enter your current password". */
const currentPasswordRequired = (ctx: PageContext) =>
  ctx.t('field.required', { field: ctx.t('field.currentPassword').toLowerCase() });

/** /account: who the viewer is, their organizations, and the account's sections. */
export const accountPage: PageModule<{ memberships: MembershipSummary[] }> = {
  async load(ctx) {
    return { memberships: await listMembershipsOf(ctx.app.db, ctx.viewer!.id) };
  },
};

export interface FormModel {
  values: Record<string, unknown>;
  errors: FieldErrors;
  summary: { href: string; message: string }[];
}

function formModel(refusal: Refusal | undefined, values: Record<string, unknown> = {}, href?: (field: string) => string) {
  const errors = refusal?.errors ?? {};
  return { values: refusal?.values ?? values, errors, summary: summaryOf(errors, href) };
}

export interface SignInModel extends FormModel {
  next: string;
  notice: string | undefined;
}

/** /account/sign-in: email and password; then the second step for accounts with two-factor sign-in. */
export const signInPage: PageModule<SignInModel> = {
  async load(ctx, refusal) {
    const { t } = ctx;
    const has = (name: string) => ctx.url.searchParams.has(name);
    return {
      ...formModel(refusal, {}, (field) => `#${field === 'form' ? 'email' : field}`),
      next: safeNext(ctx.url.searchParams.get('next')),
      notice: has('verified')
        ? t('signIn.verified')
        : has('expired')
          ? t('signIn.expired')
          : has('reset')
            ? t('reset.done')
            : has('deleted')
              ? t('data.deleted')
              : undefined,
    };
  },
  async post(ctx, form) {
    const { t } = ctx;
    const values = formObject(form);
    const checked = validate(signInInput(t), values);
    if (!checked.ok) return refuse(400, checked.errors, { values });
    const result = await authPost<{ twoFactorRedirect?: boolean }>(ctx.app, ctx.request, '/sign-in/email', {
      ...checked.data,
      callbackURL: '/account/sign-in?verified=1',
    });
    const next = safeNext(ctx.url.searchParams.get('next'));
    if (result.ok) {
      const target = result.value?.twoFactorRedirect ? `/account/two-factor/verify?next=${encodeURIComponent(next)}` : next;
      return redirectWithCookies(target, result.headers);
    }
    const retry = result.retryAfter ?? 60;
    if (result.status === 429) ctx.response.headers.set('Retry-After', String(retry));
    const message =
      result.status === 429
        ? t('signIn.rateLimited', { seconds: retry })
        : result.code === 'EMAIL_NOT_VERIFIED'
          ? t('signIn.unverified')
          : result.code === 'BANNED_USER' || result.status === 403
            ? t('signIn.banned')
            : t('signIn.failed');
    return refuse(result.status === 429 ? 429 : result.status === 403 ? 403 : 401, { form: message }, { values });
  },
};

export interface SignUpModel extends FormModel {
  /** The address the verification link went to (the "check your email" answer). */
  sent: string | null;
  /** Where the visitor was going (a package page): kept through sign-up, verification and sign-in. */
  next: string | undefined;
}

const SIGN_UP_ORDER = [
  'kind',
  'name',
  'email',
  'password',
  'legalName',
  'country',
  'organizationType',
  'registrationNumber',
  'website',
  'form',
];

const nextOf = (ctx: PageContext) => {
  const next = ctx.url.searchParams.get('next');
  return next ? safeNext(next) : undefined;
};

/** /account/sign-up: a buyer or a supplier account, with its organization. */
export const signUpPage: PageModule<SignUpModel> = {
  async load(ctx, refusal) {
    const errors = refusal?.errors ?? {};
    return {
      values: refusal?.values ?? { kind: ctx.url.searchParams.get('as') ?? '' },
      errors,
      summary: Object.entries(errors)
        .sort(([a], [b]) => SIGN_UP_ORDER.indexOf(a) - SIGN_UP_ORDER.indexOf(b))
        .map(([field, message]) => ({ href: `#${field === 'kind' ? 'kind-buyer' : field}`, message })),
      sent: ctx.url.searchParams.get('sent'),
      next: nextOf(ctx),
    };
  },
  async post(ctx, form) {
    const values = formObject(form, ['sectors']);
    const next = nextOf(ctx);
    const result = await signUp(ctx.app, values, ctx.request, next, ctx.t);
    if (!result.ok) return refuse(result.status, result.errors, { values });
    return redirect(
      `/account/sign-up?sent=${encodeURIComponent(result.email)}${next ? `&next=${encodeURIComponent(next)}` : ''}`,
    );
  },
};

/** /account/forgot-password: asks for a reset link; the same answer whether or not the account exists. */
export const forgotPasswordPage: PageModule<FormModel & { sent: string | null }> = {
  async load(ctx, refusal) {
    return { ...formModel(refusal), sent: ctx.url.searchParams.get('sent') };
  },
  async post(ctx, form) {
    const values = formObject(form);
    const checked = validate(z.object({ email: emailSchema(ctx.t) }), values);
    if (!checked.ok) return refuse(400, checked.errors, { values });
    const result = await authPost(ctx.app, ctx.request, '/request-password-reset', {
      email: checked.data.email,
      redirectTo: '/account/reset-password',
    });
    if (!result.ok && result.status === 429)
      return refuse(429, { email: ctx.t('signIn.rateLimited', { seconds: 300 }) }, { values });
    // The same answer whether or not the account exists.
    return redirect(`/account/forgot-password?sent=${encodeURIComponent(checked.data.email)}`);
  },
};

// Reached from the emailed link (better-auth checks the token and adds it to this address).
const resetToken = (ctx: PageContext) => {
  const token = ctx.url.searchParams.get('token') ?? '';
  return !/^[A-Za-z0-9_-]{8,200}$/.test(token) || ctx.url.searchParams.has('error') ? undefined : token;
};

/** /account/reset-password: a new password, from the emailed link (400 when the link is not one). */
export const resetPasswordPage: PageModule<FormModel & { invalidLink: boolean }> = {
  async load(ctx, refusal) {
    const invalidLink = resetToken(ctx) === undefined;
    if (invalidLink) ctx.response.status = 400;
    return { ...formModel(refusal), invalidLink };
  },
  async post(ctx, form) {
    const token = resetToken(ctx);
    // The page says the link is not valid (400); nothing is sent.
    if (token === undefined) return refuse(400, {});
    const newPassword = str(formObject(form).newPassword);
    const problem = passwordError(ctx.t, newPassword);
    if (problem) return refuse(400, { newPassword: problem });
    const result = await authPost(ctx.app, ctx.request, '/reset-password', { newPassword, token });
    if (result.ok) return redirect('/account/sign-in?reset=1');
    return refuse(400, { newPassword: result.code === 'PASSWORD_POLICY' ? result.message : ctx.t('reset.invalid') });
  },
};

export interface SecurityModel extends FormModel {
  sessions: Awaited<ReturnType<typeof listUserSessions>>;
  /** `1` or `all` after a password change (all: the other sessions were ended too). */
  changed: string | null;
  emailSent: string | null;
  revoked: boolean;
}

/** /account/security: password, email address and sessions; each change asks for the current password first. */
export const securityPage: PageModule<SecurityModel> = {
  async load(ctx, refusal) {
    const params = ctx.url.searchParams;
    return {
      ...formModel(refusal),
      sessions: await listUserSessions(ctx.app.db, ctx.viewer!.id),
      changed: params.get('changed'),
      emailSent: params.get('emailSent'),
      revoked: params.has('revoked'),
    };
  },
  async post(ctx, form) {
    const { app, t } = ctx;
    const user = ctx.viewer!;
    const values = formObject(form);
    const currentPassword = str(values.currentPassword);
    const errors: FieldErrors = {};
    if (values.action === 'password') {
      if (!currentPassword) errors.currentPassword = currentPasswordRequired(ctx);
      const problem = passwordError(t, str(values.newPassword), user.email);
      if (problem) errors.newPassword = problem;
      if (!Object.keys(errors).length) {
        const revokeOtherSessions = values.revokeOthers === 'yes';
        const result = await authPost(app, ctx.request, '/change-password', {
          currentPassword,
          newPassword: str(values.newPassword),
          revokeOtherSessions,
        });
        if (result.ok)
          return redirectWithCookies(`/account/security?changed=${revokeOtherSessions ? 'all' : '1'}`, result.headers);
        errors.currentPassword = result.status === 429 ? t('signIn.rateLimited', { seconds: 300 }) : t('reauth.wrong');
      }
    } else if (values.action === 'email') {
      const checked = validate(z.object({ newEmail: emailSchema(t) }), { newEmail: values.newEmail });
      if (!checked.ok) errors.newEmail = checked.errors.newEmail ?? t('field.email.invalid');
      if (!currentPassword) errors.emailPassword = currentPasswordRequired(ctx);
      if (checked.ok && currentPassword) {
        const verified = await authPost(app, ctx.request, '/verify-password', { password: currentPassword });
        if (!verified.ok) errors.emailPassword = t('reauth.wrong');
        else {
          const result = await authPost(app, ctx.request, '/change-email', {
            newEmail: checked.data.newEmail,
            callbackURL: '/account?email=changed',
          });
          if (result.ok) return redirect(`/account/security?emailSent=${encodeURIComponent(checked.data.newEmail)}`);
          errors.newEmail = result.message;
        }
      }
    } else if (values.action === 'revoke' && typeof values.id === 'string') {
      const token = await sessionToken(app.db, user.id, values.id);
      if (token) await authCall(() => app.auth.api.revokeSession({ body: { token }, headers: ctx.headers }));
      return redirect('/account/security');
    } else if (values.action === 'everywhere') {
      await authCall(() => app.auth.api.revokeOtherSessions({ headers: ctx.headers }));
      return redirect('/account/security?revoked=1');
    } else {
      errors.form = t('errors.summary');
    }
    return refuse(Object.values(errors).includes(t('reauth.wrong')) ? 401 : 400, errors, { values });
  },
};

export interface TwoFactorSetup {
  secret: string;
  uri: string;
  backupCodes: string[];
}

export interface TwoFactorModel {
  enabled: boolean;
  errors: FieldErrors;
  /** Turning it on: the key to enter in the authenticator app (after the password was given). */
  setup: TwoFactorSetup | undefined;
  /** The key in groups of four letters, to read and type. */
  keyGroups: string[];
  /** The key as a QR code for the authenticator app to scan (an SVG made on the server). */
  qr: string | undefined;
  /** Backup codes just made. */
  newCodes: string[] | undefined;
  /** Sent here because staff must set it up. */
  required: boolean;
  /** Staff may not turn it off. */
  staff: boolean;
  notice: string | undefined;
}

/**
 * /account/two-factor: set up (password, then a code from the app), backup codes, turn off. A
 * post that shows the next step (the key, new backup codes) answers 200 with the page again.
 */
export const twoFactorPage: PageModule<TwoFactorModel> = {
  async load(ctx, refusal) {
    const setup = refusal?.values?.setup as TwoFactorSetup | undefined;
    const params = ctx.url.searchParams;
    return {
      enabled: ctx.viewer!.twoFactorEnabled,
      errors: refusal?.errors ?? {},
      setup,
      keyGroups: setup?.secret.match(/.{1,4}/g) ?? [],
      qr: setup
        ? `data:image/svg+xml;base64,${Buffer.from(await QRCode.toString(setup.uri, { type: 'svg', margin: 1 })).toString('base64')}`
        : undefined,
      newCodes: refusal?.values?.newCodes as string[] | undefined,
      required: params.has('required'),
      staff: isStaff(ctx.viewer!.role),
      notice: params.has('on') ? ctx.t('twoFactor.setup.on') : params.has('off') ? ctx.t('twoFactor.setup.off') : undefined,
    };
  },
  async post(ctx, form) {
    const { app, t } = ctx;
    const values = formObject(form);
    const action = values.action;
    const password = str(values.password);
    if (action === 'start' || action === 'disable' || action === 'backup') {
      if (!password) return refuse(400, { password: currentPasswordRequired(ctx) });
      if (action === 'start') {
        const result = await authPost<{ totpURI: string; backupCodes: string[] }>(app, ctx.request, '/two-factor/enable', {
          password,
        });
        if (!result.ok || !result.value?.totpURI) return refuse(400, { password: t('reauth.wrong') });
        const uri = result.value.totpURI;
        const setup = { uri, secret: new URL(uri).searchParams.get('secret') ?? '', backupCodes: result.value.backupCodes };
        return refuse(200, {}, { values: { setup } });
      }
      if (action === 'disable') {
        if (isStaff(ctx.viewer!.role)) return refuse(403, { password: t('twoFactor.disable.staff') });
        const result = await authPost(app, ctx.request, '/two-factor/disable', { password });
        if (result.ok) return redirectWithCookies('/account/two-factor?off=1', result.headers);
        return refuse(400, { password: t('reauth.wrong') });
      }
      const result = await authPost<{ backupCodes: string[] }>(app, ctx.request, '/two-factor/generate-backup-codes', {
        password,
      });
      if (!result.ok) return refuse(400, { password: t('reauth.wrong') });
      return refuse(200, {}, { values: { newCodes: result.value?.backupCodes } });
    }
    if (action === 'verify') {
      const code = str(values.code).trim();
      const result = /^\d{6}$/.test(code) ? await authPost(app, ctx.request, '/two-factor/verify-totp', { code }) : undefined;
      if (result?.ok) return redirectWithCookies('/account/two-factor?on=1', result.headers);
      // Show the same key again: it was stored by the first step.
      const secret = str(values.secret);
      const uri = str(values.uri);
      const setup = secret && uri.startsWith('otpauth://') ? { secret, uri, backupCodes: [] } : undefined;
      return refuse(400, { code: t('twoFactor.failed') }, { values: { setup } });
    }
    return refuse(400, { form: t('errors.summary') });
  },
};

/** /account/two-factor/verify: the second step of sign-in, a TOTP code or a backup code. */
export const twoFactorVerifyPage: PageModule<FormModel & { next: string }> = {
  async load(ctx, refusal) {
    return {
      ...formModel(refusal, {}, (field) => `#${field === 'form' ? 'code' : field}`),
      next: safeNext(ctx.url.searchParams.get('next')),
    };
  },
  async post(ctx, form) {
    const checked = validate(codeInput(ctx.t), formObject(form));
    if (!checked.ok) return refuse(400, checked.errors);
    const { code, trust } = checked.data;
    const result = await authPost(
      ctx.app,
      ctx.request,
      /^\d{6}$/.test(code) ? '/two-factor/verify-totp' : '/two-factor/verify-backup-code',
      { code, trustDevice: trust === 'yes' },
    );
    if (result.ok) return redirectWithCookies(safeNext(ctx.url.searchParams.get('next')), result.headers);
    return refuse(result.status === 429 ? 429 : 401, {
      code: result.status === 429 ? ctx.t('signIn.rateLimited', { seconds: 60 }) : ctx.t('twoFactor.failed'),
    });
  },
};

/** /account/data: the download of one's data, and deleting the account (after the password and "DELETE"). */
export const accountDataPage: PageModule<FormModel> = {
  async load(_ctx, refusal) {
    return formModel(refusal);
  },
  async post(ctx, form) {
    const { app, t } = ctx;
    const values = formObject(form);
    const password = str(values.password);
    const errors: FieldErrors = {};
    if (values.confirm !== 'DELETE') errors.confirm = t('data.delete.confirm.invalid');
    if (!password) errors.password = currentPasswordRequired(ctx);
    if (Object.keys(errors).length) return refuse(400, errors, { values });
    const verified = await authPost(app, ctx.request, '/verify-password', { password });
    if (!verified.ok) return refuse(401, { password: t('reauth.wrong') }, { values });
    const outcome = await deleteAccount(app.db, ctx.viewer!.id, ctx.clientIp);
    if (!outcome.ok) return refuse(400, { confirm: t('data.delete.owner', { org: outcome.organization }) }, { values });
    const cleared = new Headers();
    const prefix = app.config.production ? '__Host-aix' : 'aix';
    for (const name of ['session_token', 'session_data', 'dont_remember']) {
      cleared.append(
        'set-cookie',
        `${prefix}.${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${app.config.production ? '; Secure' : ''}`,
      );
    }
    return redirectWithCookies('/account/sign-in?deleted=1', cleared);
  },
};

/** The signed-in person's data as a JSON download (GET /account/data/export.json); the export is audited. */
export async function exportDownload(ctx: Pick<PageContext, 'app' | 'viewer' | 'clientIp'>): Promise<Response> {
  const user = ctx.viewer!;
  const data = await exportUserData(ctx.app.db, user.id);
  await recordAudit(ctx.app.db, {
    action: 'data-exported',
    actorId: user.id,
    actorEmail: user.email,
    subjectType: 'user',
    subjectId: user.id,
    ipAddress: ctx.clientIp,
  });
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="aiexports-data-${new Date().toISOString().slice(0, 10)}.json"`,
      'cache-control': 'private, no-store',
    },
  });
}
