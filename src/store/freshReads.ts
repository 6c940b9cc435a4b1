/**
 * Reads that are never older than the call asking for them, shared when they overlap: with several
 * instances behind a balancer, a value another instance wrote a moment ago must show, so nothing is
 * kept between reads. A call that finds a read of its key under way waits for the one after it (which
 * starts after the call did) and shares that with every call arriving meanwhile; so many users at
 * once cost at most two reads in flight per key, and each still sees every write made before it asked.
 * Only keys with a read under way are held (memory empties as reads end).
 */
export class FreshReads<V> {
  private readonly running = new Map<string, { current: Promise<V>; next?: Promise<V> }>();

  read(key: string, load: () => Promise<V>): Promise<V> {
    const state = this.running.get(key);
    if (!state) return this.start(key, load);
    state.next ??= state.current.then(
      () => this.start(key, load),
      () => this.start(key, load),
    );
    return state.next;
  }

  private start(key: string, load: () => Promise<V>): Promise<V> {
    const current = load();
    const state = { current };
    this.running.set(key, state);
    const done = (): void => {
      if (this.running.get(key) === state) this.running.delete(key);
    };
    current.then(done, done);
    return current;
  }
}
