import { listIntroductionTimelines, listLatestVettings, type IntroductionTimeline } from '../../../db/queries/statistics.ts';
import { LAYER_KEYS } from '../../../db/schema/package.ts';
import { useTranslations, type MessageKey, type Translator } from '../../i18n/index.ts';
import { businessDaysBetween, FLAG_AFTER_BUSINESS_DAYS, OUTCOMES, REMIND_AFTER_BUSINESS_DAYS } from '../introductions/state.ts';
import { catalogSnapshot } from '../opendata/catalog.ts';
import type { Cell, Stage, Statistics } from '../opendata/schemas.ts';
import type { AppServices } from '../server/bootstrap.ts';
import { isVerified, type VettingState } from '../vetting/state.ts';
import { suppress, suppressOne } from './suppress.ts';

/** The program's targets: an officer takes a request within 3 business days, a consortium answers within 5. */
export const TAKE_TARGET_DAYS = FLAG_AFTER_BUSINESS_DAYS;
export const ANSWER_TARGET_DAYS = REMIND_AFTER_BUSINESS_DAYS;

export const FUNNEL_STEPS = ['requested', 'brokered', 'accepted', 'meeting-held', 'outcome'] as const;
export const ENDED_STATES = ['declined', 'refused', 'withdrawn'] as const;

/**
 * The stages timed, each from the first move that starts it to the first that ends it.
 * "taken" ends with the officer's first answer (taking or declining the request), "answered"
 * with the consortium's (accepting or refusing).
 */
const STAGES = [
  { key: 'taken', start: 'request', end: ['take', 'decline'], from: 'requested', target: TAKE_TARGET_DAYS },
  { key: 'brokered', start: 'take', end: ['broker'], from: null, target: null },
  { key: 'answered', start: 'broker', end: ['accept', 'refuse'], from: 'brokered', target: ANSWER_TARGET_DAYS },
  { key: 'meeting-held', start: 'accept', end: ['hold-meeting'], from: null, target: null },
  { key: 'closed', start: 'hold-meeting', end: ['close'], from: null, target: null },
] as const;

