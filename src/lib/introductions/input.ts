import { z } from 'zod';
import { DEPLOYMENT_MODELS } from '../../../db/schema/package.ts';
import type { Translator } from '../../i18n/index.ts';

/** Longest free text accepted (needs, notes, messages). */
export const MAX_TEXT = 4000;
export const MAX_SHORT = 200;

export const BUDGET_BANDS = ['under-1m', '1m-10m', '10m-50m', '50m-250m', 'over-250m', 'undecided'] as const;
export const DEPLOYMENT_CHOICES = [...DEPLOYMENT_MODELS, 'no-preference'] as const;

/** The request form's schema, its messages in the asker's language. */
export const introductionRequestInput = (t: Translator) =>
  z.object({
    needs: z
      .string()
      .trim()
      .min(1, t('intro.error.needs'))
      .max(MAX_TEXT, t('intro.error.tooLong', { max: MAX_TEXT })),
    timeline: z
      .string()
      .trim()
      .min(1, t('intro.error.timeline'))
      .max(MAX_SHORT, t('intro.error.tooLong', { max: MAX_SHORT })),
    budgetBand: z.enum(BUDGET_BANDS, { error: t('intro.error.budgetBand') }),
    deploymentModel: z.enum(DEPLOYMENT_CHOICES, { error: t('intro.error.deploymentModel') }),
    financingInterest: z.enum(['yes', 'no'], { error: t('intro.error.financingInterest') }).transform((v) => v === 'yes'),
    participants: z
      .string()
      .trim()
      .max(MAX_TEXT, t('intro.error.tooLong', { max: MAX_TEXT })),
  });
