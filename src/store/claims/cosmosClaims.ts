import { Container } from '@azure/cosmos';
import {
  Claim,
  ClaimDocument,
  DuplicateHit,
  FeedbackPage,
  HISTORY_MOST,
  HistoryPage,
  PostedCard,
  SUBMIT_STATUSES,
  formatClaimNumber,
  isCardRemembered,
  rememberCard,
} from '../../domain/claim';
import { AppError } from '../../domain/errors';
import { handsOf } from '../../domain/fourEyes';
import {
  ClaimAmounts,
  FundLedger,
  LedgerEntry,
  ledgerOf,
  negated,
  postEntry,
} from '../../domain/fund';
import { FundRequest, reservationsOf } from '../../domain/fundRequest';
import { WAITING_STATUSES } from '../../domain/policy';
import type { LedgerGate } from '../fundRequests/port';
import {
  AlreadyWritten,
  CosmosDb,
  EtagConflict,
  queryAll,
  readDoc,
  updateDoc,
  writeDoc,
} from '../cosmos';
import { CosmosFundRepository } from '../funds';
import { FundReservations, HOLD_SETTLES_MS } from '../reservations';
import type { TenantStamps } from '../tenantStamps';
import { TenantRecords } from '../tenantRecord';
import { appliedItem } from '../appliedActivities';
import { ClaimDoc, toClaim, toDoc, withLedgerEntries } from './claimDoc';
import { SUMMARY_FIELDS } from './summary';
import { QueryParameter, visibleTo } from './visibility';
import { ClaimFeedbackItems, FeedbackQuery, withKeptFeedback } from './feedback';
import { ClaimHistoryItems, HistoryQuery, withKeptHistory } from './history';
import { AMOUNT_FIELDS, ownLedger, resultsOfFund, withResultsDueBy } from './amounts';
import { LedgerPosting } from './ledgerPosting';
import * as sweeps from './sweeps';
import { CosmosInvoiceIndex } from './invoiceIndex';
import type { ClaimKey, ClaimPage, ClaimRepository, ClaimScope, UpdateOptions } from './port';
import type { ClaimResults, ClaimSummary } from './summary';
import { RecentVersions } from './recentVersions';
import { CosmosReviewQueue, ReviewFilter, ReviewQueueKey, ReviewQueuePage } from './reviewQueue';

/** Overview pages this process keeps (see `pages`). */
const CACHED_PAGES = 2000;

export interface ClaimStoreOptions {
  /** How old a reservation must be before a read settles it (HOLD_SETTLES_MS; tests shorten it). */
  readonly holdSettlesMs?: number;
  /**
   * Whether a change's turn waits for its fund sums to be posted: needed when instances share the
   * database (the next turn may land on another), not when this process is the only one.
   */
  readonly awaitPostings?: boolean;
}

/** A new claim and the document it is stored as. */
interface MadeClaim {
  readonly claim: Claim;
  readonly doc: ClaimDoc;
}

/** Claims in Cosmos DB: one document per claim in the tenant's partition of the `claims` container. */
export class CosmosClaimRepository implements ClaimRepository {
  private readonly container: Container;
  private readonly tenants: TenantRecords;
  private readonly reservations: FundReservations;
  private readonly recent = new RecentVersions();
  private readonly ledger: LedgerPosting;
  private readonly reviews: CosmosReviewQueue;
  private readonly history: ClaimHistoryItems;
  private readonly feedback: ClaimFeedbackItems;
  private readonly invoices: CosmosInvoiceIndex;
  /**
   * Overview pages by tenant, scope and page, with the tenant's list version they were read at: a
   * page is read again only when a claim of the tenant was added or changed since.
   */
  private readonly pages = new Map<string, { listVersion: number; page: ClaimPage }>();

