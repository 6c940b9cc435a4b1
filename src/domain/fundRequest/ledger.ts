import type { LedgerEntry } from '../fund';
import type { Money } from '../money';
import type { FundRequest } from './model';

/**
 * What a request reserves on its fund once approved, as it was stored: its reimbursable share, or
 * (requests stored before shares were) its planned amount. Never recomputed from the fund now.
 */
export const reservationOf = (request: FundRequest): Money =>
  request.reserves ?? request.plannedAmount;

/** What a request holds on its fund: its reservation while approved, nothing otherwise. */
const reservedBy = (request: FundRequest): number =>
  request.status === 'approved' ? reservationOf(request).minor : 0;

/**
 * The ledger entry that moves the fund's reserved sum from what `before` held to what `after` holds
 * (none when it does not move), with the entries `after` already carries.
 */
export function withRequestEntries(
  before: FundRequest | undefined,
  after: FundRequest,
  newId: () => string,
): FundRequest {
  const change = reservedBy(after) - (before ? reservedBy(before) : 0);
  if (!change) return after;
  const entry: LedgerEntry = {
    id: newId(),
    fundId: after.fundId,
    currency: reservationOf(after).currency,
    claimed: 0,
    approved: 0,
    pending: 0,
    reserved: change,
  };
  return { ...after, ledgerEntries: [...(after.ledgerEntries ?? []), entry] };
}

/** What the tenant's approved requests hold, as entries (how a ledger made from scratch starts). */
export const reservationsOf = (requests: readonly FundRequest[]): LedgerEntry[] =>
  requests
    .filter((r) => reservedBy(r) > 0)
    .map((r) => ({
      id: '',
      fundId: r.fundId,
      currency: reservationOf(r).currency,
      claimed: 0,
      approved: 0,
      pending: 0,
      reserved: reservedBy(r),
    }));
