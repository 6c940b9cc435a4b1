import { BoundedMap } from '../../domain/boundedMap';
import {
  Claim,
  ClaimDocument,
  DuplicateHit,
  Feedback,
  FeedbackPage,
  HISTORY_MOST,
  HistoryEvent,
  HistoryPage,
  PostedCard,
  formatClaimNumber,
  feedbackPageOf,
  historyPageOf,
  splitFeedback,
  splitHistory,
  isCardRemembered,
  rememberCard,
  SUBMIT_STATUSES,
} from '../../domain/claim';
import { AppError } from '../../domain/errors';
import { handsOf } from '../../domain/fourEyes';
import {
  FundLedger,
  LedgerEntry,
  commitsMore,
  ledgerOf,
  postEntry,
  reserveEntries,
} from '../../domain/fund';
import type { Money } from '../../domain/money';
import { WAITING_STATUSES } from '../../domain/policy';
import { resultsByNumber } from '../claims/amounts';
import { ClaimDoc, NO_DUE, toClaim, toDoc, withLedgerEntries } from '../claims/claimDoc';
import {
  ClaimKey,
  ClaimPage,
  ClaimRepository,
  ClaimResults,
  ClaimScope,
  claimKey,
} from '../claims/port';
import type { HistoryQuery } from '../claims/history';
import { FeedbackQuery, movedFeedback, withKeptFeedback } from '../claims/feedback';
import type { ReviewFilter, ReviewQueueKey, ReviewQueuePage } from '../claims/reviewQueue';
import type { FundRepository } from '../funds';
import { allocationsOf } from '../reservations';
import { listPage, reviewQueuePage } from './claimQueries';
import { MemoryInvoiceIndex } from './invoiceIndex';
import { stored } from './stored';

/** What the Cosmos store keeps in a tenant's record: the claim counter, the forms seen, the fund sums. */
interface TenantState {
  last: number;
  readonly forms: Map<string, number>;
  ledger: FundLedger;
}

const feedbackKey = (claim: Claim, documentId: string): string =>
  `${claimKey(claim.tenantId, claim.number)}|${documentId}`;

/** As many last seen versions as the Cosmos store keeps. */
const RECENT_VERSIONS = 500;

/**
 * Claims in this process's memory: the twin of CosmosClaimRepository, for fast tests. Every write is
 * one synchronous step, so it needs no ETags; ledger entries are posted to the fund sums in the same
 * step as the claim change (the Cosmos store posts them right after), and a change that adds to a
 * fund's approved + pending passes the same gate (`reserveEntries`).
 */
export class MemoryClaimRepository implements ClaimRepository {
  private readonly docs = new Map<string, ClaimDoc>();
  private readonly invoices = new MemoryInvoiceIndex();
  private readonly tenants = new Map<string, TenantState>();
  private readonly seen = new BoundedMap<ClaimDoc>(RECENT_VERSIONS);
  /** History events moved out of each claim, oldest first (the Cosmos store's event items). */
  private readonly moved = new Map<string, HistoryEvent[]>();
  /** Feedback moved out of each claim's documents, by claim and document (the Cosmos store's items). */
  private readonly movedFeedback = new Map<string, Feedback[]>();
  /** Every activity applied to each claim (the Cosmos store's applied-activity items). */
  private readonly applied = new Map<string, Set<string>>();

  constructor(private readonly o: { readonly funds: FundRepository }) {}

  async create(tenantId: string, formId: string, build: (seq: number) => Claim): Promise<Claim> {
    const tenant = this.tenant(tenantId);
    const known = tenant.forms.get(formId);
    // The number and the claim are stored in one step: a form seen before has its claim.
    if (known !== undefined) return (await this.get(tenantId, formatClaimNumber(known))) as Claim;
    const claim = withLedgerEntries(undefined, build(tenant.last + 1));
    tenant.last += 1;
    tenant.forms.set(formId, tenant.last);
    this.write({ tenantId, claim, applied: [] });
    return stored(claim);
  }

  async get(tenantId: string, number: string): Promise<Claim | undefined> {
    const doc = this.docs.get(claimKey(tenantId, number));
    if (!doc) return undefined;
    this.seen.set(claimKey(tenantId, number), doc);
    return stored(toClaim(doc));
  }

