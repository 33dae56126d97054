import { PROPOSAL_STATES, type ProposalState } from '../proposals/state.ts';
import { isCountryCode } from '../reference/index.ts';
import { useTranslations, type Translator } from '../../i18n/index.ts';

/** The states a proposal in the queue can be in (never a draft). */
export const QUEUE_STATES = PROPOSAL_STATES.filter((s) => s !== 'draft');

export interface QueueQuery {
  state?: Exclude<ProposalState, 'draft'> | undefined;
  sector?: string | undefined;
  country?: string | undefined;
}

export interface QueueProblem {
  field: 'state' | 'sector' | 'country';
  message: string;
}

/** The queue's filters from the query string; an unknown value is a problem (400), not ignored. */
export function parseQueueQuery(
  params: URLSearchParams,
  sectors: { has(slug: string): boolean },
  t: Translator = useTranslations(),
): { query: QueueQuery; problems: QueueProblem[] } {
  const query: QueueQuery = {};
  const problems: QueueProblem[] = [];
  const one = (name: string) => {
    const all = params.getAll(name);
    return all.length > 1 ? null : (all[0] ?? '').trim();
  };
  const state = one('state');
  if (state === null || (state && !(QUEUE_STATES as readonly string[]).includes(state)))
    problems.push({ field: 'state', message: t('review.filter.error.state') });
  else if (state) query.state = state as QueueQuery['state'];
  const sector = one('sector');
  if (sector === null || (sector && (sector.length > 80 || !sectors.has(sector))))
    problems.push({ field: 'sector', message: t('review.filter.error.sector') });
  else if (sector) query.sector = sector;
  const country = one('country');
  if (country === null || (country && !isCountryCode(country.toUpperCase())))
    problems.push({ field: 'country', message: t('review.filter.error.country') });
  else if (country) query.country = country.toUpperCase();
  return { query, problems };
}

/** Whole days from `since` to `now`. */
export function ageInDays(since: Date | string | null | undefined, now = new Date()): number | undefined {
  if (!since) return undefined;
  return Math.max(0, Math.floor((now.getTime() - new Date(since).getTime()) / 86_400_000));
}
