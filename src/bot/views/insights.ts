import type { InsightsData, InsightsFundView, InsightsTypeRow } from '../../../cards/insightsCard';
import { ACTIVITY_TYPES } from '../../domain/claim';
import { numberFormat } from '../../domain/formatters';
import { CurrencyFigures, FundFigures, returnOn, waitingOf } from '../../domain/insights';
import { minorDigits, money } from '../../domain/money';
import type { Texts } from '../../i18n/i18n';
import { usageStyle } from './fundUsage';
import { literal } from './text';

/** The gauge of waiting claims: green up to this many days on average, amber up to twice it. */
const WAIT_GOOD_DAYS = 5;
const RATIO = { minimumFractionDigits: 1, maximumFractionDigits: 1 } as const;

/** An amount in minor units as a chart value: whole major units. */
const major = (minor: number, currency: string): number =>
  Math.round(minor / 10 ** minorDigits(currency));

function ratioText(texts: Texts, results: number, approved: number): string {
  const r = returnOn(results, approved);
  return r === undefined
    ? '—'
    : texts.t('insights.ratio', { ratio: numberFormat(texts.locale, RATIO).format(r) });
}

export function fundInsightView(texts: Texts, f: FundFigures): InsightsFundView {
  const { totals } = f;
  const c = totals.allocated.currency;
  const used = totals.approved.minor + totals.pending.minor + totals.reserved.minor;
  const usedPercent = Math.round((used / Math.max(totals.allocated.minor, 1)) * 100);
  const slice = (key: 'approved' | 'pending' | 'reserved' | 'remaining', color: string) => {
    const minor = Math.max(0, totals[key].minor);
    return {
      legend: texts.t(`insights.${key}`),
      value: major(minor, c),
      color,
      text: texts.money(money(minor, c)),
    };
  };
  return {
    name: literal(f.fund.name),
    chartTitle: f.fund.name,
    usage: texts.t('insights.usage', {
      used: numberFormat(texts.locale).format(usedPercent),
      allocated: texts.money(totals.allocated),
    }),
    usageColor: usageStyle(usedPercent),
    slices: [
      slice('approved', 'good'),
      slice('pending', 'warning'),
      slice('reserved', 'categoricalPurple'),
      slice('remaining', 'neutral'),
    ],
    returnPipeline: ratioText(texts, f.all.pipeline, f.all.approved),
    returnRevenue: ratioText(texts, f.all.revenue, f.all.approved),
  };
}

/** The activity types with anything to show, in one currency. */
export function typeRows(texts: Texts, figures: CurrencyFigures): InsightsTypeRow[] {
  const c = figures.currency;
  const m = (minor: number): string => texts.money(money(minor, c));
  return ACTIVITY_TYPES.filter((t) => Object.values(figures.types[t]).some((v) => v !== 0)).map(
    (t) => {
      const s = figures.types[t];
      return {
        label: texts.tDynamic(`activityType.${t}`),
        approvedValue: major(s.approved, c),
        pipelineValue: major(s.pipeline, c),
        spendText: texts.t('insights.spendLine', {
          approved: m(s.approved),
          pending: m(s.pending),
        }),
        pipelineText: texts.t('insights.pipelineLine', {
          pipeline: m(s.pipeline),
          revenue: m(s.revenue),
        }),
        returnPipeline: ratioText(texts, s.pipeline, s.approved),
        returnRevenue: ratioText(texts, s.revenue, s.approved),
      };
    },
  );
}

/** The gauge of claims waiting for a review: their mean age in days against 5 and 10 days. */
export function waitingView(
  texts: Texts,
  figures: readonly FundFigures[],
  today: string,
): InsightsData['waiting'] {
  const { count, meanDays } = waitingOf(
    figures.map((f) => f.all),
    today,
  );
  const days = Math.round(meanDays);
  const max = Math.max(WAIT_GOOD_DAYS * 3, days);
  const number = numberFormat(texts.locale);
  return {
    value: days,
    max,
    line: count
      ? texts.t('insights.waitingLine', { count: number.format(count), days: number.format(days) })
      : texts.t('insights.waitingNone'),
    segments: [
      {
        legend: texts.t('insights.segmentUpTo', { days: WAIT_GOOD_DAYS }),
        size: WAIT_GOOD_DAYS,
        color: 'good',
      },
      {
        legend: texts.t('insights.segmentUpTo', { days: WAIT_GOOD_DAYS * 2 }),
        size: WAIT_GOOD_DAYS,
        color: 'warning',
      },
      {
        legend: texts.t('insights.segmentLonger'),
        size: max - WAIT_GOOD_DAYS * 2,
        color: 'attention',
      },
    ],
  };
}
