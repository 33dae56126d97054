import { z } from 'zod';
import { OrganizationProfileInput } from '../../../db/schema/organization-profile.ts';
import type { MessageKey, Translator } from '../../i18n/index.ts';
import { MAX_PASSWORD_LENGTH, passwordProblem } from '../auth/password-policy.ts';
import { isCountryCode } from '../reference/index.ts';

// The schemas are made per request, with the request's translator (`ctx.t`), so that their
// messages are in the reader's language.

export function emailSchema(t: Translator) {
  return z
    .string({ error: t('field.required', { field: t('field.email').toLowerCase() }) })
    .trim()
    .toLowerCase()
    .min(1, t('field.required', { field: t('field.email').toLowerCase() }))
    .max(254)
    .pipe(z.email(t('field.email.invalid')));
}

/** A new password, checked against the policy (length, breached list, repetition, own email). */
export const NewPassword = z.string().max(MAX_PASSWORD_LENGTH * 4);

export function passwordError(t: Translator, password: string, email?: string): string | undefined {
  const problem = passwordProblem(password, { email });
  return problem ? t(`password.${problem}` as MessageKey) : undefined;
}

export function signUpInput(t: Translator) {
  return z
    .object({
      kind: z.enum(['buyer', 'supplier'], { error: t('signUp.as.invalid') }),
      name: z
        .string({ error: t('field.required', { field: t('field.name').toLowerCase() }) })
        .trim()
        .min(1, t('field.required', { field: t('field.name').toLowerCase() }))
        .max(200),
      email: emailSchema(t),
      password: z.string({ error: t('password.too-short') }).superRefine((password, ctx) => {
        const message = passwordError(t, password);
        if (message) ctx.addIssue({ code: 'custom', message });
      }),
    })
    .and(
      OrganizationProfileInput.extend({
        country: z.string({ error: t('signUp.country.invalid') }).refine(isCountryCode, t('signUp.country.invalid')),
      }),
    )
    .superRefine((value, ctx) => {
      const message = passwordError(t, value.password, value.email);
      if (message) ctx.addIssue({ code: 'custom', path: ['password'], message });
    });
}
export type SignUpInput = z.infer<ReturnType<typeof signUpInput>>;

export function signInInput(t: Translator) {
  return z.object({
    email: emailSchema(t),
    password: z
      .string({ error: t('field.required', { field: t('field.password').toLowerCase() }) })
      .min(1, t('field.required', { field: t('field.password').toLowerCase() }))
      .max(1024),
  });
}

export function codeInput(t: Translator) {
  return z.object({
    code: z
      .string({ error: t('field.code.invalid') })
      .trim()
      .regex(/^(\d{6}|[A-Za-z0-9-]{8,20})$/, t('field.code.invalid')),
    trust: z.string().optional(),
  });
}
