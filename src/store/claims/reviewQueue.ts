import type { Container } from '@azure/cosmos';
import { queryAll } from '../cosmos';
import { ClaimSummary, SUMMARY_FIELDS } from './summary';

/** The review queue's statuses by rank: Submitted first, then Under review and Disputed. */
const REVIEW_RANKS = [
  "c.status = 'submitted'",
  "(c.status = 'underReview' OR c.status = 'disputed')",
] as const;

/** Longer than any ISO 8601 time: a longer one in a key is forged. */
const MAX_SUBMITTED_AT = 40;

/** A claim's place in the review queue: where a page ends and the next one starts after. */
export interface ReviewQueueKey {
  /** Index into REVIEW_RANKS. */
  readonly rank: number;
  /** Empty for a claim stored without a submission time (old data): those come first in a rank. */
  readonly submittedAt: string;
  readonly seq: number;
}

/** Whether `value` is a place in the review queue, as card data that came back from a client must be. */
export function isReviewQueueKey(value: unknown): value is ReviewQueueKey {
  const key = value as Partial<ReviewQueueKey> | null;
  return (
    typeof key === 'object' &&
    key !== null &&
    Number.isInteger(key.rank) &&
    (key.rank as number) >= 0 &&
    (key.rank as number) < REVIEW_RANKS.length &&
    typeof key.submittedAt === 'string' &&
    key.submittedAt.length <= MAX_SUBMITTED_AT &&
    Number.isSafeInteger(key.seq) &&
    (key.seq as number) >= 0
  );
}

/** Which of the waiting claims a page lists: all, only Submitted or only Disputed ones, of one fund. */
export interface ReviewFilter {
  readonly status?: 'submitted' | 'disputed';
  readonly fundId?: string;
}

/**
 * A waiting claim, with when it was submitted and, when disputed, when the dispute came (how long it
 * has waited), where known.
 */
export type ReviewItem = ClaimSummary & {
  readonly submittedAt?: string;
  readonly disputedAt?: string;
};

export interface ReviewQueuePage {
  readonly items: readonly ReviewItem[];
  /** Pass as `after` for the next page; undefined on the last page. */
  readonly next?: ReviewQueueKey;
}

export interface ReviewQueue {
  reviewQueue(
    tenantId: string,
    page: { after?: ReviewQueueKey; size: number; filter?: ReviewFilter },
  ): Promise<ReviewQueuePage>;
}

type ReviewRow = ReviewItem;
/** Claims stored before submission times were recorded lack one (or hold an empty one). */
const SUBMITTED_AT_KNOWN = "(IS_STRING(c.submittedAt) AND c.submittedAt != '')";
/** Ordinal, as Cosmos DB compares strings. */
const compareText = (a = '', b = ''): number => (a < b ? -1 : a > b ? 1 : 0);

/** The claims waiting for a reviewer, paged by queries that each read at most a page. */
export class CosmosReviewQueue implements ReviewQueue {
  constructor(private readonly container: Container) {}

  /**
   * One page of the review queue: rank by rank (REVIEW_RANKS), each oldest submission first, then by
   * number. Every query reads at most a page, so a long queue costs the same per page as a short one.
   */
  async reviewQueue(
    tenantId: string,
    page: { after?: ReviewQueueKey; size: number; filter?: ReviewFilter },
  ): Promise<ReviewQueuePage> {
    const { after, size, filter = {} } = page;
    // One more than the page tells whether another page follows.
    const found: { key: ReviewQueueKey; summary: ReviewItem }[] = [];
    for (let rank = after?.rank ?? 0; rank < REVIEW_RANKS.length && found.length <= size; rank++) {
      if (filter.status === 'submitted' && rank > 0) break;
      if (filter.status === 'disputed' && rank === 0) continue;
      const from = rank === after?.rank ? after : undefined;
      const rows = await this.reviewRank(tenantId, rank, from, size + 1 - found.length, filter);
      for (const row of rows) {
        const key = { rank, submittedAt: row.submittedAt || '', seq: row.seq };
        found.push({ key, summary: row });
      }
    }
    const items = found.slice(0, size).map((f) => f.summary);
    return found.length > size ? { items, next: found[size - 1].key } : { items };
  }