  lastSeen(tenantId: string, number: string): Claim | undefined {
    const doc = this.seen.get(claimKey(tenantId, number));
    return doc && stored(toClaim(doc));
  }

  async update(
    tenantId: string,
    number: string,
    activityId: string,
    change: (claim: Claim) => Claim,
  ): Promise<Claim> {
    const key = claimKey(tenantId, number);
    for (;;) {
      const doc = this.docs.get(key);
      if (!doc) throw new AppError('CLAIM_NOT_FOUND', { number });
      this.seen.set(key, doc);
      const applied = this.applied.get(key) ?? new Set<string>();
      if (applied.has(activityId)) return stored(toClaim(doc));
      const current = stored(toClaim(doc));
      const next = change(current);
      if (next === current) return current;
      const changed = withLedgerEntries(current, next);
      const entries = changed.ledgerEntries ?? [];
      const allocated = commitsMore(entries)
        ? await allocationsOf(this.o.funds, tenantId, entries)
        : undefined;
      // The funds were looked up meanwhile: a change written since is applied to from the start.
      if (this.docs.get(key) !== doc) continue;
      this.write({
        tenantId,
        claim: changed,
        applied: [...doc.appliedActivities, activityId],
        allocated,
      });
      this.applied.set(key, applied.add(activityId));
      return stored(changed);
    }
  }

  async duplicatesOf(claim: Claim): Promise<DuplicateHit[]> {
    return this.invoices.hits(claim);
  }

  async rememberCard(tenantId: string, number: string, card: PostedCard): Promise<void> {
    const known = this.seen.get(claimKey(tenantId, number));
    if (known && isCardRemembered(known, card)) return;
    await this.update(tenantId, number, `card:${card.activityId}`, (claim) =>
      rememberCard(claim, card),
    );
  }

  async historyPage(claim: Claim, query: HistoryQuery): Promise<HistoryPage> {
    const moved = this.moved.get(claimKey(claim.tenantId, claim.number)) ?? [];
    return stored(historyPageOf([...moved, ...claim.history].reverse(), query));
  }

  async feedbackPage(
    claim: Claim,
    document: ClaimDocument,
    query: FeedbackQuery,
  ): Promise<FeedbackPage> {
    const moved = this.movedFeedback.get(feedbackKey(claim, document.id)) ?? [];
    const all = [...moved, ...splitFeedback(document).kept].reverse();
    return stored(feedbackPageOf(all, query));
  }

  async compactHistory(tenantId: string, number: string): Promise<void> {
    const doc = this.docs.get(claimKey(tenantId, number));
    if (!doc || doc.history.length <= HISTORY_MOST) return;
    const claim = toClaim(doc);
    this.write({
      tenantId,
      claim: { ...claim, hands: handsOf(claim) },
      applied: doc.appliedActivities,
    });
  }

  async withLongHistory(): Promise<ClaimKey[]> {
    return this.keysOf((doc) => doc.history.length > HISTORY_MOST);
  }

  /** Nothing is ever left to post here: entries are posted in the step that writes their change. */
  async postLedgerEntries(): Promise<void> {}

  async fundLedger(tenantId: string): Promise<FundLedger> {
    return stored(this.tenant(tenantId).ledger);
  }

  async resultsOfFund(
    tenantId: string,
    fundId: string,
  ): Promise<ReadonlyMap<string, ClaimResults>> {
    return resultsByNumber(this.tenantDocs(tenantId).filter((d) => d.fundId === fundId));
  }

  async ownLedger(tenantId: string, userId: string): Promise<FundLedger> {
    return ledgerOf(this.tenantDocs(tenantId).filter((d) => d.owner.id === userId));
  }

  async list(
    tenantId: string,
    scope: ClaimScope,
    page: { before?: number; size: number },
  ): Promise<ClaimPage> {
    return stored(listPage(this.tenantDocs(tenantId), scope, page));
  }

