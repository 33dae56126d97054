import type { MessageKey, Translator } from '../../i18n/index.ts';
import { statisticsMinCount } from '../opendata/config.ts';
import type { Cell, Statistics } from '../opendata/schemas.ts';
import type { AppServices } from '../server/bootstrap.ts';
import type { PageModule } from '../server/page.ts';
import { ANSWER_TARGET_DAYS, currentStatistics, TAKE_TARGET_DAYS } from './figures.ts';

/** One chart of /statistics: a bar chart of cells, or the line of designations over time. */
export type Figure = { id: string; title: string; summary: string; csvHref: string } & (
  { kind: 'bar'; cells: Cell[] } | { kind: 'line'; points: Statistics['packages']['designatedOverTime'] }
);

/** The view model of /statistics: the figures, and a sentence that sums up each chart. */
export async function loadStatisticsPage(app: AppServices, t: Translator) {
  const min = statisticsMinCount();
  const stats = await currentStatistics(app, min, t);
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

  const csvHref = (figure: string) => `/statistics.csv?figure=${figure}`;
  // A bar chart titled by its figure's name, with its CSV (`csv` when it is part of another figure's).
  const bar = (id: string, cells: Cell[], summary: string, csv = id, title = t(`stats.fig.${id}` as MessageKey)): Figure => ({
    kind: 'bar',
    id,
    title,
    summary,
    cells,
    csvHref: csvHref(csv),
  });
  const p = stats.packages;
  const i = stats.introductions;
  const sections: { heading: string; figures: Figure[]; stageTable?: boolean }[] = [
    {
      heading: t('stats.section.packages'),
      figures: [
        {
          kind: 'line',
          id: 'designated-over-time',
          title: t('stats.fig.designated-over-time'),
          summary: overTime,
          points: p.designatedOverTime,
          csvHref: csvHref('designated-over-time'),
        },
        bar('packages-by-sector', p.bySector, ranked(p.bySector)),
        bar('packages-by-region', p.byRegion, ranked(p.byRegion)),
        bar('packages-by-layer', p.byLayer, ranked(p.byLayer)),
        bar('packages-by-financing', p.byFinancing, ranked(p.byFinancing)),
      ],
    },
    {
      heading: t('stats.section.introductions'),
      figures: [
        bar('funnel', i.funnel, funnel),
        bar('ended', i.ended, ranked(i.ended), 'funnel', t('stats.ended.title')),
        bar('outcomes', i.outcomes, ranked(i.outcomes)),
        bar('stage-days', stageCells, t('stats.summary.stages', { take: TAKE_TARGET_DAYS, answer: ANSWER_TARGET_DAYS })),
      ],
      stageTable: true,
    },
    {
      heading: t('stats.section.buyers'),
      figures: [
        bar(
          'buyers-by-region',
          stats.buyers.byRegion,
          `${t('stats.summary.buyers', { verified: show(stats.buyers.verified) })} ${ranked(stats.buyers.byRegion)}`,
        ),
      ],
    },
  ];
  const withheld = t('stats.withheld', { min });
  const share = (value: number | null) => (value === null ? withheld : t.number(value, { style: 'percent' }));
  const stages = i.stages.map((s) => ({
    label: s.label,
    cases: s.cases === null ? withheld : t.number(s.cases),
    median: s.medianBusinessDays === null ? withheld : t.number(s.medianBusinessDays),
    target:
      s.targetBusinessDays === null ? t('stats.stage.noTarget') : t('stats.stage.targetDays', { days: s.targetBusinessDays }),
    within: s.targetBusinessDays === null ? t('stats.stage.noTarget') : share(s.withinTargetShare),
  }));
  return { min, sections, stages, targets: { take: TAKE_TARGET_DAYS, answer: ANSWER_TARGET_DAYS } };
}

/** /statistics: the program's public account, charts drawn on the server with their tables and CSV. */
export const statisticsPage: PageModule<Awaited<ReturnType<typeof loadStatisticsPage>>> = {
  load: (ctx) => loadStatisticsPage(ctx.app, ctx.t),
};
