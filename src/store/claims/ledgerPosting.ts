import type { Container } from '@azure/cosmos';
import { log } from '../../log';
import { readDoc, updateDoc } from '../cosmos';
import type { TenantRecords } from '../tenantRecord';
import { ClaimDoc, toClaim, toDoc } from './claimDoc';
import type { RecentVersions } from './recentVersions';

/**
 * The document without the posted entries. Fund requests carry entries in the same field (see
 * store/fundRequests) and are kept as they are otherwise.
 */
function withoutPosted(doc: ClaimDoc, posted: ReadonlySet<string>): ClaimDoc {
  const ledgerEntries = (doc.ledgerEntries ?? []).filter((e) => !posted.has(e.id));
  return doc.type === 'claim'
    ? toDoc({ ...toClaim(doc), ledgerEntries }, doc.appliedActivities)
    : { ...doc, ledgerEntries };
}

/**
 * Moves the ledger entries a claim's change wrote into the claim onto the tenant's fund sums, each
 * exactly once: right after the change, or by the sweep after a crash. Fund requests' entries go
 * the same way, by their number.
 */
export class LedgerPosting {
  /** Postings under way per tenant: the ledger is read after them, so a user sees their own change. */
  private readonly postings = new Map<string, Set<Promise<void>>>();

  constructor(
    private readonly o: {
      readonly container: Container;
      readonly tenants: TenantRecords;
      readonly recent: RecentVersions;
    },
  ) {}

  /**
   * Starts posting a change's entries; reads of the ledger in this process wait for it. With several
   * instances the turn awaits it, so that the user's next turn sees the sums wherever it lands. A
   * failure leaves the entries in the claim, where the dispatcher's sweep finds them: it never fails
   * the change, which is stored already.
   */
  start(tenantId: string, number: string): Promise<void> {
    const running = this.postings.get(tenantId) ?? new Set<Promise<void>>();
    this.postings.set(tenantId, running);
    const posting = this.post(tenantId, number).catch((e: unknown) =>
      log.warn({ err: e, claim: number }, 'fund sums not posted yet: the sweep posts them'),
    );
    running.add(posting);
    void posting.finally(() => {
      running.delete(posting);
      if (!running.size) this.postings.delete(tenantId);
    });
    return posting;
  }

  async post(tenantId: string, number: string): Promise<void> {
    const { container, tenants, recent } = this.o;
    const claim =
      recent.get(tenantId, number)?.doc ??
      (await readDoc<ClaimDoc>(container, tenantId, number))?.doc;
    const entries = claim?.ledgerEntries ?? [];
    if (!entries.length) return;
    await tenants.post(tenantId, entries);
    const posted = new Set(entries.map((e) => e.id));
    await updateDoc<ClaimDoc>(
      container,
      tenantId,
      number,
      (doc) =>
        doc?.ledgerEntries?.some((e) => posted.has(e.id)) ? withoutPosted(doc, posted) : undefined,
      {
        recent: recent.get(tenantId, number),
        written: (version) => {
          if (version.doc.type === 'claim') recent.remember(tenantId, number, version);
        },
      },
    );
  }

  /** Waits for the postings this process started for the tenant: a user sees their own change. */
  async postedHere(tenantId: string): Promise<void> {
    const running = this.postings.get(tenantId);
    if (running) await Promise.all(running);
  }
}
