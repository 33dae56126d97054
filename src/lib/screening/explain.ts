import { useTranslations, type MessageKey, type Translator } from '../../i18n/index.ts';
import type { CandidateExplanation } from './match.ts';

const signed = (n: number) => (n > 0 ? `+${n}` : String(n)).replace('+-', '-');

/**
 * The explanation of a candidate as one readable paragraph, in the translator's language. It is
 * kept with the screening evidence, which is English (the default) unless the caller asks otherwise.
 */
export function explain(
  query: string,
  alias: string,
  e: Omit<CandidateExplanation, 'text'>,
  t: Translator = useTranslations(),
): string {
  const parts: string[] = [];
  parts.push(
    e.exact ? t('screening.explain.exact', { query, alias }) : t('screening.explain.pair', { query, alias, score: e.nameScore }),
  );
  if (e.matches.length) {
    parts.push(
      t('screening.explain.matched', {
        words: e.matches
          .map((m) =>
            t('screening.explain.match', {
              query: m.query.join(' '),
              alias: m.alias.join(' '),
              how: t(`screening.how.${m.how}` as MessageKey),
              weight: m.weight,
            }),
          )
          .join('; '),
      }),
    );
  }
  const words = (list: { word: string; weight: number }[]) =>
    list.map((w) => t('screening.explain.word', { word: w.word, weight: w.weight })).join(', ');
  if (e.unmatchedQuery.length) parts.push(t('screening.explain.unmatchedQuery', { words: words(e.unmatchedQuery) }));
  if (e.unmatchedAlias.length) parts.push(t('screening.explain.unmatchedAlias', { words: words(e.unmatchedAlias) }));
  if (e.setAside.length) parts.push(t('screening.explain.setAside', { words: [...new Set(e.setAside)].join(', ') }));
  if (e.country) {
    parts.push(
      t(e.country.effect === 'match' ? 'screening.explain.countryMatch' : 'screening.explain.countryMismatch', {
        party: e.country.party,
        entry: e.country.entry.join(', '),
        delta: e.country.effect === 'match' ? e.country.delta : signed(e.country.delta),
      }),
    );
  }
  if (e.identifier) {
    parts.push(
      t('screening.explain.identifier', {
        number: e.identifier.number,
        type: e.identifier.type ? ` (${e.identifier.type})` : '',
        delta: e.identifier.delta,
      }),
    );
  }
  return parts.join(' ');
}
