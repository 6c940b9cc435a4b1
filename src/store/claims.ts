import { Container } from '@azure/cosmos';
import { Claim, formatClaimNumber, nextReminderDue } from '../domain/claim';
import { isOpen } from '../domain/notification';
import { AppError } from '../domain/errors';
import { ClaimAmounts } from '../domain/fund';
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

/** How many recent activity ids a claim remembers, so a retried activity has its effect once. */
const REMEMBERED_ACTIVITIES = 40;
/** How many recent New claim forms the counter remembers, so a double click creates one claim. */
const REMEMBERED_FORMS = 50;

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

interface CounterDoc {
  readonly id: 'counter';
  readonly tenantId: string;
  readonly type: 'counter';
  readonly last: number;
  readonly forms: readonly { readonly formId: string; readonly seq: number }[];
}

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
  ): Promise<Claim>;
  list(
    tenantId: string,
    scope: ClaimScope,
    page: { before?: number; size: number },
  ): Promise<ClaimPage>;
  reviewQueue(tenantId: string, size: number): Promise<ClaimSummary[]>;
  amounts(tenantId: string): Promise<ClaimAmounts[]>;
  /** Claims, in every tenant, with an open upload request due on or before `day`. */
  withRequestsDueBy(day: string): Promise<ClaimKey[]>;
  /** Claims with undelivered notifications, in every tenant (or for one recipient in a tenant). */
  withOpenNotifications(recipient?: { tenantId: string; userId: string }): Promise<ClaimKey[]>;
}

export interface ClaimKey {
  readonly tenantId: string;
  readonly number: string;
}

const SUMMARY_FIELDS =
  'c.number, c.seq, c.title, c.status, c.amount, c.approvedAmount, c.fundId, c.owner.name AS ownerName';

function toDoc(claim: Claim, applied: readonly string[]): ClaimDoc {
  return {
    ...claim,
    type: 'claim',
    contributorIds: claim.contributors.map((p) => p.id),
    openOutbox: claim.outbox.some(isOpen),
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

export class CosmosClaimRepository implements ClaimRepository {
  private readonly container: Container;

  constructor(db: CosmosDb) {
    this.container = db.container('claims');
  }

  async create(tenantId: string, formId: string, build: (seq: number) => Claim): Promise<Claim> {
    let seq = 0;
    let repeated = false;
    // The counter as this process last wrote it saves a read; a stale one costs a 412 and a read.
    await updateDoc<CounterDoc>(
      this.container,
      tenantId,
      'counter',
      (counter) => {
        const known = counter?.forms.find((f) => f.formId === formId);
        if (known) {
          seq = known.seq;
          repeated = true;
          return undefined;
        }
        seq = (counter?.last ?? 0) + 1;
        const forms = [...(counter?.forms ?? []), { formId, seq }].slice(-REMEMBERED_FORMS);
        return { id: 'counter', tenantId, type: 'counter', last: seq, forms };
      },
      {
        recent: this.counters.get(tenantId),
        written: (version) => this.counters.set(tenantId, version),
      },
    );
    // A repeated form gets its number again, and its claim if that is stored already; a create
    // racing its twin meets a 409 below and returns the twin.
    if (repeated) {
      const existing = await this.get(tenantId, formatClaimNumber(seq));
      if (existing) return existing;
    }
    const claim = build(seq);
    try {
      await writeDoc(this.container, toDoc(claim, []), undefined);
      return claim;
    } catch (e) {
      if (!(e instanceof EtagConflict)) throw e;
      const twin = await this.get(tenantId, claim.number);
      if (!twin) throw e;
      return twin;
    }
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
  private readonly counters = new Map<string, Versioned<CounterDoc>>();

  private remember(tenantId: string, number: string, version: Versioned<ClaimDoc>): void {
    const key = `${tenantId}|${number}`;
    this.recent.delete(key);
    this.recent.set(key, version);
    if (this.recent.size > RECENT_VERSIONS)
      this.recent.delete(this.recent.keys().next().value as string);
  }

  async update(
    tenantId: string,
    number: string,
    activityId: string,
    change: (claim: Claim) => Claim,
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
        return toDoc(next, [...doc.appliedActivities, activityId]);
      },
      {
        recent: this.recent.get(key),
        written: (version) => this.remember(tenantId, number, version),
      },
    );
    if (!saved) throw new AppError('CLAIM_NOT_FOUND', { number });
    return toClaim(saved);
  }

  async list(
    tenantId: string,
    scope: ClaimScope,
    page: { before?: number; size: number },
  ): Promise<ClaimPage> {
    const parameters: { name: string; value: string | number }[] = [
      { name: '@t', value: tenantId },
      { name: '@before', value: page.before ?? Number.MAX_SAFE_INTEGER },
    ];
    let who = '';
    if (scope.kind === 'user') {
      parameters.push({ name: '@u', value: scope.userId });
      const submitted = scope.includeSubmitted ? " OR c.status != 'editing'" : '';
      // Contributors keep access only until the claim is decided (as canView says).
      who = ` AND (c.owner.id = @u OR (ARRAY_CONTAINS(c.contributorIds, @u) AND c.status != 'approved' AND c.status != 'rejected')${submitted})`;
    }
    const rows = await queryAll<ClaimSummary>(
      this.container,
      `SELECT TOP ${page.size + 1} ${SUMMARY_FIELDS} FROM c WHERE c.tenantId = @t AND c.type = 'claim' AND c.seq < @before${who} ORDER BY c.seq DESC`,
      parameters,
    );
    const items = rows.slice(0, page.size);
    return rows.length > page.size ? { items, next: items[items.length - 1].seq } : { items };
  }

  /** Submitted claims first, then those under review or disputed; each oldest submission first. */
  async reviewQueue(tenantId: string, size: number): Promise<ClaimSummary[]> {
    // Sorted here: ORDER BY leaves out documents that lack the field, and the queue is short.
    const rows = await queryAll<ClaimSummary & { submittedAt?: string }>(
      this.container,
      `SELECT ${SUMMARY_FIELDS}, c.submittedAt FROM c WHERE c.tenantId = @t AND c.type = 'claim' AND (c.status = 'submitted' OR c.status = 'underReview' OR c.status = 'disputed')`,
      [{ name: '@t', value: tenantId }],
    );
    const rank = (r: ClaimSummary): number => (r.status === 'submitted' ? 0 : 1);
    return rows
      .sort(
        (a, b) =>
          rank(a) - rank(b) ||
          (a.submittedAt ?? '').localeCompare(b.submittedAt ?? '') ||
          a.seq - b.seq,
      )
      .slice(0, size)
      .map(({ submittedAt: _submittedAt, ...summary }) => summary);
  }

  async amounts(tenantId: string): Promise<ClaimAmounts[]> {
    return queryAll<ClaimAmounts>(
      this.container,
      "SELECT c.fundId, c.status, c.amount, c.approvedAmount FROM c WHERE c.tenantId = @t AND c.type = 'claim' AND c.status != 'editing'",
      [{ name: '@t', value: tenantId }],
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