  /** The first `limit` claims of a rank after `from`: those without a submission time, then the others. */
  private async reviewRank(
    tenantId: string,
    rank: number,
    from: ReviewQueueKey | undefined,
    limit: number,
    filter: ReviewFilter,
  ): Promise<ReviewRow[]> {
    const afterUndated = !from || from.submittedAt === '';
    const undated = afterUndated
      ? await this.reviewRows(
          tenantId,
          rank,
          filter,
          `NOT ${SUBMITTED_AT_KNOWN} AND c.seq > @seq`,
          {
            orderBy: 'c.seq',
            limit,
            params: { seq: from?.seq ?? 0 },
          },
        )
      : [];
    if (undated.length === limit) return undated;
    const dated = await this.datedForReview(
      tenantId,
      rank,
      afterUndated ? undefined : from,
      limit - undated.length,
      filter,
    );
    return [...undated, ...dated];
  }

  /** The first `limit` claims of a rank with a submission time after `from`, by time and number. */
  private async datedForReview(
    tenantId: string,
    rank: number,
    from: ReviewQueueKey | undefined,
    limit: number,
    filter: ReviewFilter,
  ): Promise<ReviewRow[]> {
    const afterFrom = from
      ? ' AND (c.submittedAt > @at OR (c.submittedAt = @at AND c.seq > @seq))'
      : '';
    // Ordered by time only: ORDER BY on two fields needs a composite index the container lacks.
    const rows = await this.reviewRows(
      tenantId,
      rank,
      filter,
      `${SUBMITTED_AT_KNOWN}${afterFrom}`,
      {
        orderBy: 'c.submittedAt',
        limit: limit + 1,
        params: from ? { at: from.submittedAt, seq: from.seq } : {},
      },
    );
    rows.sort((a, b) => compareText(a.submittedAt, b.submittedAt) || a.seq - b.seq);
    const boundary = rows[limit]?.submittedAt;
    if (boundary === undefined || rows[limit - 1].submittedAt !== boundary) {
      return rows.slice(0, limit);
    }
    // The page ends among claims submitted at the same moment, which the store returns in no set
    // order: take the lowest numbers of that moment.
    const earlier = rows.filter((r) => compareText(r.submittedAt, boundary) < 0);
    const tied = await this.reviewRows(
      tenantId,
      rank,
      filter,
      'c.submittedAt = @at AND c.seq > @seq',
      {
        orderBy: 'c.seq',
        limit: limit - earlier.length,
        params: { at: boundary, seq: boundary === from?.submittedAt ? from.seq : 0 },
      },
    );
    return [...earlier, ...tied];
  }

  private reviewRows(
    tenantId: string,
    rank: number,
    filter: ReviewFilter,
    condition: string,
    query: { orderBy: string; limit: number; params: Readonly<Record<string, string | number>> },
  ): Promise<ReviewRow[]> {
    const status = filter.status === 'disputed' ? " AND c.status = 'disputed'" : '';
    const fund = filter.fundId === undefined ? '' : ' AND c.fundId = @fund';
    return queryAll<ReviewRow>(
      this.container,
      `SELECT TOP ${query.limit} ${SUMMARY_FIELDS}, c.submittedAt, c.disputedAt FROM c WHERE c.tenantId = @t AND c.type = 'claim' AND ${REVIEW_RANKS[rank]}${status}${fund} AND ${condition} ORDER BY ${query.orderBy}`,
      [
        { name: '@t', value: tenantId },
        ...(filter.fundId === undefined ? [] : [{ name: '@fund', value: filter.fundId }]),
        ...Object.entries(query.params).map(([name, value]) => ({ name: `@${name}`, value })),
      ],
    );
  }
}
