import { AppError, invalidInput } from '../errors';
import { parseScaled } from '../money';
import { EXCHANGE_RATE_DIGITS, fundCurrencyOf } from '../reimbursement';
import type { Actor } from '../roles';
import { record } from './change';
import type { Claim } from './model';
import { authorize, person } from './permissions';

/** An exchange rate as typed (`1,084213` in nl-NL), scaled by 10^6; empty text is none. */
export function readExchangeRate(text: unknown, locale: string): number | undefined {
  if (typeof text !== 'string' || !text.trim()) return undefined;
  let scaled = 0;
  try {
    scaled = parseScaled(text, locale, EXCHANGE_RATE_DIGITS, 'exchangeRate');
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    throw invalidInput(e.issues);
  }
  if (scaled <= 0) throw invalidInput([{ field: 'exchangeRate', problem: 'amountPositive' }]);
  return scaled;
}

/**
 * The exchange rate of a claim in another currency than its fund: 1 unit of the claim's currency
 * in the fund's, recorded with the day and who entered it. A claim in its fund's currency keeps none.
 */
export function setExchangeRate(claim: Claim, actor: Actor, scaled: number, now: string): Claim {
  authorize(actor, claim, 'edit');
  const from = claim.amount.currency;
  const to = fundCurrencyOf(claim);
  const x = claim.exchange;
  if (from === to || (x && x.from === from && x.to === to && x.scaled === scaled)) return claim;
  const rate = (scaled / 10 ** EXCHANGE_RATE_DIGITS).toFixed(EXCHANGE_RATE_DIGITS);
  return record(claim, {
    actor,
    now,
    kind: 'exchangeRateSet',
    changes: {
      exchange: { from, to, scaled, date: now.slice(0, 10), by: person(actor), at: now },
    },
    item: `1 ${from} = ${rate.replace(/\.?0+$/, '')} ${to}`,
  });
}
