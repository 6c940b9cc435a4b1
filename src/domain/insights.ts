import { ACTIVITY_TYPES, ActivityType } from './claim/model';
import { Fund, FundLedger, FundTotals, totalsFrom, typeSumsOf } from './fund';
import { NO_TYPE_SUMS, TypeSums, addSums, dayNumber } from './typeSums';

/**
 * What `insights` shows (issue 33), computed from the running sums beside the fund ledger (never from
 * the claims): per fund its totals, and per activity type what its claims add up to.
 */
export interface FundFigures {
  readonly fund: Fund;
  readonly totals: FundTotals;
  readonly types: Readonly<Record<ActivityType, TypeSums>>;
  readonly all: TypeSums;
}

/** The figures of funds sharing one currency, added up per activity type. */
export interface CurrencyFigures {
  readonly currency: string;
  readonly types: Readonly<Record<ActivityType, TypeSums>>;
  readonly all: TypeSums;
}

/** Which funds `insights` shows: one fund, the funds whose period ends in a year, or all. */
export interface InsightsFilter {
  readonly fundId?: string;
  /** `YYYY`: funds whose period ends in that year. */
  readonly period?: string;
}

export const periodOf = (fund: Fund): string => fund.periodEnd.slice(0, 4);

export function selectFunds(funds: readonly Fund[], filter: InsightsFilter): Fund[] {
  return funds.filter(
    (f) =>
      (!filter.fundId || f.id === filter.fundId) &&
      (!filter.period || periodOf(f) === filter.period),
  );
}

const sumTypes = (types: Readonly<Record<ActivityType, TypeSums>>): TypeSums =>
  ACTIVITY_TYPES.reduce((all, t) => addSums(all, types[t]), { ...NO_TYPE_SUMS });

/**
 * A fund's figures: its totals from the tenant's ledger, its activity types from `results` (the
 * tenant's ledger for Incentives admins, the ledger of the viewer's own claims for others).
 */
export function fundFigures(fund: Fund, ledger: FundLedger, results: FundLedger): FundFigures {
  const currency = fund.allocated.currency;
  const types = Object.fromEntries(
    ACTIVITY_TYPES.map((t) => [t, typeSumsOf(results, fund.id, currency, t)]),
  ) as Record<ActivityType, TypeSums>;
  return { fund, totals: totalsFrom(fund, ledger), types, all: sumTypes(types) };
}

/** The funds' figures added up per currency (amounts in different currencies never add up). */
export function byCurrency(figures: readonly FundFigures[]): CurrencyFigures[] {
  const out = new Map<string, Record<ActivityType, TypeSums>>();
  for (const f of figures) {
    const c = f.fund.allocated.currency;
    const types =
      out.get(c) ??
      (Object.fromEntries(ACTIVITY_TYPES.map((t) => [t, { ...NO_TYPE_SUMS }])) as Record<
        ActivityType,
        TypeSums
      >);
    for (const t of ACTIVITY_TYPES) types[t] = addSums(types[t], f.types[t]);
    out.set(c, types);
  }
  return [...out].map(([currency, types]) => ({ currency, types, all: sumTypes(types) }));
}

/** Results per unit of approved money (pipeline ÷ approved); undefined while nothing is approved. */
export const returnOn = (results: number, approved: number): number | undefined =>
  approved > 0 ? results / approved : undefined;

/** Claims waiting for a reviewer and their mean age in days at `today` (`YYYY-MM-DD`). */
export function waitingOf(
  sums: readonly TypeSums[],
  today: string,
): { readonly count: number; readonly meanDays: number } {
  const count = sums.reduce((n, s) => n + s.waiting, 0);
  const since = sums.reduce((n, s) => n + s.waitingSince, 0);
  const now = dayNumber(`${today}T00:00:00.000Z`);
  return { count, meanDays: count ? Math.max(0, now - since / count) : 0 };
}
