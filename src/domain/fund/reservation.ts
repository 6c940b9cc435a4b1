import { AppError } from '../errors';
import { Money, money } from '../money';
import { FundLedger, FundSums, LedgerEntry, ledgerKey, postEntry } from './ledger';

/** A change that would take a fund past its allocation: `remaining` is what the fund has left. */
export class FundExhaustedError extends AppError {
  constructor(readonly remaining: Money) {
    super('FUND_EXHAUSTED', { remaining: remaining.minor, currency: remaining.currency });
  }
}

/**
 * Whether entries add to some fund's approved + pending + reserved (those must be reserved before
 * they count).
 */
export const commitsMore = (entries: readonly LedgerEntry[]): boolean =>
  [...committedByKey(entries).values()].some((minor) => minor > 0);

/** What a fund has promised: approved, pending and reserved by approved requests. */
const committed = (s: Pick<FundSums, 'approved' | 'pending' | 'reserved'>): number =>
  s.approved + s.pending + (s.reserved ?? 0);

function committedByKey(entries: readonly LedgerEntry[]): Map<string, number> {
  const byKey = new Map<string, number>();
  for (const e of entries) {
    const key = ledgerKey(e.fundId, e.currency);
    byKey.set(key, (byKey.get(key) ?? 0) + committed(e));
  }
  return byKey;
}

/**
 * The ledger with `entries` posted, refusing them if a fund they add to would end with approved +
 * pending + reserved above its allocation (`allocated` by fund id; a fund not known, or another currency than
 * its own, has nothing to give).
 */
export function reserveEntries(
  ledger: FundLedger,
  entries: readonly LedgerEntry[],
  allocated: ReadonlyMap<string, Money>,
): FundLedger {
  const after = entries.reduce(postEntry, ledger);
  for (const [key, added] of committedByKey(entries)) {
    if (added <= 0) continue;
    const entry = entries.find((e) => ledgerKey(e.fundId, e.currency) === key) as LedgerEntry;
    const fund = allocated.get(entry.fundId);
    const limit = fund?.currency === entry.currency ? fund.minor : 0;
    const sums = after[key];
    if (committed(sums) <= limit) continue;
    const before = ledger[key] ?? { approved: 0, pending: 0 };
    throw new FundExhaustedError(money(Math.max(0, limit - committed(before)), entry.currency));
  }
  return after;
}
