import type {
  Claim,
  ClaimDocument,
  DuplicateHit,
  FeedbackPage,
  HistoryPage,
  PostedCard,
} from '../../domain/claim';
import type { FeedbackQuery } from './feedback';
import type { HistoryQuery } from './history';
import type { FundLedger } from '../../domain/fund';
import type { ReviewQueue } from './reviewQueue';
import type { ClaimResults, ClaimSummary } from './summary';

export type { ClaimResults, ClaimSummary } from './summary';

/** The key of a claim in this process's caches. */
export const claimKey = (tenantId: string, number: string): string => `${tenantId}|${number}`;

export interface ClaimPage {
  readonly items: readonly ClaimSummary[];
  /** Pass as `before` for the next page; undefined on the last page. */
  readonly next?: number;
}

/**
 * Which claims a list shows: everything (admins), or the claims shared with the user until they are
 * decided, their own ones while they may make claims, and submitted ones for reviewers.
 */
export type ClaimScope =
  | { readonly kind: 'tenant' }
  | {
      readonly kind: 'user';
      readonly userId: string;
      readonly includeOwned: boolean;
      readonly includeSubmitted: boolean;
    };

/** The fund sums of a tenant, as the claims' changes post them. */
export interface FundLedgerPort {
  /**
   * The fund sums of the tenant, with every entry this process has written so far posted (what
   * other instances wrote shows within a second).
   */
  fundLedger(tenantId: string): Promise<FundLedger>;
  /**
   * The sums of the claims a user owns, summed from those claims (one user's, never the tenant's):
   * what `insights` shows a user who is not an Incentives admin.
   */
  ownLedger(tenantId: string, userId: string): Promise<FundLedger>;
  /** The results (issue 33) of a fund's claims by claim number: one query, for `export fund`. */
  resultsOfFund(tenantId: string, fundId: string): Promise<ReadonlyMap<string, ClaimResults>>;
  /** Posts the claim's pending ledger entries, each exactly once, and clears them from the claim. */
  postLedgerEntries(tenantId: string, number: string): Promise<void>;
}

export interface ClaimRepository extends ReviewQueue, FundLedgerPort {
  /**
   * Allocates the next number and stores the claim `build` makes with it. The same formId always
   * yields the same claim (a double click, a retried activity).
   */
  create(tenantId: string, formId: string, build: (seq: number) => Claim): Promise<Claim>;
  get(tenantId: string, number: string): Promise<Claim | undefined>;
  /**
   * Applies `change` to the stored claim in one conditional write (retried from a fresh read on a
   * conflict). An activity id already applied returns the stored claim unchanged.
   */
  update(
    tenantId: string,
    number: string,
    activityId: string,
    change: (claim: Claim) => Claim,
    options?: UpdateOptions,
  ): Promise<Claim>;
  /** The version of a claim this process last read or wrote (after a refusal: the one refused). */
  lastSeen(tenantId: string, number: string): Claim | undefined;
  list(
    tenantId: string,
    scope: ClaimScope,
    page: { before?: number; size: number },
  ): Promise<ClaimPage>;
  /**
   * A page of `list` and the fund sums, as the overview shows them: the tenant's record (read at
   * most once a second), and the list query only when a claim of the tenant was added or changed
   * since this process last read that page.
   */
  overview(
    tenantId: string,
    scope: ClaimScope,
    page: { before?: number; size: number },
  ): Promise<{ page: ClaimPage; funds: FundLedger }>;
  /**
   * Remembers a claim card posted in a chat, to update it when the claim changes. One already
   * remembered in the version this process last saw costs nothing.
   */
  rememberCard(tenantId: string, number: string, card: PostedCard): Promise<void>;
  /**
   * A page of the claim's history, newest first: the events its document keeps, then those moved
   * out to items of their own (see historyWindow.ts).
   */
  historyPage(claim: Claim, query: HistoryQuery): Promise<HistoryPage>;
  /**
   * A page of a document's feedback, newest first: the pieces the claim document keeps, then those
   * moved out to items of their own (see feedbackWindow.ts).
   */
  feedbackPage(claim: Claim, document: ClaimDocument, query: FeedbackQuery): Promise<FeedbackPage>;
  /** Moves the events beyond the newest out of a claim document stored in the older, longer shape. */
  compactHistory(tenantId: string, number: string): Promise<void>;
  /**
   * The other claims of the tenant holding one of the claim's invoices (same file, or same read
   * number and total): one query on the tenant's invoice keys, kept with each claim write.
   */
  duplicatesOf(claim: Claim): Promise<DuplicateHit[]>;
  /** Claims, in every tenant, whose document still holds more history than it keeps (older shape). */
  withLongHistory(): Promise<ClaimKey[]>;
  /** Claims, in every tenant, with an open upload request due on or before `day`. */
  withRequestsDueBy(day: string): Promise<ClaimKey[]>;
  /** Claims, in every tenant, whose owner is to be asked for results on or before `day`. */
  withResultsDueBy(day: string): Promise<ClaimKey[]>;
  /** Claims, in every tenant, waiting for a reviewer (Submitted or Under review). */
  waitingForReview(): Promise<ClaimKey[]>;
  /** Claims, in every tenant, waiting for their owner to submit them (their submit deadline applies). */
  awaitingSubmit(): Promise<ClaimKey[]>;
  /**
   * Claims with undelivered notifications or unposted fund sums, in every tenant (or with
   * notifications for one recipient in a tenant).
   */
  withOpenNotifications(recipient?: { tenantId: string; userId: string }): Promise<ClaimKey[]>;
}

export interface UpdateOptions {
  /**
   * The caller read the claim moments ago (to authorize the change): a refusal by `change` of that
   * version stands, without reading it again.
   */
  readonly readMomentsAgo?: boolean;
}

export interface ClaimKey {
  readonly tenantId: string;
  readonly number: string;
}
