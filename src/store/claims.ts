import { Container } from '@azure/cosmos';
import { randomBytes } from 'node:crypto';
import { QueryParameter, SUMMARY_FIELDS, visibleTo } from './claimQueries';
import { TenantRecords } from './tenantRecord';
import { FundReservations, HOLD_SETTLES_MS } from './reservations';
import { CosmosFundRepository } from './funds';
import { log } from '../log';
import {
  Claim,
  PostedCard,
  formatClaimNumber,
  isCardRemembered,
  nextReminderDue,
  rememberCard,
} from '../domain/claim';
import { isOpen } from '../domain/notification';
import { AppError } from '../domain/errors';
import {
  ClaimAmounts,
  FundLedger,
  LedgerEntry,
  contributionOf,
  ledgerEntries,
  ledgerOf,
  negated,
  postEntry,
} from '../domain/fund';
import { Money } from '../domain/money';
import { ClaimStatus } from '../domain/status';
import {
  CosmosDb,
  EtagConflict,
  Versioned,
  queryAll,
  readDoc,
  updateDoc,
  writeDoc,
} from './cosmos';

/** Sorts after every date: "no open request" in the reminder query. */
const NO_DUE = '9999-12-31';

/** Claims whose last seen version this process keeps (see `recent`). */
const RECENT_VERSIONS = 500;
/** Overview pages this process keeps (see `pages`). */
const CACHED_PAGES = 2000;

export interface ClaimStoreOptions {
  /** How old a reservation must be before a read settles it (HOLD_SETTLES_MS; tests shorten it). */
  readonly holdSettlesMs?: number;
}

/** How many recent activity ids a claim remembers, so a retried activity has its effect once. */
const REMEMBERED_ACTIVITIES = 40;

interface ClaimDoc extends Claim {
  readonly type: 'claim';
  /** Derived from contributors, for queries. */
  readonly contributorIds: readonly string[];
  /** Derived from the outbox, for the dispatcher's sweep: undelivered notifications and to whom. */
  readonly openOutbox: boolean;
  readonly openRecipients: readonly string[];
  /** Derived: the earliest due date of an open upload request, or NO_DUE. */
  readonly nextRequestDue: string;
  readonly appliedActivities: readonly string[];
}

const entryId = (): string => randomBytes(8).toString('base64url');

export interface ClaimSummary {
  readonly number: string;
  readonly seq: number;
  readonly title: string;
  readonly status: ClaimStatus;
  readonly amount: Money;
  readonly approvedAmount?: Money;
  readonly fundId: string;
  readonly ownerName: string;
}

export interface ClaimPage {
  readonly items: readonly ClaimSummary[];
  /** Pass as `before` for the next page; undefined on the last page. */
  readonly next?: number;
}

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

export interface ReviewQueuePage {
  readonly items: readonly ClaimSummary[];
  /** Pass as `after` for the next page; undefined on the last page. */
  readonly next?: ReviewQueueKey;
}

/** Which claims a list shows: everything (admins), or the user's own and shared ones, plus submitted ones for reviewers. */
export type ClaimScope =
  | { readonly kind: 'tenant' }
  | { readonly kind: 'user'; readonly userId: string; readonly includeSubmitted: boolean };

