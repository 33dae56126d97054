import { z } from 'zod';
import { OrganizationProfileInput } from '../../../db/schema/organization-profile.ts';
import { useTranslations, type MessageKey } from '../../i18n/index.ts';
import { MAX_PASSWORD_LENGTH, passwordProblem } from '../auth/password-policy.ts';
import { isCountryCode } from '../reference/index.ts';

const t = useTranslations();

export const Email = z
  .string({ error: t('field.required', { field: t('field.email').toLowerCase() }) })
  .trim()
  .toLowerCase()
  .min(1, t('field.required', { field: t('field.email').toLowerCase() }))
  .max(254)
  .pipe(z.email(t('field.email.invalid')));

/** A new password, checked against the policy (length, breached list, repetition, own email). */
export const NewPassword = z.string().max(MAX_PASSWORD_LENGTH * 4);

export function passwordError(password: string, email?: string): string | undefined {
  const problem = passwordProblem(password, { email });
  return problem ? t(`password.${problem}` as MessageKey) : undefined;
}

export const SignUpInput = z
  .object({
    kind: z.enum(['buyer', 'supplier'], { error: t('signUp.as.invalid') }),
    name: z
      .string({ error: t('field.required', { field: t('field.name').toLowerCase() }) })
      .trim()
      .min(1, t('field.required', { field: t('field.name').toLowerCase() }))
      .max(200),
    email: Email,
    password: z.string({ error: t('password.too-short') }).superRefine((password, ctx) => {
      const message = passwordError(password);
      if (message) ctx.addIssue({ code: 'custom', message });
    }),
  })
  .and(
    OrganizationProfileInput.extend({
      country: z.string({ error: t('signUp.country.invalid') }).refine(isCountryCode, t('signUp.country.invalid')),
    }),
  )
  .superRefine((value, ctx) => {
    const message = passwordError(value.password, value.email);
    if (message) ctx.addIssue({ code: 'custom', path: ['password'], message });
  });
export type SignUpInput = z.infer<typeof SignUpInput>;

export const SignInInput = z.object({
  email: Email,
  password: z
    .string({ error: t('field.required', { field: t('field.password').toLowerCase() }) })
    .min(1, t('field.required', { field: t('field.password').toLowerCase() }))
    .max(1024),
});

export const CodeInput = z.object({
  code: z
    .string({ error: t('field.code.invalid') })
    .trim()
    .regex(/^(\d{6}|[A-Za-z0-9-]{8,20})$/, t('field.code.invalid')),
  trust: z.string().optional(),
});
