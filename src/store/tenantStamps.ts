import { BoundedMap } from '../domain/boundedMap';

/** What a stamp counts the changes of. */
export type StampKind = 'roles' | 'funds' | 'invoiceKeys';

export type Stamps = Readonly<Record<StampKind, number>>;

/**
 * Counters in the tenant record that grow with every change of the tenant's roles, funds or invoice
 * keys (duplicate invoices). A copy of any of them kept in a process is good while its counter
 * stays, so one read of the record per turn (which the overview needs anyway) tells every instance
 * whether its copies still hold.
 */
export interface TenantStamps {
  stamps(tenantId: string): Promise<Stamps>;
  /** Counts a change, after it is stored; returns the new count. */
  bump(tenantId: string, kind: StampKind): Promise<number>;
}

/** Values kept while their tenant's stamp of one kind stays. */
export class StampedCache<V> {
  private readonly entries = new BoundedMap<{ readonly stamp: number; readonly value: V }>(10_000);

  constructor(private readonly deps: { readonly stamps: TenantStamps; readonly kind: StampKind }) {}

  async get(tenantId: string, key: string, load: () => Promise<V>): Promise<V> {
    // The stamp is read first: a change stored after it bumps it, so a value read after it is never
    // kept beyond that change.
    const stamp = (await this.deps.stamps.stamps(tenantId))[this.deps.kind];
    const known = this.entries.get(key);
    if (known?.stamp === stamp) return known.value;
    const value = await load();
    this.entries.set(key, { stamp, value });
    return value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
