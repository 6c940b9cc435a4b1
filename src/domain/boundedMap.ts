/**
 * A map of at most `maxEntries` values: adding one more drops them all. For values kept to save
 * work, whose keys come from data and must not grow without bound; a dropped one is made again.
 */
export class BoundedMap<V> {
  private readonly values = new Map<string, V>();

  constructor(private readonly maxEntries: number) {}

  get(key: string): V | undefined {
    return this.values.get(key);
  }

  set(key: string, value: V): void {
    if (this.values.size >= this.maxEntries && !this.values.has(key)) this.values.clear();
    this.values.set(key, value);
  }

  delete(key: string): void {
    this.values.delete(key);
  }

  /** The value for `key`, made by `make` when there is none. */
  getOrMake(key: string, make: () => V): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = make();
      this.set(key, value);
    }
    return value;
  }
}
