import type { Container } from '@azure/cosmos';
import {
  Claim,
  DuplicateHit,
  InvoiceKey,
  invoiceKeyChanges,
  invoiceKeys,
} from '../../domain/claim';
import { deleteIfThere, queryAll, upsertAll } from '../cosmos';

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

/** The keys a claim write adds (written before it) and what is left to do around that write. */
export interface IndexedKeys {
  /** Removes the added keys again: the claim write failed. */
  readonly undo: () => Promise<void>;
  /** Removes the keys the claim no longer holds: the claim write succeeded. */
  readonly done: () => Promise<void>;
  /** Removes the added keys and throws `e` again: a step before the claim write refused it. */
  readonly fail: (e: unknown) => Promise<never>;
}

/** Runs both undos, the first one's failure not keeping the second from running. */
export const both =
  (first: (() => Promise<void>) | undefined, second: () => Promise<void>) =>
  async (): Promise<void> => {
    await Promise.allSettled([first?.(), second()]);
  };

/** Keys asked for in one query: more invoices on one claim take more queries. */
const KEYS_PER_QUERY = 20;

export class CosmosInvoiceIndex {
  constructor(private readonly container: Container) {}

  async add(tenantId: string, next: Claim, current: Claim | undefined): Promise<IndexedKeys> {
    const { added, removed } = invoiceKeyChanges(current, next);
    const item = (k: InvoiceKey) => invoiceKeyItem(tenantId, next.number, k);
    const remove = async (keys: InvoiceKey[]) => {
      for (const k of keys) await deleteIfThere(this.container, item(k));
    };
    if (added.length) await upsertAll(this.container, tenantId, added.map(item));
    return {
      undo: () => remove(added),
      done: () => remove(removed),
      fail: async (e) => {
        await remove(added);
        throw e;
      },
    };
  }

  async hits(claim: Claim): Promise<DuplicateHit[]> {
    const keys = [...new Set(invoiceKeys(claim).map((k) => k.key))];
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
