import { numberFormat } from '../../domain/formatters';
import {
  ClaimCost,
  EXCHANGE_RATE_DIGITS,
  FULL_RATE,
  FundTerms,
  costInFundCurrency,
  reimbursableOf,
} from '../../domain/reimbursement';
import type { Fund, FundTermsChange } from '../../domain/fund';
import type { Texts } from '../../i18n/i18n';
import { literal } from './text';

const PERCENT: Intl.NumberFormatOptions = { style: 'percent', maximumFractionDigits: 2 };
const RATE: Intl.NumberFormatOptions = { maximumFractionDigits: EXCHANGE_RATE_DIGITS };

/** A Reimbursement rate in basis points as a percent in the user's locale: "62.5%". */
export const ratePercent = (texts: Texts, rate: number): string =>
  numberFormat(texts.locale, PERCENT).format(rate / FULL_RATE);

/** "50% reimbursed, at most $5,000.00 per claim", or empty for a fund that pays 100 % uncapped. */
export function termsLine(texts: Texts, terms: FundTerms): string {
  if (terms.rate === FULL_RATE && !terms.capPerClaim) return '';
  const rate = ratePercent(texts, terms.rate);
  return terms.capPerClaim
    ? texts.t('funds.termsCapped', { rate, cap: texts.money(terms.capPerClaim) })
    : texts.t('funds.terms', { rate });
}

/** A fund's terms as a line, "100% reimbursed" too. */
export const fullTermsLine = (texts: Texts, terms: FundTerms): string =>
  termsLine(texts, terms) || texts.t('funds.fullTerms');

/** The terms of one side of a change of a fund's terms. */
const changedTerms = (texts: Texts, fund: Fund, side: FundTermsChange['from']): string =>
  fullTermsLine(texts, { currency: fund.allocated.currency, ...side });

/** "since Mar 1, 2027, was 100% reimbursed": the fund's last change of terms, or empty. */
export function termsSinceLine(texts: Texts, fund: Fund): string {
  const last = fund.termsChanges?.at(-1);
  return last
    ? texts.t('funds.termsSince', {
        date: texts.date(last.at.slice(0, 10)),
        was: changedTerms(texts, fund, last.from),
      })
    : '';
}

/** One change of a fund's terms, for its history: when, who, before → after. */
export const termsChangeLine = (texts: Texts, fund: Fund, change: FundTermsChange): string =>
  texts.t('funds.termsChange', {
    when: texts.date(change.at.slice(0, 10)),
    who: literal(change.by.name),
    from: changedTerms(texts, fund, change.from),
    to: changedTerms(texts, fund, change.to),
  });

/**
 * The Reimbursable amount fact: "$542.11 (50% of $1,084.21)" when the fund pays part or the cost
 * was converted, "(the fund's cap per claim)" when capped, or that the exchange rate is missing.
 */
export function reimbursableLine(texts: Texts, claim: ClaimCost): string {
  const due = reimbursableOf(claim);
  const cost = costInFundCurrency(claim);
  if (!due || !cost) return texts.t('detail.reimbursableUnknown');
  const amount = texts.money(due);
  const cap = claim.terms?.capPerClaim;
  if (cap && due.minor === cap.minor && due.minor < cost.minor) {
    return texts.t('detail.reimbursableCapped', { amount });
  }
  const rate = claim.terms?.rate ?? FULL_RATE;
  if (rate === FULL_RATE) return amount;
  return texts.t('detail.reimbursableRule', {
    amount,
    rate: ratePercent(texts, rate),
    cost: texts.money(cost),
  });
}

/** "1 EUR = 1.084213 USD on Dec 1, 2026, entered by Olga Owner", or empty. */
export function exchangeLine(texts: Texts, claim: ClaimCost): string {
  const x = claim.exchange;
  if (!x || x.from !== claim.amount.currency) return '';
  return texts.t('detail.exchangeLine', {
    from: x.from,
    to: x.to,
    rate: exchangeRateText(texts.locale, x.scaled),
    date: texts.date(x.date),
    name: literal(x.by.name),
  });
}

/** An exchange rate scaled by 10^6 as the user's locale writes it, without trailing zeros. */
export const exchangeRateText = (locale: string, scaled: number): string =>
  numberFormat(locale, RATE).format(scaled / 10 ** EXCHANGE_RATE_DIGITS);