export interface ClaimRepository {
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
  reviewQueue(
    tenantId: string,
    page: { after?: ReviewQueueKey; size: number },
  ): Promise<ReviewQueuePage>;
  /**
   * The fund sums of the tenant, with every entry this process has written so far posted (what
   * other instances wrote shows within a second).
   */
  fundLedger(tenantId: string): Promise<FundLedger>;
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
  /** Posts the claim's pending ledger entries, each exactly once, and clears them from the claim. */
  postLedgerEntries(tenantId: string, number: string): Promise<void>;
  /** Claims, in every tenant, with an open upload request due on or before `day`. */
  withRequestsDueBy(day: string): Promise<ClaimKey[]>;
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

type ReviewRow = ClaimSummary & { readonly submittedAt?: string };
/** Claims stored before submission times were recorded lack one (or hold an empty one). */
const SUBMITTED_AT_KNOWN = "(IS_STRING(c.submittedAt) AND c.submittedAt != '')";
/** Ordinal, as Cosmos DB compares strings. */
const compareText = (a = '', b = ''): number => (a < b ? -1 : a > b ? 1 : 0);

/** Whether a change shows in claim lists: what a summary shows, or who may see the claim. */
function listedDifferently(before: Claim, after: Claim): boolean {
  const shown = (c: Claim) =>
    JSON.stringify([
      c.title,
      c.status,
      c.amount,
      c.approvedAmount,
      c.fundId,
      c.owner,
      c.contributors.map((p) => p.id),
    ]);
  return shown(before) !== shown(after);
}

/**
 * The claim as `change` made it, with the ledger entries the change causes added to it: what it
 * changes in its fund's sums, or an empty entry for a change that only shows in claim lists (its
 * posting moves the tenant's list version on, so that cached overview pages are read again).
 */
function withLedgerEntries(before: Claim | undefined, after: Claim): Claim {
  const entries = ledgerEntries(before, after, entryId);
  if (!entries.length && before && listedDifferently(before, after)) {
    entries.push({ ...contributionOf(after), id: entryId(), claimed: 0, approved: 0, pending: 0 });
  }
  return entries.length
    ? { ...after, ledgerEntries: [...(after.ledgerEntries ?? []), ...entries] }
    : after;
}

function toDoc(claim: Claim, applied: readonly string[]): ClaimDoc {
  return {
    ...claim,
    type: 'claim',
    contributorIds: claim.contributors.map((p) => p.id),
    openOutbox: claim.outbox.some(isOpen) || Boolean(claim.ledgerEntries?.length),
    openRecipients: [...new Set(claim.outbox.filter(isOpen).map((n) => n.to.id))],
    nextRequestDue: nextReminderDue(claim) ?? NO_DUE,
    appliedActivities: applied.slice(-REMEMBERED_ACTIVITIES),
  };
}

function toClaim(doc: ClaimDoc): Claim {
  const {
    type,
    contributorIds,
    appliedActivities,
    openOutbox,
    openRecipients,
    nextRequestDue,
    ...claim
  } = doc;
  return { ...claim, outbox: claim.outbox ?? [] };
}

/** A new claim and the document it is stored as. */
interface MadeClaim {
  readonly claim: Claim;
  readonly doc: ClaimDoc;
}

export class CosmosClaimRepository implements ClaimRepository {
  private readonly container: Container;

  private readonly tenants: TenantRecords;
  private readonly reservations: FundReservations;
  /**
   * Overview pages by tenant, scope and page, with the tenant's list version they were read at: a
   * page is read again only when a claim of the tenant was added or changed since.
   */
  private readonly pages = new Map<string, { listVersion: number; page: ClaimPage }>();

  constructor(db: CosmosDb, options: ClaimStoreOptions = {}) {
    this.container = db.container('claims');
    this.tenants = new TenantRecords(this.container, (tenantId) => this.ledgerFromClaims(tenantId));
    this.reservations = new FundReservations({
      claims: this.container,
      tenants: this.tenants,
      funds: new CosmosFundRepository(db),
      postLedgerEntries: (tenantId, number) => this.postLedgerEntries(tenantId, number),
      holdSettlesMs: options.holdSettlesMs ?? HOLD_SETTLES_MS,
    });
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
      if (!repeated && made && etag !== undefined) return this.created(tenantId, made, etag);
      // A repeated form gets its claim again; if the claim is missing (its number was taken by an
      // older version of the app, in a write of its own), it is stored now.
      const existing = await this.get(tenantId, formatClaimNumber(seq));
      if (existing) return existing;
      const missing = (made = make(seq));
      return this.created(
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

  private created(tenantId: string, made: MadeClaim, etag: string): Claim {
    this.remember(tenantId, made.claim.number, { doc: made.doc, etag });
    if (made.claim.ledgerEntries?.length) this.postInBackground(tenantId, made.claim.number);
    return made.claim;
  }

  async get(tenantId: string, number: string): Promise<Claim | undefined> {
    const found = await readDoc<ClaimDoc>(this.container, tenantId, number);
    if (!found || found.doc.type !== 'claim') return undefined;
    this.remember(tenantId, number, found);
    return toClaim(found.doc);
  }

  /**
   * The last version this process read or wrote, per claim: an update right after a read (every
   * action reads the claim to authorize it) starts from it instead of reading again. Never served as
   * a read; a stale one costs a 412 and a fresh read.
   */
  private readonly recent = new Map<string, Versioned<ClaimDoc>>();

  private remember(tenantId: string, number: string, version: Versioned<ClaimDoc>): void {
    const key = `${tenantId}|${number}`;
    this.recent.delete(key);
    this.recent.set(key, version);
    if (this.recent.size > RECENT_VERSIONS)
      this.recent.delete(this.recent.keys().next().value as string);
  }

  lastSeen(tenantId: string, number: string): Claim | undefined {
    const known = this.recent.get(`${tenantId}|${number}`);
    return known ? toClaim(known.doc) : undefined;
  }

  async update(
    tenantId: string,
    number: string,
    activityId: string,
    change: (claim: Claim) => Claim,
    options: UpdateOptions = {},
  ): Promise<Claim> {
    const key = `${tenantId}|${number}`;
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
        return toDoc(withLedgerEntries(current, next), [...doc.appliedActivities, activityId]);
      },
      {
        recent: this.recent.get(key),
        recentIsFresh: options.readMomentsAgo === true,
        read: (version) => this.remember(tenantId, number, version),
        written: (version) => this.remember(tenantId, number, version),
        beforeWrite: (next, current) => this.reservations.reserve(tenantId, next, current),
      },
    );
    if (!saved) throw new AppError('CLAIM_NOT_FOUND', { number });
    if (saved.ledgerEntries?.length) this.postInBackground(tenantId, number);
    return toClaim(saved);
  }

