import { BoundedMap } from '../domain/boundedMap';

/**
 * Values kept for a while in this process (what another instance changes shows when they expire),
 * at most `maxEntries` of them: past that, everything is dropped and read again.
 */
export class ExpiringCache<V> {
  private readonly entries: BoundedMap<{ value: V; until: number }>;

  constructor(
    private readonly ttlMs: number,
    maxEntries = 10_000,
  ) {
    this.entries = new BoundedMap(maxEntries);
  }

  set(key: string, value: V): void {
    this.entries.set(key, { value, until: Date.now() + this.ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** The value if fresh, else what `read` gives, kept. */
  async get(key: string, read: () => Promise<V>): Promise<V> {
    const known = this.entries.get(key);
    if (known && known.until > Date.now()) return known.value;
    const value = await read();
    this.set(key, value);
    return value;
  }
}