  async overview(
    tenantId: string,
    scope: ClaimScope,
    page: { before?: number; size: number },
  ): Promise<{ page: ClaimPage; funds: FundLedger }> {
    return { page: await this.list(tenantId, scope, page), funds: await this.fundLedger(tenantId) };
  }

  async reviewQueue(
    tenantId: string,
    page: { after?: ReviewQueueKey; size: number; filter?: ReviewFilter },
  ): Promise<ReviewQueuePage> {
    return stored(reviewQueuePage(this.tenantDocs(tenantId), page));
  }

  async withRequestsDueBy(day: string): Promise<ClaimKey[]> {
    return this.keysOf((doc) => doc.nextRequestDue <= day);
  }

  async withResultsDueBy(day: string): Promise<ClaimKey[]> {
    return this.keysOf((doc) => (doc.resultsDue ?? NO_DUE) <= day);
  }

  async waitingForReview(): Promise<ClaimKey[]> {
    return this.keysOf((doc) => WAITING_STATUSES.includes(doc.status));
  }

  async awaitingSubmit(): Promise<ClaimKey[]> {
    return this.keysOf((doc) => SUBMIT_STATUSES.includes(doc.status));
  }

  async withOpenNotifications(recipient?: {
    tenantId: string;
    userId: string;
  }): Promise<ClaimKey[]> {
    return this.keysOf((doc) =>
      recipient
        ? doc.tenantId === recipient.tenantId && doc.openRecipients.includes(recipient.userId)
        : doc.openOutbox,
    );
  }

  /**
   * Stores the claim and posts its ledger entries to the tenant's fund sums, in one step: refused
   * (nothing written) with FundExhaustedError if they take a fund of `allocated` past it.
   */
  private write(o: {
    tenantId: string;
    claim: Claim;
    applied: readonly string[];
    allocated?: ReadonlyMap<string, Money>;
  }): void {
    const tenant = this.tenant(o.tenantId);
    const entries = o.claim.ledgerEntries ?? [];
    if (entries.length) {
      tenant.ledger = o.allocated
        ? reserveEntries(tenant.ledger, entries, o.allocated)
        : entries.reduce(postEntry, tenant.ledger);
    }
    const posted = entries.length ? { ...o.claim, ledgerEntries: [] } : o.claim;
    // The document keeps its newest events; the older ones move out in the same step.
    const { kept, moved } = splitHistory(posted.history);
    const key = claimKey(o.tenantId, posted.number);
    if (moved.length) this.moved.set(key, [...(this.moved.get(key) ?? []), ...stored(moved)]);
    const claim = withKeptFeedback({ ...posted, history: kept });
    for (const { document, piece } of movedFeedback(this.docs.get(key), claim)) {
      const at = feedbackKey(claim, document);
      this.movedFeedback.set(at, [...(this.movedFeedback.get(at) ?? []), stored(piece)]);
    }
    const before = this.docs.get(key);
    this.invoices.write(o.tenantId, claim, before && toClaim(before));
    const doc = stored(toDoc(claim, o.applied));
    this.docs.set(key, doc);
    this.seen.set(key, doc);
  }

  /**
   * Posts another document's entries (a fund request's) to the tenant's fund sums in the caller's
   * step, through the same gate as a claim's when `allocated` is given.
   */
  postEntries(
    tenantId: string,
    entries: readonly LedgerEntry[],
    allocated?: ReadonlyMap<string, Money>,
  ): void {
    const tenant = this.tenant(tenantId);
    tenant.ledger = allocated
      ? reserveEntries(tenant.ledger, entries, allocated)
      : entries.reduce(postEntry, tenant.ledger);
  }

  private tenantDocs(tenantId: string): ClaimDoc[] {
    return [...this.docs.values()].filter((d) => d.tenantId === tenantId);
  }

  private keysOf(match: (doc: ClaimDoc) => boolean): ClaimKey[] {
    return [...this.docs.values()]
      .filter(match)
      .map((d) => ({ tenantId: d.tenantId, number: d.number }));
  }

  private tenant(tenantId: string): TenantState {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) {
      tenant = { last: 0, forms: new Map(), ledger: {} };
      this.tenants.set(tenantId, tenant);
    }
    return tenant;
  }
}
