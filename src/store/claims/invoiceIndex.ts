import type { Container } from '@azure/cosmos';
import { log } from '../../log';
import {
  Claim,
  DuplicateHit,
  InvoiceKey,
  invoiceKeyChanges,
  invoiceKeys,
} from '../../domain/claim';
import { BatchWrite, queryAll } from '../cosmos';
import { StampedCache, TenantStamps } from '../tenantStamps';

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

/**
 * How long what `hits` found is kept at most, however still its tenant's keys are: a process that
 * stopped between a claim's write and the stamp's count leaves a change the stamp does not show.
 */
const KEPT_AT_MOST_MS = 5 * 60_000;

export class CosmosInvoiceIndex {
  /**
   * What `hits` found, by claim and keys, kept while the tenant's `invoiceKeys` stamp stays (it is
   * counted after every write that changed a key of the tenant, by any instance), so that a claim
   * card shown again makes no query: the emulator has no index and scans the container for one.
   */
  private readonly kept: StampedCache<DuplicateHit[]>;

  constructor(
    private readonly container: Container,
    private readonly stamps: TenantStamps,
  ) {
    this.kept = new StampedCache({ stamps, kind: 'invoiceKeys' });
  }

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
    return writes;
  }

  /**
   * After a batch made with key changes was written (or refused): what was found before is old. The
   * claim is stored either way, so a count that fails is logged, not thrown (KEPT_AT_MOST_MS).
   */
  async written(tenantId: string): Promise<void> {
    await this.stamps.bump(tenantId, 'invoiceKeys').catch((e: unknown) => {
      log.warn({ err: e, tenantId }, 'could not count a change of invoice keys');
    });
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
    const period = Math.floor(Date.now() / KEPT_AT_MOST_MS);
    const key = JSON.stringify([claim.tenantId, claim.number, keys, period]);
    return this.kept.get(claim.tenantId, key, () => this.query(claim, keys));
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