  constructor(
    db: CosmosDb,
    private readonly options: ClaimStoreOptions = {},
  ) {
    this.container = db.container('claims');
    this.tenants = new TenantRecords(this.container, (tenantId) => this.ledgerFromClaims(tenantId));
    this.ledger = new LedgerPosting({
      container: this.container,
      tenants: this.tenants,
      recent: this.recent,
    });
    this.reviews = new CosmosReviewQueue(this.container);
    this.history = new ClaimHistoryItems(this.container);
    this.feedback = new ClaimFeedbackItems(this.container);
    this.invoices = new CosmosInvoiceIndex(this.container, this.tenants);
    this.reservations = new FundReservations({
      claims: this.container,
      tenants: this.tenants,
      funds: new CosmosFundRepository({ db, stamps: this.tenants }),
      postLedgerEntries: (tenantId, number) => this.ledger.post(tenantId, number),
      holdSettlesMs: options.holdSettlesMs ?? HOLD_SETTLES_MS,
    });
  }

  /** The tenant's roles, funds and invoice-key stamps, kept in the tenant record beside the ledger. */
  get stamps(): TenantStamps {
    return this.tenants;
  }

  async create(tenantId: string, formId: string, build: (seq: number) => Claim): Promise<Claim> {
    const make = (seq: number): MadeClaim => {
      const claim = withLedgerEntries(undefined, build(seq));
      return { claim, doc: toDoc(claim, []) };
    };
    let made: MadeClaim | undefined;
    try {
      // The number and the claim in one request.
      const { seq, repeated, etag } = await this.tenants.allocateWith(
        tenantId,
        formId,
        (seq) => (made = make(seq)).doc,
      );
      if (!repeated && made && etag !== undefined) return await this.created(tenantId, made, etag);
      // A repeated form gets its claim again; if the claim is missing (its number was taken by an
      // older version of the app, in a write of its own), it is stored now.
      const existing = await this.get(tenantId, formatClaimNumber(seq));
      if (existing) return existing;
      const missing = (made = make(seq));
      return await this.created(
        tenantId,
        missing,
        await writeDoc(this.container, missing.doc, undefined),
      );
    } catch (e) {
      // A claim stored under that number already (a twin racing it): that one is the answer.
      if (!(e instanceof EtagConflict) || !made) throw e;
      const twin = await this.get(tenantId, made.claim.number);
      if (!twin) throw e;
      return twin;
    }
  }

  private async posted(tenantId: string, number: string): Promise<void> {
    const posting = this.ledger.start(tenantId, number);
    if (this.options.awaitPostings) await posting;
  }

  private async created(tenantId: string, made: MadeClaim, etag: string): Promise<Claim> {
    // A new claim has no documents yet (createClaim), so no invoice keys: they come with its updates.
    this.recent.remember(tenantId, made.claim.number, { doc: made.doc, etag });
    if (made.claim.ledgerEntries?.length) await this.posted(tenantId, made.claim.number);
    return made.claim;
  }

  async get(tenantId: string, number: string): Promise<Claim | undefined> {
    const found = await readDoc<ClaimDoc>(this.container, tenantId, number);
    if (!found || found.doc.type !== 'claim') return undefined;
    this.recent.remember(tenantId, number, found);
    return toClaim(found.doc);
  }

  lastSeen(tenantId: string, number: string): Claim | undefined {
    const known = this.recent.get(tenantId, number);
    return known ? toClaim(known.doc) : undefined;
  }

