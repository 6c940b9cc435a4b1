import type { Container } from '@azure/cosmos';
import {
  Claim,
  DuplicateHit,
  InvoiceKey,
  invoiceKeyChanges,
  invoiceKeys,
} from '../../domain/claim';
import { deleteIfThere, queryAll, upsertAll } from '../cosmos';
import { ConsistentReads } from '../freshness';

/**
 * The tenant's invoice keys (duplicate invoices, see domain/claim/duplicates.ts): one small item per
 * key, claim and document in the tenant's partition of the claims container, so that finding the
 * claims that share an invoice is one query on a few keys, never a scan of the tenant's claims.
 */
export interface InvoiceKeyItem {
  readonly id: string;
  readonly tenantId: string;
  readonly type: 'invoiceKey';
  readonly key: string;
  readonly number: string;
}

export const invoiceKeyItem = (
  tenantId: string,
  number: string,
  k: InvoiceKey,
): InvoiceKeyItem => ({
  id: `ik.${k.key}.${number}.${k.documentId}`,
  tenantId,
  type: 'invoiceKey',
  key: k.key,
  number,
});

type Undo = () => Promise<void>;

/** Keys asked for in one query: more invoices on one claim take more queries. */
const KEYS_PER_QUERY = 20;

export class CosmosInvoiceIndex {
  /**
   * What `hits` found, by claim and keys, as fresh as the turn asks (freshness.ts: with one
   * instance, the turns of the next second share it). Keyed also by how many times this process
   * changed keys (counted before and after each change), so that its own changes show at once.
   */
  private readonly found = new ConsistentReads<DuplicateHit[]>();
  private changes = 0;

  constructor(private readonly container: Container) {}

  /**
   * Brings the keys in line with `next` before it is written, then runs `before` (the write's other
   * step, which may refuse it); what it returns undoes both as far as needed, run when the claim
   * write fails.
   */
  async around(
    tenantId: string,
    next: Claim,
    current: Claim | undefined,
    before: () => Promise<Undo | undefined>,
  ): Promise<Undo> {
    const { added, removed } = invoiceKeyChanges(current, next);
    const item = (k: InvoiceKey) => invoiceKeyItem(tenantId, next.number, k);
    const set = async (put: InvoiceKey[], drop: InvoiceKey[]) => {
      if (!put.length && !drop.length) return;
      this.changes++;
      try {
        if (put.length) await upsertAll(this.container, tenantId, put.map(item));
        for (const k of drop) await deleteIfThere(this.container, item(k));
      } finally {
        this.changes++;
      }
    };
    await set(added, removed);
    // A failed write puts the dropped keys back and leaves the added ones: a key the claim does not
    // hold (nor one a write already made, refused again as AlreadyWritten) names no duplicate, since
    // the claims found are read (flows/duplicates.ts) and a key is counted only where it is held.
    const undoKeys = () => set(removed, []);
    const undoBefore = await before().catch(async (e: unknown) => {
      await undoKeys();
      throw e;
    });
    return async () => {
      await Promise.allSettled([undoBefore?.(), undoKeys()]);
    };
  }

  hits(claim: Claim): Promise<DuplicateHit[]> {
    const keys = [...new Set(invoiceKeys(claim).map((k) => k.key))];
    if (!keys.length) return Promise.resolve([]);
    const key = JSON.stringify([this.changes, claim.tenantId, claim.number, keys]);
    return this.found.read(key, () => this.query(claim, keys));
  }

  private async query(claim: Claim, keys: readonly string[]): Promise<DuplicateHit[]> {
    const found: DuplicateHit[] = [];
    for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
      const some = keys.slice(i, i + KEYS_PER_QUERY);
      const names = some.map((_, j) => `@k${j}`);
      found.push(
        ...(await queryAll<DuplicateHit>(
          this.container,
          `SELECT c.key, c.number FROM c WHERE c.tenantId = @t AND c.type = 'invoiceKey' AND c.number != @n AND c.key IN (${names.join(', ')})`,
          [
            { name: '@t', value: claim.tenantId },
            { name: '@n', value: claim.number },
            ...some.map((value, j) => ({ name: names[j], value })),
          ],
        )),
      );
    }
    return found;
  }
}
