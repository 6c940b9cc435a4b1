import { DECIDED_STATUSES } from '../../domain/status';
import type { ClaimDoc } from '../claims/claimDoc';
import type { ClaimPage, ClaimScope, ClaimSummary } from '../claims/port';
import type { ReviewFilter, ReviewQueueKey, ReviewQueuePage } from '../claims/reviewQueue';

/** A claim as lists show it (what the Cosmos query projects). */
export const summaryOf = (doc: ClaimDoc): ClaimSummary => ({
  number: doc.number,
  seq: doc.seq,
  title: doc.title,
  status: doc.status,
  amount: doc.amount,
  approvedAmount: doc.approvedAmount,
  terms: doc.terms,
  exchange: doc.exchange,
  payments: doc.payments,
  fundId: doc.fundId,
  ownerName: doc.owner.name,
});

/** Whether a list of `scope` shows the claim: contributors only until it is decided, as canView says. */
function inScope(doc: ClaimDoc, scope: ClaimScope): boolean {
  if (scope.kind === 'tenant') return true;
  if (scope.includeOwned && doc.owner.id === scope.userId) return true;
  const decided = DECIDED_STATUSES.includes(doc.status);
  if (doc.contributorIds.includes(scope.userId) && !decided) return true;
  return scope.includeSubmitted && doc.status !== 'editing';
}

/** One page of a tenant's claims (`docs`) in `scope`, newest first, before `page.before`. */
export function listPage(
  docs: readonly ClaimDoc[],
  scope: ClaimScope,
  page: { before?: number; size: number },
): ClaimPage {
  const before = page.before ?? Number.MAX_SAFE_INTEGER;
  const rows = docs
    .filter((d) => d.seq < before && inScope(d, scope))
    .sort((a, b) => b.seq - a.seq)
    .slice(0, page.size + 1);
  const items = rows.slice(0, page.size).map(summaryOf);
  return rows.length > page.size ? { items, next: items[items.length - 1].seq } : { items };
}

/** The review queue's ranks: Submitted first, then Under review and Disputed. */
const rankOf = (doc: ClaimDoc): number | undefined =>
  doc.status === 'submitted'
    ? 0
    : doc.status === 'underReview' || doc.status === 'disputed'
      ? 1
      : undefined;

/** Ordinal, as Cosmos DB compares strings. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Rank, then submission time (claims without one first), then number. */
const compareKeys = (a: ReviewQueueKey, b: ReviewQueueKey): number =>
  a.rank - b.rank || compareText(a.submittedAt, b.submittedAt) || a.seq - b.seq;

/** One page of a tenant's claims (`docs`) waiting for a reviewer, right after `page.after`. */
export function reviewQueuePage(
  docs: readonly ClaimDoc[],
  page: { after?: ReviewQueueKey; size: number; filter?: ReviewFilter },
): ReviewQueuePage {
  const { after, size, filter = {} } = page;
  const queued = docs.flatMap((doc) => {
    const rank = rankOf(doc);
    if (rank === undefined) return [];
    if (filter.status && doc.status !== filter.status) return [];
    if (filter.fundId !== undefined && doc.fundId !== filter.fundId) return [];
    const submittedAt = typeof doc.submittedAt === 'string' ? doc.submittedAt : '';
    return [{ key: { rank, submittedAt, seq: doc.seq }, doc }];
  });
  const found = queued
    .filter((q) => !after || compareKeys(q.key, after) > 0)
    .sort((a, b) => compareKeys(a.key, b.key))
    .slice(0, size + 1);
  const items = found.slice(0, size).map((q) => ({
    ...summaryOf(q.doc),
    ...(q.key.submittedAt ? { submittedAt: q.key.submittedAt } : {}),
    ...(typeof q.doc.disputedAt === 'string' ? { disputedAt: q.doc.disputedAt } : {}),
  }));
  return found.length > size ? { items, next: found[size - 1].key } : { items };
}
