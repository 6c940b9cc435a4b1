import { Claim, DuplicateHit, invoiceKeyChanges, invoiceKeys } from '../../domain/claim';
import { invoiceKeyItem } from '../claims/invoiceIndex';

/** The twin of CosmosInvoiceIndex: the same items by id, updated in the claim's write step. */
export class MemoryInvoiceIndex {
  private readonly items = new Map<string, { tenantId: string; key: string; number: string }>();

  write(tenantId: string, next: Claim, current: Claim | undefined): void {
    const { added, removed } = invoiceKeyChanges(current, next);
    for (const k of removed) {
      this.items.delete(`${tenantId}|${invoiceKeyItem(tenantId, next.number, k).id}`);
    }
    for (const k of added) {
      const item = invoiceKeyItem(tenantId, next.number, k);
      this.items.set(`${tenantId}|${item.id}`, item);
    }
  }

  hits(claim: Claim): DuplicateHit[] {
    const keys = new Set(invoiceKeys(claim).map((k) => k.key));
    return [...this.items.values()]
      .filter((i) => i.tenantId === claim.tenantId && i.number !== claim.number && keys.has(i.key))
      .map(({ key, number }) => ({ key, number }));
  }
}
