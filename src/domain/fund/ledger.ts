import { Money, money, subtract } from '../money';
import { ClaimCost, fundCurrencyOf, reimbursableOf } from '../reimbursement';
import { APPROVED_STATUSES, CLAIMED_STATUSES, ClaimStatus, PENDING_STATUSES } from '../status';
import {
  TypeDelta,
  TypeSums,
  TypedClaim,
  NO_TYPE_SUMS,
  addSums,
  negatedDelta,
  typeContributionOf,
  typeDeltas,
} from '../typeSums';
import type { Fund } from './model';

/** A payment's amount: what fund totals need to know of a payment. */
export interface PaidAmount {
  readonly amount: Money;
}

/** What fund totals need to know of a claim (and, where known, its activity type's sums: typeSums.ts). */
export interface ClaimAmounts extends ClaimCost, Omit<TypedClaim, 'amount' | 'approvedAmount'> {
  readonly fundId: string;
  readonly status: ClaimStatus;
  /** In the fund's currency. */
  readonly approvedAmount?: Money;
  readonly payments?: readonly PaidAmount[];
}

/**
 * What was paid of a claim: its payments added up. A claim marked Paid before payments had amounts
 * was paid its approved amount.
 */
export function paidOf(
  claim: Pick<ClaimAmounts, 'status' | 'approvedAmount' | 'payments'>,
): number {
  if (claim.payments?.length) return claim.payments.reduce((sum, p) => sum + p.amount.minor, 0);
  return claim.status === 'paid' ? (claim.approvedAmount?.minor ?? 0) : 0;
}

export interface FundTotals {
  readonly allocated: Money;
  readonly claimed: Money;
  readonly approved: Money;
  readonly pending: Money;
  readonly remaining: Money;
  /** Approved money already paid out: part of `approved`, not in addition to it. */
  readonly paid: Money;
  /** Held by approved fund requests (pre-approval) until a claim is made from them. */
  readonly reserved: Money;
}

/** What a fund's claims add up to, in the fund's currency's minor units. */
export interface FundSums {
  readonly currency: string;
  readonly claimed: number;
  readonly approved: number;
  readonly pending: number;
  /** Part of `approved`; absent in sums stored before payments were recorded. */
  readonly paid?: number;
  /** What approved fund requests hold (see fundRequest/); absent until one is approved. */
  readonly reserved?: number;
}

/** The sums of every fund of a tenant, by `ledgerKey`: what the overview shows, read in one go. */
export type FundLedger = Readonly<Record<string, FundSums>>;

/**
 * A change to one fund's sums, caused by a change to one claim: written in the claim's own document
 * (like a notification in the outbox) and applied to the ledger afterwards, exactly once by its id.
 */
export interface LedgerEntry extends FundSums {
  readonly id: string;
  readonly fundId: string;
  /** What the change does to the sums of the claim's activity type(s) (issue 33), under `typeKey`. */
  readonly byType?: readonly TypeDelta[];
}

/**
 * The approved amount of a claim while it stands: on Approved and Paid claims only (a dispute or a
 * request for information undoes an approval, though the amount stays on record).
 */
export const approvedAmountOf = (
  claim: Pick<ClaimAmounts, 'status' | 'approvedAmount'>,
): Money | undefined =>
  APPROVED_STATUSES.includes(claim.status) ? claim.approvedAmount : undefined;

/** A claim as its activity type's sums count it: its reimbursable amount, in the fund's currency. */
const typedOf = (claim: ClaimAmounts): TypedClaim => ({
  ...claim,
  amount: { minor: reimbursableOf(claim)?.minor ?? 0 },
  approvedAmount: approvedAmountOf(claim),
});

/**
 * What one claim adds to its fund, in the fund's currency. Claimed: the reimbursable amount of a
 * claim submitted and not rejected. Approved: what reviewers approved. Pending: claimed and not yet
 * decided. Paid: its payments.
 */
export function contributionOf(claim: ClaimAmounts): LedgerEntry {
  const minor = reimbursableOf(claim)?.minor ?? 0;
  const typed = typeContributionOf(typedOf(claim));
  return {
    ...(typed ? { byType: [typed] } : {}),
    id: '',
    fundId: claim.fundId,
    currency: fundCurrencyOf(claim),
    claimed: CLAIMED_STATUSES.includes(claim.status) ? minor : 0,
    approved: approvedAmountOf(claim)?.minor ?? 0,
    pending: PENDING_STATUSES.includes(claim.status) ? minor : 0,
    paid: APPROVED_STATUSES.includes(claim.status) ? paidOf(claim) : 0,
  };
}

const isZero = (s: FundSums): boolean =>
  s.claimed === 0 && s.approved === 0 && s.pending === 0 && !s.paid && !s.reserved;

