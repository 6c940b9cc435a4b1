import { AppError, InputIssue, invalidInput } from './errors';
import { Money, add, isCurrency, parsePositiveAmount, subtract, zero } from './money';
import { Actor, Person, canManageFunds } from './roles';
import { CLAIMED_STATUSES, ClaimStatus, PENDING_STATUSES } from './status';
import { LIMITS, readDate, readText } from './text';

export interface Fund {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly allocated: Money;
  readonly createdBy: Person;
  readonly createdAt: string;
}

/** What fund totals need to know of a claim. */
export interface ClaimAmounts {
  readonly fundId: string;
  readonly status: ClaimStatus;
  readonly amount: Money;
  readonly approvedAmount?: Money;
}

export interface FundTotals {
  readonly allocated: Money;
  readonly claimed: Money;
  readonly approved: Money;
  readonly pending: Money;
  readonly remaining: Money;
}

/**
 * Claimed: submitted and not rejected. Approved: what reviewers approved. Pending: claimed and not yet
 * decided. Remaining = allocated − approved − pending.
 */
export function fundTotals(fund: Fund, claims: readonly ClaimAmounts[]): FundTotals {
  const c = fund.allocated.currency;
  let claimed = zero(c);
  let approved = zero(c);
  let pending = zero(c);
  for (const claim of claims) {
    if (claim.fundId !== fund.id || claim.amount.currency !== c) continue;
    if (CLAIMED_STATUSES.includes(claim.status)) claimed = add(claimed, claim.amount);
    if (PENDING_STATUSES.includes(claim.status)) pending = add(pending, claim.amount);
    if (claim.status === 'approved' && claim.approvedAmount) {
      approved = add(approved, claim.approvedAmount);
    }
  }
  return {
    allocated: fund.allocated,
    claimed,
    approved,
    pending,
    remaining: subtract(subtract(fund.allocated, approved), pending),
  };
}

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
  const currency = typeof input.currency === 'string' ? input.currency.trim().toUpperCase() : '';
  if (!currency) issues.push({ field: 'currency', problem: 'required' });
  else if (!/^[A-Z]{3}$/.test(currency) || !isCurrency(currency)) {
    issues.push({ field: 'currency', problem: 'currencyUnknown' });
  }
  const periodStart = readDate(issues, 'periodStart', input.periodStart);
  const periodEnd = readDate(issues, 'periodEnd', input.periodEnd);
  if (periodStart && periodEnd && periodEnd < periodStart) {
    issues.push({ field: 'periodEnd', problem: 'endBeforeStart' });
  }
  let allocated: Money | undefined;
  if (currency && !issues.some((i) => i.field === 'currency')) {
    try {
      const text = typeof input.allocated === 'string' ? input.allocated : '';
      allocated = parsePositiveAmount(text, locale, currency, 'allocated');
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      issues.push(...e.issues);
    }
  }
  if (issues.length || !allocated) throw invalidInput(issues);
  return {
    id,
    tenantId: actor.tenantId,
    name,
    periodStart,
    periodEnd,
    allocated,
    createdBy: { id: actor.userId, name: actor.name },
    createdAt: now,
  };
}