  async update(
    tenantId: string,
    number: string,
    activityId: string,
    change: (claim: Claim) => Claim,
    options: UpdateOptions = {},
  ): Promise<Claim> {
    let keysChanged = false;
    const saved = await updateDoc<ClaimDoc>(
      this.container,
      tenantId,
      number,
      (doc) => {
        if (!doc || doc.type !== 'claim') throw new AppError('CLAIM_NOT_FOUND', { number });
        if (doc.appliedActivities.includes(activityId)) return undefined;
        const current = toClaim(doc);
        const next = change(current);
        if (next === current) return undefined;
        return toDoc(withKeptFeedback(withKeptHistory(withLedgerEntries(current, next))), [
          ...doc.appliedActivities,
          activityId,
        ]);
      },
      {
        recent: this.recent.get(tenantId, number),
        recentIsFresh: options.readMomentsAgo === true,
        read: (version) => this.recent.remember(tenantId, number, version),
        written: (version) => this.recent.remember(tenantId, number, version),
        beforeWrite: async (next, current) => {
          await this.history.moveOut(tenantId, number, current, next);
          await this.feedback.moveOut(tenantId, number, current, next);
          return this.reservations.reserve(tenantId, next, current);
        },
        marker: appliedItem(tenantId, number, activityId),
        alongside: async (next, current) => {
          const writes = await this.invoices.alongside(tenantId, next, current);
          keysChanged ||= writes.length > 0;
          return writes;
        },
      },
    )
      .finally(async () => {
        if (keysChanged) await this.invoices.written(tenantId);
      })
      .catch(async (e: unknown) => {
        if (!(e instanceof AlreadyWritten)) throw e;
        const found = await readDoc<ClaimDoc>(this.container, tenantId, number);
        if (found) this.recent.remember(tenantId, number, found);
        return found?.doc;
      });
    if (!saved) throw new AppError('CLAIM_NOT_FOUND', { number });
    if (saved.ledgerEntries?.length) await this.posted(tenantId, number);
    return toClaim(saved);
  }

  duplicatesOf(claim: Claim): Promise<DuplicateHit[]> {
    return this.invoices.hits(claim);
  }

  async rememberCard(tenantId: string, number: string, card: PostedCard): Promise<void> {
    const known = this.recent.get(tenantId, number)?.doc;
    if (known && isCardRemembered(known, card)) return;
    await this.update(tenantId, number, `card:${card.activityId}`, (claim) =>
      rememberCard(claim, card),
    );
  }

  historyPage(claim: Claim, query: HistoryQuery): Promise<HistoryPage> {
    return this.history.page(claim, query);
  }

  feedbackPage(claim: Claim, document: ClaimDocument, query: FeedbackQuery): Promise<FeedbackPage> {
    return this.feedback.page(claim, document, query);
  }

  async compactHistory(tenantId: string, number: string): Promise<void> {
    await updateDoc<ClaimDoc>(
      this.container,
      tenantId,
      number,
      (doc) => {
        if (doc?.type !== 'claim' || doc.history.length <= HISTORY_MOST) return undefined;
        // Who had a hand is read from the whole history of a claim stored before it was kept.
        const claim = toClaim(doc);
        return toDoc(withKeptHistory({ ...claim, hands: handsOf(claim) }), doc.appliedActivities);
      },
      {
        read: (version) => this.recent.remember(tenantId, number, version),
        written: (version) => this.recent.remember(tenantId, number, version),
        beforeWrite: async (next, current) => {
          await this.history.moveOut(tenantId, number, current, next);
          return undefined;
        },
      },
    );
  }

  withLongHistory(): Promise<ClaimKey[]> {
    return sweeps.withLongHistory(this.container);
  }

  postLedgerEntries(tenantId: string, number: string): Promise<void> {
    return this.ledger.post(tenantId, number);
  }

  reviewQueue(
    tenantId: string,
    page: { after?: ReviewQueueKey; size: number; filter?: ReviewFilter },
  ): Promise<ReviewQueuePage> {
    return this.reviews.reviewQueue(tenantId, page);
  }

  async fundLedger(tenantId: string): Promise<FundLedger> {
    await this.ledger.postedHere(tenantId);
    return (await this.readTenant(tenantId)).funds;
  }

  private async readTenant(tenantId: string): ReturnType<TenantRecords['read']> {
    const view = await this.tenants.read(tenantId);
    if (view.holds.length) this.reservations.settleStale(tenantId, view.holds);
    return view;
  }

