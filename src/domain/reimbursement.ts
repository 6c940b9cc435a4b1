import { Money, minorDigits, money } from './money';
import type { Person } from './roles';

/**
 * The money rules of a fund (product.md, third wave: "Money rules"). Amounts stay integer minor
 * units; where a rate makes a fraction of a minor unit, it is rounded ONCE, half-up: a fraction of
 * exactly one half goes to the larger unit (amounts here are never negative), any other fraction to
 * the nearest. Rates are exact integers too: percent in basis points, exchange rates scaled by 10^6.
 */

/** A Reimbursement rate in basis points (hundredths of a percent): 10,000 is 100 %. */
export const FULL_RATE = 10_000;
/** Decimals an exchange rate may have: `1.084213`. */
export const EXCHANGE_RATE_DIGITS = 6;

/** `numerator / denominator` rounded half-up; both non-negative, the denominator above zero. */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/** What a fund pays of a claim: its rate, and at most its cap per claim (in the fund's currency). */
export interface FundTerms {
  /** The fund's currency: every reimbursable amount, total and reservation is in it. */
  readonly currency: string;
  readonly rate: number;
  readonly capPerClaim?: Money;
}

/** The exchange rate of a claim in another currency than its fund: 1 `from` = scaled/10^6 `to`. */
export interface ExchangeRate {
  readonly from: string;
  readonly to: string;
  readonly scaled: number;
  /** `YYYY-MM-DD`: the day the rate is of, as its owner typed it. */
  readonly date: string;
  readonly by: Person;
  readonly at: string;
}

/** An amount converted at an exchange rate scaled by 10^6, rounded half-up to `to`'s minor units. */
export function convert(amount: Money, to: string, scaled: number): Money {
  const numerator = BigInt(amount.minor) * BigInt(scaled) * 10n ** BigInt(minorDigits(to));
  const denominator = 10n ** BigInt(minorDigits(amount.currency) + EXCHANGE_RATE_DIGITS);
  return money(Number(roundHalfUp(numerator, denominator)), to);
}

/** The part of `cost` a fund with these terms pays: rate applied (half-up), then the cap. */
export function reimbursable(cost: Money, terms: Pick<FundTerms, 'rate' | 'capPerClaim'>): Money {
  const share = Number(roundHalfUp(BigInt(cost.minor) * BigInt(terms.rate), BigInt(FULL_RATE)));
  const cap = terms.capPerClaim?.minor;
  return money(cap === undefined ? share : Math.min(share, cap), cost.currency);
}

/** What the money rules need of a claim (a claim, or a claim as lists and the ledger read it). */
export interface ClaimCost {
  /** The claimed cost, in the claim's own currency. */
  readonly amount: Money;
  /** Absent: the fund pays 100 % in the claim's own currency (claims made before these rules). */
  readonly terms?: FundTerms;
  readonly exchange?: ExchangeRate;
}

/** The currency of the claim's fund: of every total the claim adds to. */
export const fundCurrencyOf = (c: ClaimCost): string => c.terms?.currency ?? c.amount.currency;

/** The claimed cost in the fund's currency; undefined while its exchange rate is missing. */
export function costInFundCurrency(c: ClaimCost): Money | undefined {
  const to = fundCurrencyOf(c);
  if (c.amount.currency === to) return c.amount;
  const x = c.exchange;
  return x && x.from === c.amount.currency && x.to === to
    ? convert(c.amount, to, x.scaled)
    : undefined;
}

/**
 * What the fund pays of the claim at most, in the fund's currency: what reservations, requirements
 * and approvals use. Undefined while a claim in another currency has no exchange rate.
 */
export function reimbursableOf(c: ClaimCost): Money | undefined {
  const cost = costInFundCurrency(c);
  return cost && c.terms ? reimbursable(cost, c.terms) : cost;
}
