import { useTranslations } from '../../i18n/index.ts';
import { statisticsMinCount } from '../opendata/config.ts';
import type { Cell, Statistics } from '../opendata/schemas.ts';
import type { AppServices } from '../server/bootstrap.ts';
import { ANSWER_TARGET_DAYS, currentStatistics, TAKE_TARGET_DAYS } from './figures.ts';

/** The view model of /statistics: the figures, and a sentence that sums up each chart. */
export async function loadStatisticsPage(app: AppServices) {
  const min = statisticsMinCount();
  const stats = await currentStatistics(app, min);
  const t = useTranslations();
  const show = (cell: Cell | undefined) =>
    !cell ? '0' : cell.withheld ? t('stats.withheld', { min }) : t.number(cell.count ?? 0);

  const ranked = (cells: Cell[]) => {
    const published = cells.filter((c) => !c.withheld && (c.count ?? 0) > 0);
    if (!published.length) return cells.some((c) => c.withheld) ? t('stats.summary.allWithheld') : t('stats.summary.none');
    const first = [...published].sort((a, b) => (b.count ?? 0) - (a.count ?? 0))[0]!;
    return t('stats.summary.ranked', { first: first.label, firstCount: t.number(first.count ?? 0), count: cells.length });
  };

  const months = stats.packages.designatedOverTime;
  const peak = [...months].sort((a, b) => b.designated - a.designated)[0];
  const overTime = months.length
    ? t('stats.summary.overTime', {
        total: t.number(stats.packages.total),
        first: months[0]!.month,
        last: months[months.length - 1]!.month,
        peak: peak!.month,
        peakCount: t.number(peak!.designated),
      })
    : t('stats.summary.none');

  const step = (key: string) => show(stats.introductions.funnel.find((c) => c.key === key));
  const funnel = t('stats.summary.funnel', {
    requested: step('requested'),
    brokered: step('brokered'),
    accepted: step('accepted'),
    meeting: step('meeting-held'),
    outcome: step('outcome'),
  });

  const stageCells: Cell[] = stats.introductions.stages.map((s) => ({
    key: s.key,
    label: s.label,
    count: s.medianBusinessDays,
    withheld: s.withheld,
  }));

  return {
    stats,
    min,
    targets: { take: TAKE_TARGET_DAYS, answer: ANSWER_TARGET_DAYS },
    stageCells,
    summaries: {
      overTime,
      bySector: ranked(stats.packages.bySector),
      byRegion: ranked(stats.packages.byRegion),
      byLayer: ranked(stats.packages.byLayer),
      byFinancing: ranked(stats.packages.byFinancing),
      funnel,
      ended: ranked(stats.introductions.ended),
      outcomes: ranked(stats.introductions.outcomes),
      stages: t('stats.summary.stages', { take: TAKE_TARGET_DAYS, answer: ANSWER_TARGET_DAYS }),
      buyers: `${t('stats.summary.buyers', { verified: show(stats.buyers.verified) })} ${ranked(stats.buyers.byRegion)}`,
    },
  };
}