  async overview(
    tenantId: string,
    scope: ClaimScope,
    page: { before?: number; size: number },
  ): Promise<{ page: ClaimPage; funds: FundLedger }> {
    await this.ledger.postedHere(tenantId);
    const { funds, listVersion } = await this.readTenant(tenantId);
    const key = JSON.stringify([tenantId, scope, page.before ?? null, page.size]);
    const cached = this.pages.get(key);
    if (cached?.listVersion === listVersion) return { page: cached.page, funds };
    const fresh = await this.list(tenantId, scope, page);
    this.pages.delete(key);
    this.pages.set(key, { listVersion, page: fresh });
    if (this.pages.size > CACHED_PAGES) this.pages.delete(this.pages.keys().next().value as string);
    return { page: fresh, funds };
  }

  ownLedger(tenantId: string, userId: string): Promise<FundLedger> {
    return ownLedger(this.container, tenantId, userId);
  }

  resultsOfFund(tenantId: string, fundId: string): Promise<ReadonlyMap<string, ClaimResults>> {
    return resultsOfFund(this.container, tenantId, fundId);
  }

  /** The fund sums a tenant's claims and approved fund requests add up to now (how its ledger starts). */
  private async ledgerFromClaims(tenantId: string): Promise<FundLedger> {
    const [claims, requests] = await Promise.all([
      queryAll<ClaimAmounts & { ledgerEntries?: LedgerEntry[] }>(
        this.container,
        `SELECT ${AMOUNT_FIELDS}, c.ledgerEntries FROM c WHERE c.tenantId = @t AND c.type = 'claim'`,
        [{ name: '@t', value: tenantId }],
      ),
      queryAll<FundRequest>(
        this.container,
        "SELECT * FROM c WHERE c.tenantId = @t AND c.type = 'fundRequest'",
        [{ name: '@t', value: tenantId }],
      ),
    ]);
    const unposted = [...claims, ...requests].flatMap((c) => c.ledgerEntries ?? []).map(negated);
    return [...reservationsOf(requests), ...unposted].reduce(postEntry, ledgerOf(claims));
  }

  /** The fund gate and postings for fund requests, which live beside the claims (see fundRequests/). */
  ledgerGate(): LedgerGate {
    return {
      reserve: (tenantId, next, current) => this.reservations.reserve(tenantId, next, current),
      postChange: (tenantId, number) => this.posted(tenantId, number),
      post: (tenantId, number) => this.ledger.post(tenantId, number),
    };
  }

  async list(
    tenantId: string,
    scope: ClaimScope,
    page: { before?: number; size: number },
  ): Promise<ClaimPage> {
    const parameters: QueryParameter[] = [
      { name: '@t', value: tenantId },
      { name: '@before', value: page.before ?? Number.MAX_SAFE_INTEGER },
    ];
    const who = visibleTo(scope, parameters);
    const rows = await queryAll<ClaimSummary>(
      this.container,
      `SELECT TOP ${page.size + 1} ${SUMMARY_FIELDS} FROM c WHERE c.tenantId = @t AND c.type = 'claim' AND c.seq < @before${who} ORDER BY c.seq DESC`,
      parameters,
    );
    const items = rows.slice(0, page.size);
    return rows.length > page.size ? { items, next: items[items.length - 1].seq } : { items };
  }

  withOpenNotifications(recipient?: { tenantId: string; userId: string }): Promise<ClaimKey[]> {
    return sweeps.withOpenNotifications(this.container, recipient);
  }

  withRequestsDueBy(day: string): Promise<ClaimKey[]> {
    return sweeps.withRequestsDueBy(this.container, day);
  }

  withResultsDueBy(day: string): Promise<ClaimKey[]> {
    return withResultsDueBy(this.container, day);
  }

  waitingForReview(): Promise<ClaimKey[]> {
    return sweeps.inStatuses(this.container, WAITING_STATUSES);
  }

  awaitingSubmit(): Promise<ClaimKey[]> {
    return sweeps.inStatuses(this.container, SUBMIT_STATUSES);
  }
}