type StatisticsServices = Pick<AppServices, 'db' | 'reference' | 'config'>;

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ranked = (counts: Map<string, number>, label: (key: string) => string) =>
  [...counts]
    .map(([key, count]) => ({ key, label: label(key), count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));

function bump(map: Map<string, number>, key: string, by = 1) {
  map.set(key, (map.get(key) ?? 0) + by);
}

function firstAt(timeline: IntroductionTimeline, moves: readonly string[]): Date | undefined {
  if (moves.includes('request')) return timeline.createdAt;
  return timeline.events.find((e) => moves.includes(e.move))?.at;
}

/** Timing of one stage over every introduction: completed cases, their median, the share within target. */
export function stageFigures(
  timelines: IntroductionTimeline[],
  stage: (typeof STAGES)[number],
  now: Date,
): { cases: number; median: number | null; within: number; late: number; waitingPastTarget: number } {
  const days: number[] = [];
  let within = 0;
  let late = 0;
  let waitingPastTarget = 0;
  for (const timeline of timelines) {
    const start = firstAt(timeline, [stage.start]);
    if (!start) continue;
    const end = timeline.events.find((e) => (stage.end as readonly string[]).includes(e.move) && e.at >= start)?.at;
    if (end) {
      const d = businessDaysBetween(start, end);
      days.push(d);
      if (stage.target !== null) {
        if (d <= stage.target) within++;
        else late++;
      }
    } else if (stage.target !== null && timeline.state === stage.from && businessDaysBetween(start, now) > stage.target) {
      waitingPastTarget++;
    }
  }
  return { cases: days.length, median: median(days), within, late, waitingPastTarget };
}

/**
 * Every figure of /statistics and /api/v1/statistics. Packages are public, so their counts
 * are published whole; counts of introductions and buyers under `minCount` are withheld.
 */
export async function programStatistics(
  app: StatisticsServices,
  options: { minCount: number; now?: Date; t?: Translator },
): Promise<Statistics> {
  const now = options.now ?? new Date();
  const min = options.minCount;
  const t = options.t ?? useTranslations();
  const ref = app.reference;
  const [snapshot, timelines, vettings] = await Promise.all([
    catalogSnapshot(app),
    listIntroductionTimelines(app.db),
    listLatestVettings(app.db),
  ]);

  // Packages.
  const records = snapshot.records;
  const byMonth = new Map<string, number>();
  const sectors = new Map<string, number>();
  const regions = new Map<string, number>();
  const layers = new Map<string, number>();
  const financing = new Map<string, number>();
  for (const record of records) {
    bump(byMonth, record.designatedAt.slice(0, 7));
    record.sectors.forEach((s) => bump(sectors, s));
    record.regions.forEach((r) => bump(regions, r));
    record.layers.forEach((l) => bump(layers, l));
    record.financing.forEach((f) => bump(financing, f));
  }
  const months = [...byMonth.keys()].sort();
  const designatedOverTime: Statistics['packages']['designatedOverTime'] = [];
  if (months.length) {
    let [year, month] = months[0]!.split('-').map(Number) as [number, number];
    const last = months[months.length - 1]!;
    let cumulative = 0;
    for (;;) {
      const key = `${year}-${String(month).padStart(2, '0')}`;
      const designated = byMonth.get(key) ?? 0;
      cumulative += designated;
      designatedOverTime.push({ month: key, designated, cumulative });
      if (key >= last) break;
      month++;
      if (month > 12) {
        month = 1;
        year++;
      }
    }
  }
  const whole = (rows: { key: string; label: string; count: number }[]): Cell[] => rows.map((r) => ({ ...r, withheld: false }));

  // Introductions.
  const reached = new Map<string, number>();
  const ended = new Map<string, number>();
  const outcomes = new Map<string, number>();
  for (const timeline of timelines) {
    bump(reached, 'requested');
    const states = new Set(timeline.events.map((e) => e.toState));
    if (states.has('brokered')) bump(reached, 'brokered');
    if (states.has('accepted')) bump(reached, 'accepted');
    if (states.has('meeting-held')) bump(reached, 'meeting-held');
    if (states.has('closed') || timeline.state === 'closed') bump(reached, 'outcome');
    if ((ENDED_STATES as readonly string[]).includes(timeline.state)) bump(ended, timeline.state);
    if (timeline.state === 'closed' && timeline.outcome) bump(outcomes, timeline.outcome);
  }
  const funnel = FUNNEL_STEPS.map((step) =>
    suppressOne(step, t(`stats.funnel.${step}` as MessageKey), reached.get(step) ?? 0, min),
  );
  const closed = reached.get('outcome') ?? 0;
  const outcomeCells = suppress(
    OUTCOMES.map((o) => ({ key: o, label: t(`intro.outcome.${o}` as MessageKey), count: outcomes.get(o) ?? 0 })),
    min,
    // The funnel publishes the number closed, unless it is withheld itself.
    closed >= min ? { total: closed } : {},
  );
  const endedCells = suppress(
    ENDED_STATES.map((s) => ({ key: s, label: t(`stats.ended.${s}` as MessageKey), count: ended.get(s) ?? 0 })),
    min,
  );
  const stages: Stage[] = STAGES.map((stage) => {
    const f = stageFigures(timelines, stage, now);
    const withheld = f.cases < min;
    const judged = f.within + f.late + f.waitingPastTarget;
    return {
      key: stage.key,
      label: t(`stats.stage.${stage.key}` as MessageKey),
      cases: withheld ? null : f.cases,
      medianBusinessDays: withheld ? null : f.median,
      targetBusinessDays: stage.target,
      withinTargetShare: stage.target === null || judged < min ? null : Math.round((f.within / judged) * 1000) / 1000,
      withheld,
    };
  });

  // Buyers verified today, by the blocs of their country.
  const verified = vettings.filter((v) => isVerified(v.state as VettingState, v.expiresAt, now));
  const buyerRegions = new Map<string, number>([...ref.regions.keys()].map((slug) => [slug, 0]));
  let elsewhere = 0;
  for (const buyer of verified) {
    const blocs = buyer.country ? ref.regionsOf(buyer.country) : [];
    if (!blocs.length) elsewhere++;
    blocs.forEach((b) => bump(buyerRegions, b));
  }
  const regionRows = [
    ...ranked(buyerRegions, (slug) => ref.regionName(slug)),
    { key: 'other', label: t('stats.region.other'), count: elsewhere },
  ];
  const verifiedCell = suppressOne('verified', t('stats.buyers.total'), verified.length, min);

  return {
    generatedAt: now.toISOString(),
    minCount: min,
    packages: {
      total: records.length,
      designatedOverTime,
      bySector: whole(ranked(sectors, (s) => ref.sectorName(s))),
      byRegion: whole(ranked(regions, (r) => ref.regionName(r))),
      byLayer: whole(LAYER_KEYS.map((l) => ({ key: l, label: t(`layer.${l}` as MessageKey), count: layers.get(l) ?? 0 }))),
      byFinancing: whole(ranked(financing, (f) => ref.financingName(f))),
    },
    introductions: { funnel, ended: endedCells, outcomes: outcomeCells, stages },
    buyers: {
      verified: verifiedCell,
      byRegion: suppress(regionRows, min, verifiedCell.withheld ? {} : { total: verified.length }),
    },
  };
}

export const STATISTICS_CSV_COLUMNS = ['figure', 'key', 'label', 'value', 'withheld'] as const;

/** The figures as rows of one table (figure, key, label, value, withheld), for the CSV. */
export function statisticsRows(stats: Statistics): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [];
  const cells = (figure: string, list: Cell[]) =>
    list.forEach((c) => rows.push([figure, c.key, c.label, c.count, c.withheld ? 'true' : 'false']));
  stats.packages.designatedOverTime.forEach((m) =>
    rows.push(['designated-over-time', m.month, `designated ${m.month}`, m.designated, 'false']),
  );
  cells('packages-by-sector', stats.packages.bySector);
  cells('packages-by-region', stats.packages.byRegion);
  cells('packages-by-layer', stats.packages.byLayer);
  cells('packages-by-financing', stats.packages.byFinancing);
  cells('funnel', [...stats.introductions.funnel, ...stats.introductions.ended]);
  cells('outcomes', stats.introductions.outcomes);
  for (const s of stats.introductions.stages) {
    rows.push(['stage-days', `${s.key}:cases`, `${s.label}: introductions`, s.cases, String(s.withheld)]);
    rows.push(['stage-days', `${s.key}:median`, `${s.label}: median business days`, s.medianBusinessDays, String(s.withheld)]);
    if (s.targetBusinessDays !== null) {
      rows.push([
        'stage-days',
        `${s.key}:within-target`,
        `${s.label}: share within ${s.targetBusinessDays} business days`,
        s.withinTargetShare,
        String(s.withinTargetShare === null),
      ]);
    }
  }
  cells('buyers-by-region', [stats.buyers.verified, ...stats.buyers.byRegion]);
  return rows;
}

/** How long the site keeps the figures it computed before computing them again. */
export const STATISTICS_TTL_MS = 30_000;

const recent = new WeakMap<StatisticsServices['db'], Map<string, { at: number; minCount: number; stats: Promise<Statistics> }>>();

/**
 * The figures for the page, its CSV and the API: computed at most once every 30 seconds per
 * process and language (reading every introduction and its moves), so a burst of readers costs
 * one reading. `t` names the categories (the request's language).
 */
export function currentStatistics(
  app: StatisticsServices,
  minCount: number,
  t: Translator = useTranslations(),
  now = Date.now(),
): Promise<Statistics> {
  let byLang = recent.get(app.db);
  if (!byLang) recent.set(app.db, (byLang = new Map()));
  const held = byLang.get(t.lang);
  if (held && held.minCount === minCount && now - held.at < STATISTICS_TTL_MS) return held.stats;
  const stats = programStatistics(app, { minCount, now: new Date(now), t });
  byLang.set(t.lang, { at: now, minCount, stats });
  stats.catch(() => {
    if (byLang.get(t.lang)?.stats === stats) byLang.delete(t.lang);
  });
  return stats;
}
