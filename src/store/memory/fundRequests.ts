import { randomBytes } from 'node:crypto';
import { AppError } from '../../domain/errors';
import { commitsMore } from '../../domain/fund';
import { FundRequest, formatRequestNumber, withRequestEntries } from '../../domain/fundRequest';
import { isOpen } from '../../domain/notification';
import type { FundRepository } from '../funds';
import type { FundRequestRepository, RequestKey } from '../fundRequests';
import { allocationsOf } from '../reservations';
import type { MemoryClaimRepository } from './claims';
import { stored } from './stored';

interface Kept {
  readonly request: FundRequest;
  /** Every activity applied to it (the Cosmos store's applied-activity items). */
  readonly applied: Set<string>;
}

const entryId = (): string => randomBytes(8).toString('base64url');

/**
 * Fund requests in this process's memory: the twin of CosmosFundRequestRepository. A change and its
 * fund sums are one synchronous step, through the claims twin's gate (`postEntries`).
 */
export class MemoryFundRequestRepository implements FundRequestRepository {
  private readonly docs = new Map<string, Kept>();
  private readonly counters = new Map<string, { last: number; forms: Map<string, number> }>();

  constructor(
    private readonly o: { readonly claims: MemoryClaimRepository; readonly funds: FundRepository },
  ) {}

  async create(
    tenantId: string,
    formId: string,
    build: (seq: number) => FundRequest,
  ): Promise<FundRequest> {
    const counter = this.counters.get(tenantId) ?? { last: 0, forms: new Map<string, number>() };
    this.counters.set(tenantId, counter);
    const known = counter.forms.get(formId);
    if (known !== undefined) {
      return (await this.get(tenantId, formatRequestNumber(known))) as FundRequest;
    }
    const request = withRequestEntries(undefined, build(counter.last + 1), entryId);
    counter.last += 1;
    counter.forms.set(formId, counter.last);
    this.docs.set(`${tenantId}|${request.number}`, {
      request: stored(request),
      applied: new Set(),
    });
    return stored(request);
  }

  async get(tenantId: string, number: string): Promise<FundRequest | undefined> {
    const kept = this.docs.get(`${tenantId}|${number}`);
    return kept && stored(kept.request);
  }

  async update(
    tenantId: string,
    number: string,
    activityId: string,
    change: (request: FundRequest) => FundRequest,
  ): Promise<FundRequest> {
    const key = `${tenantId}|${number}`;
    for (;;) {
      const kept = this.docs.get(key);
      if (!kept) throw new AppError('REQUEST_NOT_FOUND', { number });
      const current = stored(kept.request);
      if (kept.applied.has(activityId)) return current;
      const next = change(current);
      if (next === current) return current;
      const entries = withRequestEntries(current, next, entryId).ledgerEntries ?? [];
      const allocated = commitsMore(entries)
        ? await allocationsOf(this.o.funds, tenantId, entries)
        : undefined;
      // The funds were looked up meanwhile: a change written since is applied to from the start.
      if (this.docs.get(key) !== kept) continue;
      if (entries.length) this.o.claims.postEntries(tenantId, entries, allocated);
      const { ledgerEntries: _posted, ...saved } = stored(next);
      this.docs.set(key, { request: saved, applied: kept.applied.add(activityId) });
      return stored(saved);
    }
  }

  async list(
    tenantId: string,
    o: { readonly requesterId?: string; readonly size: number },
  ): Promise<FundRequest[]> {
    return [...this.docs.values()]
      .map((k) => k.request)
      .filter(
        (r) => r.tenantId === tenantId && (!o.requesterId || r.requester.id === o.requesterId),
      )
      .sort((a, b) => b.seq - a.seq)
      .slice(0, o.size)
      .map(stored);
  }

  async withOpenWork(today: string): Promise<RequestKey[]> {
    return [...this.docs.values()]
      .map((k) => k.request)
      .filter(
        (r) =>
          r.outbox.some(isOpen) ||
          (r.status === 'approved' && r.expiresOn !== undefined && r.expiresOn < today),
      )
      .map((r) => ({ tenantId: r.tenantId, number: r.number }));
  }

  async awaitingFor(tenantId: string, userId: string): Promise<RequestKey[]> {
    return [...this.docs.values()]
      .map((k) => k.request)
      .filter(
        (r) =>
          r.tenantId === tenantId &&
          r.outbox.some((n) => n.to.id === userId && n.state === 'awaitingInstall'),
      )
      .map((r) => ({ tenantId: r.tenantId, number: r.number }));
  }

  /** Nothing is ever left to post here: entries are posted in the step that writes their change. */
  async postLedgerEntries(): Promise<void> {}
}
