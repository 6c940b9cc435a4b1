import type { FundRequest } from '../../domain/fundRequest';
import type { LedgerEntry } from '../../domain/fund';

export interface RequestKey {
  readonly tenantId: string;
  readonly number: string;
}

/** Fund requests (pre-approval), kept beside the tenant's claims. */
export interface FundRequestRepository {
  /**
   * Allocates the next request number and stores the request `build` makes with it. The same formId
   * always yields the same request (a double click, a retried activity).
   */
  create(
    tenantId: string,
    formId: string,
    build: (seq: number) => FundRequest,
  ): Promise<FundRequest>;
  get(tenantId: string, number: string): Promise<FundRequest | undefined>;
  /**
   * Applies `change` in one conditional write, retried from a fresh read on a conflict. A change that
   * adds to the fund's reserved sum passes the claims' fund gate first (FundExhaustedError when the
   * fund cannot hold it); one that lowers it is posted right after. An activity id already applied
   * returns the stored request unchanged.
   */
  update(
    tenantId: string,
    number: string,
    activityId: string,
    change: (request: FundRequest) => FundRequest,
  ): Promise<FundRequest>;
  /** Newest first: every request of the tenant, or one requester's. */
  list(
    tenantId: string,
    o: { readonly requesterId?: string; readonly size: number },
  ): Promise<FundRequest[]>;
  /**
   * Requests, in every tenant, owing notifications or fund sums, or approved and past their last day
   * on `today` (`YYYY-MM-DD`): what the sweep looks at.
   */
  withOpenWork(today: string): Promise<RequestKey[]>;
  /** The tenant's requests with notices kept for `userId` until they write to the bot. */
  awaitingFor(tenantId: string, userId: string): Promise<RequestKey[]>;
  /** Posts the request's fund sums a crash left unposted, each once (the sweep). */
  postLedgerEntries(tenantId: string, number: string): Promise<void>;
}

/** What a request document shares with a claim's for the fund gate (see reservations.ts). */
export interface EntriesDoc {
  readonly id: string;
  readonly tenantId: string;
  readonly number: string;
  readonly ledgerEntries?: readonly LedgerEntry[];
}

/**
 * The claim store's fund gate and postings, lent to the request store: one gate per tenant ledger,
 * so requests and claims are checked against the same sums, whatever runs in parallel.
 */
export interface LedgerGate {
  /** Reserves what `next` adds beyond `current` before it is written; the result takes it back. */
  reserve(
    tenantId: string,
    next: EntriesDoc,
    current: EntriesDoc | undefined,
  ): Promise<(() => Promise<void>) | undefined>;
  /**
   * Posts the entries a change wrote, as after a claim's change: fund reads in this process wait for
   * it, and with several instances the change waits for it.
   */
  postChange(tenantId: string, number: string): Promise<void>;
  /** Posts the document's pending entries now (the sweep). */
  post(tenantId: string, number: string): Promise<void>;
}