/** The entry that takes back what `entry` added. */
export const negated = (entry: LedgerEntry): LedgerEntry => ({
  ...entry,
  claimed: -entry.claimed,
  approved: -entry.approved,
  pending: -entry.pending,
  paid: -(entry.paid ?? 0),
  ...(entry.reserved ? { reserved: -entry.reserved } : {}),
  ...(entry.byType ? { byType: entry.byType.map(negatedDelta) } : {}),
});

/** The ledger entries that take a fund's sums from what `before` added to what `after` adds. */
export function ledgerEntries(
  before: ClaimAmounts | undefined,
  after: ClaimAmounts,
  newId: () => string,
): LedgerEntry[] {
  const was = before ? contributionOf(before) : undefined;
  const is = contributionOf(after);
  const { byType: _all, ...isSums } = is;
  // Within one fund, the activity types change by their differences only (typeSums.ts).
  const deltas = typeDeltas(before && typedOf(before), typedOf(after));
  const changes =
    was && (was.fundId !== is.fundId || was.currency !== is.currency)
      ? [negated(was), is]
      : [
          {
            ...isSums,
            claimed: is.claimed - (was?.claimed ?? 0),
            approved: is.approved - (was?.approved ?? 0),
            pending: is.pending - (was?.pending ?? 0),
            paid: (is.paid ?? 0) - (was?.paid ?? 0),
            ...(deltas.length ? { byType: deltas } : {}),
          },
        ];
  // Ids only for the entries kept: most changes move no sums.
  return changes.filter((e) => !isZero(e) || e.byType?.length).map((e) => ({ ...e, id: newId() }));
}

/** Where a fund's sums in one currency are kept in a ledger (a fund's claims all share its currency). */
export const ledgerKey = (fundId: string, currency: string): string => `${fundId} ${currency}`;

/** Where the sums of a fund's claims of one activity type are kept in a ledger, beside the fund's. */
export const typeKey = (fundId: string, currency: string, activityType: string): string =>
  `${ledgerKey(fundId, currency)} ${activityType}`;

/** A fund's sums for one activity type (zero where nothing was posted). */
export function typeSumsOf(
  ledger: FundLedger,
  fundId: string,
  currency: string,
  activityType: string,
): TypeSums {
  const zero: TypeSums = { ...NO_TYPE_SUMS };
  const sums = ledger[typeKey(fundId, currency, activityType)] as Partial<TypeSums> | undefined;
  return sums ? addSums(zero, { ...zero, ...sums }) : zero;
}

/** The ledger with one entry's changes to activity type sums added. */
function postTypes(ledger: FundLedger, entry: LedgerEntry): FundLedger {
  if (!entry.byType?.length) return ledger;
  const next: Record<string, FundSums> = { ...ledger };
  for (const { activityType, ...delta } of entry.byType) {
    const key = typeKey(entry.fundId, entry.currency, activityType);
    const was = { ...NO_TYPE_SUMS, ...(next[key] as Partial<TypeSums> | undefined) };
    next[key] = { currency: entry.currency, ...addSums(was, delta) };
  }
  return next;
}

/** The ledger with one entry added. */
export function postEntry(ledger: FundLedger, entry: LedgerEntry): FundLedger {
  const key = ledgerKey(entry.fundId, entry.currency);
  const sums = ledger[key] ?? { currency: entry.currency, claimed: 0, approved: 0, pending: 0 };
  return postTypes(
    {
      ...ledger,
      [key]: {
        currency: sums.currency,
        claimed: sums.claimed + entry.claimed,
        approved: sums.approved + entry.approved,
        pending: sums.pending + entry.pending,
        paid: (sums.paid ?? 0) + (entry.paid ?? 0),
        ...(sums.reserved || entry.reserved
          ? { reserved: (sums.reserved ?? 0) + (entry.reserved ?? 0) }
          : {}),
      },
    },
    entry,
  );
}

/** The ledger of a set of claims, summed from scratch. */
export const ledgerOf = (claims: readonly ClaimAmounts[]): FundLedger =>
  claims.reduce<FundLedger>((ledger, c) => postEntry(ledger, contributionOf(c)), {});

/**
 * Remaining = allocated − approved − pending − reserved (by approved fund requests). Claims in another
 * currency than the fund's do not count.
 */
export function totalsFrom(fund: Fund, ledger: FundLedger): FundTotals {
  const c = fund.allocated.currency;
  const own: Omit<FundSums, 'currency'> = ledger[ledgerKey(fund.id, c)] ?? {
    claimed: 0,
    approved: 0,
    pending: 0,
  };
  const approved = money(own.approved, c);
  const pending = money(own.pending, c);
  const reserved = money(own.reserved ?? 0, c);
  return {
    allocated: fund.allocated,
    claimed: money(own.claimed, c),
    approved,
    pending,
    remaining: subtract(subtract(subtract(fund.allocated, approved), pending), reserved),
    paid: money(own.paid ?? 0, c),
    reserved,
  };
}
