import type { MessageKey, Translator } from '../../i18n/index.ts';
import { isOutcome } from './state.ts';

/** An outcome's name in the reader's language, or a dash. */
export function outcomeLabel(outcome: string | null, t: Translator): string {
  return isOutcome(outcome) ? t(`intro.outcome.${outcome}` as MessageKey) : '—';
}

/** The buyer as introductions name it: its legal name, else its name on the site. */
export function buyerLabel(intro: { buyerLegalName: string | null; buyerName: string }): string {
  return intro.buyerLegalName ?? intro.buyerName;
}
