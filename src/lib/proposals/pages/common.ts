import type { Translator } from '../../../i18n/index.ts';

/** A proposal's title as its pages show it: the draft's, or "Untitled proposal". */
export function proposalTitle(draft: Record<string, unknown>, t: Translator): string {
  return typeof draft.title === 'string' && draft.title.trim() ? draft.title : t('proposals.untitled');
}
