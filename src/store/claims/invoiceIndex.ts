import type { Container } from '@azure/cosmos';
import {
  Claim,
  DuplicateHit,
  InvoiceKey,
  invoiceKeyChanges,
  invoiceKeys,
} from '../../domain/claim';
import { BatchWrite, queryAll } from '../cosmos';
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

/** Keys asked for in one query: more invoices on one claim take more queries. */
const KEYS_PER_QUERY = 20;

export class CosmosInvoiceIndex {
  /**
   * What `hits` found, by claim and keys, as fresh as the turn asks (freshness.ts: with one
   * instance, the turns of the next second share it). Keyed also by how many times this process
   * changed keys (counted when a batch with key changes is made and again when it was written or
   * refused: `written`), so that its own changes show at once.
   */
  private readonly found = new ConsistentReads<DuplicateHit[]>();
  private changes = 0;

  constructor(private readonly container: Container) {}

  /**
   * The writes that bring the keys in line with `next`, made in the claim's own transactional batch
   * (the items are in the claim's partition), so that no crash or failed write can leave a key
   * without its claim or a claim without its key. A key to drop is deleted only if it is there (a
   * delete of a missing item would fail the batch); the claim's write comes first in the batch, so a
   * concurrent change to the claim fails it on the ETag before these.
   */
  async alongside(
    tenantId: string,
    next: Claim,
    current: Claim | undefined,
  ): Promise<BatchWrite[]> {
    const { added, removed } = invoiceKeyChanges(current, next);
    const item = (k: InvoiceKey) => invoiceKeyItem(tenantId, next.number, k);
    const held = removed.length ? await this.heldBy(tenantId, next.number) : new Set<string>();
    const writes: BatchWrite[] = [
      ...added.map((k) => ({ doc: item(k), op: 'upsert' as const })),
      ...removed
        .map(item)
        .filter((i) => held.has(i.id))
        .map((doc) => ({ doc, op: 'delete' as const })),
    ];
    if (writes.length) this.changes++;
    return writes;
  }

  /** After a batch made with key changes was written or refused: what was found before is old. */
  written(): void {
    this.changes++;
  }

  /** The ids of the key items of claim `number`. */
  private async heldBy(tenantId: string, number: string): Promise<Set<string>> {
    const rows = await queryAll<{ id: string }>(
      this.container,
      "SELECT c.id FROM c WHERE c.tenantId = @t AND c.type = 'invoiceKey' AND c.number = @n",
      [
        { name: '@t', value: tenantId },
        { name: '@n', value: number },
      ],
    );
    return new Set(rows.map((r) => r.id));
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