  async rememberCard(tenantId: string, number: string, card: PostedCard): Promise<void> {
    const known = this.recent.get(`${tenantId}|${number}`)?.doc;
    if (known && isCardRemembered(known, card)) return;
    await this.update(tenantId, number, `card:${card.activityId}`, (claim) =>
      rememberCard(claim, card),
    );
  }

  /** Postings under way per tenant: the ledger is read after them, so a user sees their own change. */
  private readonly postings = new Map<string, Set<Promise<void>>>();

  private postInBackground(tenantId: string, number: string): void {
    const running = this.postings.get(tenantId) ?? new Set<Promise<void>>();
    this.postings.set(tenantId, running);
    // A failure leaves the entries in the claim, where the dispatcher's sweep finds them.
    const posting = this.postLedgerEntries(tenantId, number).catch((e: unknown) =>
      log.warn({ err: e, claim: number }, 'fund sums not posted yet: the sweep posts them'),
    );
    running.add(posting);
    void posting.finally(() => {
      running.delete(posting);
      if (!running.size) this.postings.delete(tenantId);
    });
  }

  async postLedgerEntries(tenantId: string, number: string): Promise<void> {
    const key = `${tenantId}|${number}`;
    const claim =
      this.recent.get(key)?.doc ?? (await readDoc<ClaimDoc>(this.container, tenantId, number))?.doc;
    const entries = claim?.ledgerEntries ?? [];
    if (!entries.length) return;
    await this.tenants.post(tenantId, entries);
    const posted = new Set(entries.map((e) => e.id));
    await updateDoc<ClaimDoc>(
      this.container,
      tenantId,
      number,
      (doc) =>
        doc?.ledgerEntries?.some((e) => posted.has(e.id))
          ? toDoc(
              {
                ...toClaim(doc),
                ledgerEntries: doc.ledgerEntries.filter((e) => !posted.has(e.id)),
              },
              doc.appliedActivities,
            )
          : undefined,
      {
        recent: this.recent.get(key),
        written: (version) => this.remember(tenantId, number, version),
      },
    );
  }

  /** Waits for the postings this process started for the tenant: a user sees their own change. */
  private async postedHere(tenantId: string): Promise<void> {
    const running = this.postings.get(tenantId);
    if (running) await Promise.all(running);
  }

