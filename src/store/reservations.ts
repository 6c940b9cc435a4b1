import type { Container } from '@azure/cosmos';
import { LedgerEntry, commitsMore } from '../domain/fund';
import { Money } from '../domain/money';
import { log } from '../log';
import { claimKey } from './claims/port';
import { updateDoc } from './cosmos';
import type { FundRepository } from './funds';
import { Hold, TenantRecords } from './tenantRecord';

/**
 * A reservation older than this whose claim does not carry its entries belongs to a claim write that
 * never happened (a crash between the two): far longer than any write takes.
 */
export const HOLD_SETTLES_MS = 60_000;

/** What the funds the entries name may commit at most, by fund id (an unknown fund: nothing). */
export async function allocationsOf(
  funds: FundRepository,
  tenantId: string,
  entries: readonly LedgerEntry[],
): Promise<Map<string, Money>> {
  const allocated = new Map<string, Money>();
  for (const fundId of new Set(entries.map((e) => e.fundId))) {
    const fund = await funds.get(tenantId, fundId);
    if (fund) allocated.set(fundId, fund.allocated);
  }
  return allocated;
}

/** What the gate needs of a claim document. */
interface ClaimEntries {
  readonly id: string;
  readonly tenantId: string;
  readonly number: string;
  readonly ledgerEntries?: readonly LedgerEntry[];
}

/**
 * The gate of fund integrity. A claim change that adds to its fund's approved + pending is posted to
 * the tenant's ledger first, in one ETag-checked write that refuses it if the fund would be
 * over-committed; the claim write follows and carries the same entries (posted again later, counted
 * once by id). A failed claim write takes the reservation back; a crash in between leaves a hold that
 * `settleStale` settles.
 */
export class FundReservations {
  /** Holds being settled here, by tenant and claim, so that each is looked at once at a time. */
  private readonly settling = new Set<string>();

  constructor(
    private readonly deps: {
      readonly claims: Container;
      readonly tenants: TenantRecords;
      /** Funds never change: their allocations are read once. */
      readonly funds: FundRepository;
      /** Posts a claim's pending ledger entries (which settles their hold). */
      readonly postLedgerEntries: (tenantId: string, number: string) => Promise<void>;
      readonly holdSettlesMs: number;
    },
  ) {}

  /**
   * Reserves what `next` adds to its funds beyond `current`, before `next` is written; the returned
   * function takes the reservation back (run when that write fails).
   */
  async reserve(
    tenantId: string,
    next: ClaimEntries,
    current: ClaimEntries | undefined,
  ): Promise<(() => Promise<void>) | undefined> {
    const known = new Set((current?.ledgerEntries ?? []).map((e) => e.id));
    const added = (next.ledgerEntries ?? []).filter((e) => !known.has(e.id));
    if (!commitsMore(added)) return undefined;
    const allocated = await allocationsOf(this.deps.funds, tenantId, added);
    const { tenants } = this.deps;
    await tenants.reserve(tenantId, { number: next.number, entries: added, allocated });
    return () =>
      tenants
        .release(tenantId, added)
        .catch((e: unknown) =>
          log.warn({ err: e, claim: next.number }, 'reservation not released yet: a read does it'),
        );
  }

  /**
   * Settles, in the background, the holds older than `holdSettlesMs`. The claim is written once more
   * unchanged, conditional on the version just read: a write of it still under way from before then
   * fails (and takes its reservation back itself). A claim that carries the entries gets them posted;
   * one that does not never will, and the reservation is released.
   */
  settleStale(tenantId: string, holds: readonly Hold[]): void {
    const now = Date.now();
    for (const hold of holds) {
      const key = claimKey(tenantId, hold.number);
      if (now - Date.parse(hold.at) < this.deps.holdSettlesMs || this.settling.has(key)) continue;
      this.settling.add(key);
      void this.settle(tenantId, hold)
        .catch((e: unknown) => log.warn({ err: e, claim: hold.number }, 'hold not settled yet'))
        .finally(() => this.settling.delete(key));
    }
  }

  private async settle(tenantId: string, hold: Hold): Promise<void> {
    const ids = new Set(hold.entries.map((e) => e.id));
    const carries = (doc: ClaimEntries | undefined): boolean =>
      Boolean(doc?.ledgerEntries?.some((e) => ids.has(e.id)));
    const fenced = await updateDoc<ClaimEntries>(this.deps.claims, tenantId, hold.number, (doc) =>
      doc && !carries(doc) ? { ...doc } : undefined,
    );
    if (carries(fenced)) await this.deps.postLedgerEntries(tenantId, hold.number);
    else await this.deps.tenants.release(tenantId, hold.entries);
  }
}
