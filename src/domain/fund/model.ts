import { InputIssue } from '../errors';
import type { Money } from '../money';
import { FULL_RATE, FundTerms } from '../reimbursement';
import type { Person } from '../roles';
import { addDays } from '../dates';

export interface Fund {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  /**
   * Days after `periodEnd` during which the fund still takes activities and claims (absent on funds
   * stored before it existed: FUND_GRACE_DAYS).
   */
  readonly graceDays?: number;
  readonly allocated: Money;
  /** Reimbursement rate in basis points (see reimbursement.ts); absent on older funds: 100 %. */
  readonly reimbursementRate?: number;
  /** At most this much of one claim, in the fund's currency. */
  readonly capPerClaim?: Money;
  readonly createdBy: Person;
  readonly createdAt: string;
  /** Every change of its rate or cap, oldest first (`edit fund`): claims made before keep theirs. */
  readonly termsChanges?: readonly FundTermsChange[];
}

/** A change of a fund's money rules: who, when, and the rate and cap before and after. */
export interface FundTermsChange {
  readonly by: Person;
  readonly at: string;
  readonly from: { readonly rate: number; readonly capPerClaim?: Money };
  readonly to: { readonly rate: number; readonly capPerClaim?: Money };
}

/** A fund's grace after its period when the admin names none. */
export const FUND_GRACE_DAYS = 45;

/** The last day of a fund's period plus its grace (`YYYY-MM-DD`). */
export const fundLastDay = (fund: Pick<Fund, 'periodEnd' | 'graceDays'>): string =>
  addDays(fund.periodEnd, fund.graceDays ?? FUND_GRACE_DAYS);

/**
 * The problem of an activity from `start` to `end` that falls outside the fund's period plus its
 * grace (a fund pays for what happens while it runs), named on `field`; none when it fits.
 */
export function outsidePeriodIssues(
  fund: Pick<Fund, 'periodStart' | 'periodEnd' | 'graceDays'>,
  start: string,
  end: string,
  field: string,
): InputIssue[] {
  if (!start || !end || (start >= fund.periodStart && end <= fundLastDay(fund))) return [];
  return [
    {
      field,
      problem: 'outsideFundPeriod',
      params: {
        periodStart: fund.periodStart,
        periodEnd: fund.periodEnd,
        graceDays: fund.graceDays ?? FUND_GRACE_DAYS,
      },
    },
  ];
}

/** What the fund pays of each claim: the claim keeps these from the day it is made. */
export const fundTerms = (fund: Fund): FundTerms => ({
  currency: fund.allocated.currency,
  rate: fund.reimbursementRate ?? FULL_RATE,
  ...(fund.capPerClaim ? { capPerClaim: fund.capPerClaim } : {}),
});