  async fundLedger(tenantId: string): Promise<FundLedger> {
    await this.postedHere(tenantId);
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
    await this.postedHere(tenantId);
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

  /** The fund sums a tenant's claims add up to now (how its ledger starts). */
  private async ledgerFromClaims(tenantId: string): Promise<FundLedger> {
    const claims = await queryAll<ClaimAmounts & { ledgerEntries?: LedgerEntry[] }>(
      this.container,
      "SELECT c.fundId, c.status, c.amount, c.approvedAmount, c.ledgerEntries FROM c WHERE c.tenantId = @t AND c.type = 'claim'",
      [{ name: '@t', value: tenantId }],
    );
    const unposted = claims.flatMap((c) => c.ledgerEntries ?? []).map(negated);
    return unposted.reduce(postEntry, ledgerOf(claims));
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

  /**
   * One page of the review queue: rank by rank (REVIEW_RANKS), each oldest submission first, then by
   * number. Every query reads at most a page, so a long queue costs the same per page as a short one.
   */
  async reviewQueue(
    tenantId: string,
    page: { after?: ReviewQueueKey; size: number },
  ): Promise<ReviewQueuePage> {
    const { after, size } = page;
    // One more than the page tells whether another page follows.
    const found: { key: ReviewQueueKey; summary: ClaimSummary }[] = [];
    for (let rank = after?.rank ?? 0; rank < REVIEW_RANKS.length && found.length <= size; rank++) {
      const from = rank === after?.rank ? after : undefined;
      const rows = await this.reviewRank(tenantId, rank, from, size + 1 - found.length);
      for (const { submittedAt, ...summary } of rows) {
        found.push({ key: { rank, submittedAt: submittedAt || '', seq: summary.seq }, summary });
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
  ): Promise<ReviewRow[]> {
    const afterUndated = !from || from.submittedAt === '';
    const undated = afterUndated
      ? await this.reviewRows(tenantId, rank, `NOT ${SUBMITTED_AT_KNOWN} AND c.seq > @seq`, {
          orderBy: 'c.seq',
          limit,
          params: { seq: from?.seq ?? 0 },
        })
      : [];
    if (undated.length === limit) return undated;
    const dated = await this.datedForReview(
      tenantId,
      rank,
      afterUndated ? undefined : from,
      limit - undated.length,
    );
    return [...undated, ...dated];
  }

  /** The first `limit` claims of a rank with a submission time after `from`, by time and number. */
  private async datedForReview(
    tenantId: string,
    rank: number,
    from: ReviewQueueKey | undefined,
    limit: number,
  ): Promise<ReviewRow[]> {
    const afterFrom = from
      ? ' AND (c.submittedAt > @at OR (c.submittedAt = @at AND c.seq > @seq))'
      : '';
    // Ordered by time only: ORDER BY on two fields needs a composite index the container lacks.
    const rows = await this.reviewRows(tenantId, rank, `${SUBMITTED_AT_KNOWN}${afterFrom}`, {
      orderBy: 'c.submittedAt',
      limit: limit + 1,
      params: from ? { at: from.submittedAt, seq: from.seq } : {},
    });
    rows.sort((a, b) => compareText(a.submittedAt, b.submittedAt) || a.seq - b.seq);
    const boundary = rows[limit]?.submittedAt;
    if (boundary === undefined || rows[limit - 1].submittedAt !== boundary) {
      return rows.slice(0, limit);
    }
    // The page ends among claims submitted at the same moment, which the store returns in no set
    // order: take the lowest numbers of that moment.
    const earlier = rows.filter((r) => compareText(r.submittedAt, boundary) < 0);
    const tied = await this.reviewRows(tenantId, rank, 'c.submittedAt = @at AND c.seq > @seq', {
      orderBy: 'c.seq',
      limit: limit - earlier.length,
      params: { at: boundary, seq: boundary === from?.submittedAt ? from.seq : 0 },
    });
    return [...earlier, ...tied];
  }

  private reviewRows(
    tenantId: string,
    rank: number,
    condition: string,
    query: { orderBy: string; limit: number; params: Readonly<Record<string, string | number>> },
  ): Promise<ReviewRow[]> {
    return queryAll<ReviewRow>(
      this.container,
      `SELECT TOP ${query.limit} ${SUMMARY_FIELDS}, c.submittedAt FROM c WHERE c.tenantId = @t AND c.type = 'claim' AND ${REVIEW_RANKS[rank]} AND ${condition} ORDER BY ${query.orderBy}`,
      [
        { name: '@t', value: tenantId },
        ...Object.entries(query.params).map(([name, value]) => ({ name: `@${name}`, value })),
      ],
    );
  }

  async withOpenNotifications(recipient?: {
    tenantId: string;
    userId: string;
  }): Promise<ClaimKey[]> {
    if (!recipient) {
      return queryAll<ClaimKey>(
        this.container,
        "SELECT c.tenantId, c.number FROM c WHERE c.type = 'claim' AND c.openOutbox = true",
        [],
      );
    }
    return queryAll<ClaimKey>(
      this.container,
      "SELECT c.tenantId, c.number FROM c WHERE c.tenantId = @t AND c.type = 'claim' AND ARRAY_CONTAINS(c.openRecipients, @u)",
      [
        { name: '@t', value: recipient.tenantId },
        { name: '@u', value: recipient.userId },
      ],
    );
  }

  async withRequestsDueBy(day: string): Promise<ClaimKey[]> {
    return queryAll<ClaimKey>(
      this.container,
      "SELECT c.tenantId, c.number FROM c WHERE c.type = 'claim' AND c.nextRequestDue <= @day",
      [{ name: '@day', value: day }],
    );
  }
}
