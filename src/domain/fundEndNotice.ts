import type { Fund, FundTotals } from './fund';
import type { Notification, Recipient } from './notification';

/** One admin's copy of a fund-end notice: a recipient and the state of its delivery. */
export type FundEndItem = Omit<Notification, 'kind' | 'details' | 'note' | 'from' | 'createdAt'>;

/**
 * Told to a tenant's Incentives and global admins 30 days before a fund's period ends: what of it
 * was unspent when the notice was queued. One per fund (its id comes from the fund's), stored with
 * its outbox so that the one outbox engine delivers it like any other notice.
 */
export interface FundEndNotice {
  readonly id: string;
  readonly tenantId: string;
  /** The outbox engine's key; the same as `id`. */
  readonly number: string;
  readonly fundId: string;
  readonly totals: FundTotals;
  readonly createdAt: string;
  readonly outbox: readonly FundEndItem[];
}

export const fundEndNoticeId = (fundId: string): string => `fundEnd.${fundId}`;

/** The notice for `fund`, owed to each of `admins` (each once). */
export function newFundEndNotice(
  fund: Fund,
  totals: FundTotals,
  admins: readonly Recipient[],
  now: string,
): FundEndNotice {
  const id = fundEndNoticeId(fund.id);
  const to = admins.filter((a, i) => admins.findIndex((x) => x.id === a.id) === i);
  return {
    id,
    tenantId: fund.tenantId,
    number: id,
    fundId: fund.id,
    totals,
    createdAt: now,
    outbox: to.map((r) => ({
      id: `${id}.${r.id}`,
      to: r,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now,
    })),
  };
}

export function updateFundEndItem(
  notice: FundEndNotice,
  id: string,
  change: (n: FundEndItem) => FundEndItem,
): FundEndNotice {
  return { ...notice, outbox: notice.outbox.map((n) => (n.id === id ? change(n) : n)) };
}
