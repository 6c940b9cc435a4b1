import type { LedgerEntry } from '../fund';
import type { FundRequest } from './model';

/** What a request holds on its fund: its planned amount while approved, nothing otherwise. */
const reservedBy = (request: FundRequest): number =>
  request.status === 'approved' ? request.plannedAmount.minor : 0;

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
    currency: after.plannedAmount.currency,
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
      currency: r.plannedAmount.currency,
      claimed: 0,
      approved: 0,
      pending: 0,
      reserved: reservedBy(r),
    }));
