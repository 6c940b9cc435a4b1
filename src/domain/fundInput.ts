import { AppError, InputIssue, invalidInput } from './errors';
import { FUND_GRACE_DAYS, Fund } from './fund';
import { Money, parsePositiveAmount, parseScaled, readCurrency } from './money';
import { FULL_RATE } from './reimbursement';
import { Actor, canManageFunds } from './roles';
import { LIMITS, readDate, readText } from './text';

/** The longest grace an admin may give: a year. */
const MAX_GRACE_DAYS = 365;

/** A fund as an Incentives admin typed it on the Add fund form, or INVALID_INPUT with every problem. */
export function readFund(
  input: Readonly<Record<string, unknown>>,
  actor: Actor,
  locale: string,
  now: string,
  id: string,
): Fund {
  if (!canManageFunds(actor)) throw new AppError('NOT_ALLOWED', { action: 'manageFunds' });
  const issues: InputIssue[] = [];
  const name = readText(issues, 'fundName', input.fundName, LIMITS.fundName);
  const currency = readCurrency(issues, 'currency', input.currency) ?? '';
  const periodStart = readDate(issues, 'periodStart', input.periodStart);
  const periodEnd = readDate(issues, 'periodEnd', input.periodEnd);
  if (periodStart && periodEnd && periodEnd < periodStart) {
    issues.push({ field: 'periodEnd', problem: 'endBeforeStart' });
  }
  const graceDays = readGraceDays(issues, input.graceDays);
  const text = (field: string): string => {
    const value = input[field];
    return typeof value === 'string' ? value : '';
  };
  const reimbursementRate = readRate(issues, text('reimbursementRate'), locale);
  let allocated: Money | undefined;
  let capPerClaim: Money | undefined;
  if (currency && !issues.some((i) => i.field === 'currency')) {
    allocated = collect(issues, () =>
      parsePositiveAmount(text('allocated'), locale, currency, 'allocated'),
    );
    if (text('capPerClaim').trim()) {
      capPerClaim = collect(issues, () =>
        parsePositiveAmount(text('capPerClaim'), locale, currency, 'capPerClaim'),
      );
    }
  }
  if (issues.length || !allocated) throw invalidInput(issues);
  return {
    id,
    tenantId: actor.tenantId,
    name,
    periodStart,
    periodEnd,
    graceDays,
    allocated,
    ...(reimbursementRate === FULL_RATE ? {} : { reimbursementRate }),
    ...(capPerClaim ? { capPerClaim } : {}),
    createdBy: { id: actor.userId, name: actor.name },
    createdAt: now,
  };
}

/** Grace days as typed: empty is the default, otherwise a whole number from 0 to a year. */
function readGraceDays(issues: InputIssue[], value: unknown): number {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) return FUND_GRACE_DAYS;
  const days = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(days <= MAX_GRACE_DAYS)) {
    issues.push({ field: 'graceDays', problem: 'graceDays', params: { max: MAX_GRACE_DAYS } });
    return FUND_GRACE_DAYS;
  }
  return days;
}

/** The value `read` returns, or undefined with its input problems added to `issues`. */
function collect<T>(issues: InputIssue[], read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    issues.push(...e.issues);
    return undefined;
  }
}

/** A Reimbursement rate typed as a percent (`50`, `62,5` in nl-NL): empty is 100 %. */
function readRate(issues: InputIssue[], text: string, locale: string): number {
  if (!text.trim()) return FULL_RATE;
  const rate = collect(issues, () => parseScaled(text, locale, 2, 'reimbursementRate'));
  if (rate !== undefined && (rate <= 0 || rate > FULL_RATE)) {
    issues.push({ field: 'reimbursementRate', problem: 'rateRange' });
  }
  return rate ?? FULL_RATE;
}

/**
 * `edit fund`: the fund with the rate and cap an Incentives admin typed (each kept when not given;
 * `none` drops the cap), the change recorded in its terms history. Claims and fund requests made
 * before keep the terms they were made with. The fund itself when nothing changes.
 */
export function changeFundTerms(
  fund: Fund,
  input: { readonly rate?: string; readonly cap?: string },
  actor: Actor,
  locale: string,
  now: string,
): Fund {
  if (!canManageFunds(actor) || actor.tenantId !== fund.tenantId) {
    throw new AppError('NOT_ALLOWED', { action: 'manageFunds' });
  }
  const issues: InputIssue[] = [];
  const before = { rate: fund.reimbursementRate ?? FULL_RATE, capPerClaim: fund.capPerClaim };
  const rate = input.rate === undefined ? before.rate : readRate(issues, input.rate, locale);
  const typedCap = input.cap?.trim();
  let cap = before.capPerClaim;
  if (typedCap !== undefined) {
    cap = NO_CAP.test(typedCap)
      ? undefined
      : collect(issues, () =>
          parsePositiveAmount(typedCap, locale, fund.allocated.currency, 'capPerClaim'),
        );
  }
  if (issues.length) throw invalidInput(issues);
  if (rate === before.rate && cap?.minor === before.capPerClaim?.minor) return fund;
  const { reimbursementRate: _rate, capPerClaim: _cap, ...rest } = fund;
  const terms = (r: number, c: Money | undefined) => ({
    rate: r,
    ...(c ? { capPerClaim: c } : {}),
  });
  return {
    ...rest,
    ...(rate === FULL_RATE ? {} : { reimbursementRate: rate }),
    ...(cap ? { capPerClaim: cap } : {}),
    termsChanges: [
      ...(fund.termsChanges ?? []),
      {
        by: { id: actor.userId, name: actor.name },
        at: now,
        from: terms(before.rate, before.capPerClaim),
        to: terms(rate, cap),
      },
    ],
  };
}

/** A cap typed as nothing at all: `none`, `geen`. */
const NO_CAP = /^(none|no cap|geen|geen maximum)$/i;
