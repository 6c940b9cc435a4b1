import { AsyncLocalStorage } from 'node:async_hooks';
import { BoundedMap } from '../domain/boundedMap';

/**
 * The moment the reads of a turn must be newer than. With several instances behind a balancer, a
 * user's next turn may land anywhere, so everything written before it arrived has to show: reads
 * started after its arrival do. A turn's reads may share one read started after that moment
 * (overlapping turns share), and nothing older. Work outside a turn reads afresh.
 */
const readsSince = new AsyncLocalStorage<number>();

/** Runs `work` (a turn and what it starts) with reads no older than `since` (performance.now()). */
export function readingSince<T>(since: number, work: () => T): T {
  return readsSince.run(since, work);
}

/** The moment the reads of the running work must be newer than. */
export function freshSince(): number {
  return readsSince.getStore() ?? performance.now();
}

interface Entry<V> {
  readonly value: Promise<V>;
  /** When the read (or the write that gave the value) started: it holds every write done before. */
  readonly at: number;
  settled: boolean;
}

/**
 * Values read from the database, each kept with the moment its read started. A caller gets a kept
 * one only if it is no older than its `freshSince()`. Otherwise, if a read is under way, it waits
 * for the next one, which starts when that ends and serves everyone arriving meanwhile (so callers
 * at once cost at most two reads in flight per key); else it reads. A value this process wrote is
 * offered with the moment its write started.
 */
export class ConsistentReads<V> {
  private readonly entries: BoundedMap<Entry<V>>;
  /** Reads waiting for the one under way to end, by key. */
  private readonly next = new Map<string, Promise<V>>();

  constructor(maxEntries = 10_000) {
    this.entries = new BoundedMap(maxEntries);
  }

  read(key: string, load: () => Promise<V>): Promise<V> {
    const known = this.entries.get(key);
    if (known && known.at >= freshSince()) return known.value;
    const waiting = this.next.get(key);
    if (waiting) return waiting;
    if (!known || known.settled) return this.start(key, load);
    const after = (): Promise<V> => {
      this.next.delete(key);
      return this.start(key, load);
    };
    const next = known.value.then(after, after);
    this.next.set(key, next);
    return next;
  }

  /**
   * A value written by this process, whose write started at `at`: it replaces whatever is kept (a
   * read started later may have missed the write), and serves reads that need no more than `at`.
   */
  offer(key: string, value: V, at: number): void {
    this.entries.set(key, { value: Promise.resolve(value), at, settled: true });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  private start(key: string, load: () => Promise<V>): Promise<V> {
    const at = performance.now();
    const entry: Entry<V> = { value: load(), at, settled: false };
    this.entries.set(key, entry);
    entry.value.then(
      () => (entry.settled = true),
      () => {
        entry.settled = true;
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.value;
  }
}
