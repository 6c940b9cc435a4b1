/** A refusal of some changes of a group: those are answered with their error, the rest written. */
class GroupRefused extends Error {
  constructor(readonly refused: ReadonlyMap<number, unknown>) {
    super('some changes of the group were refused');
  }
}

interface Waiting<D> {
  readonly change: (doc: D) => D | undefined;
  resolve(saved: D): void;
  reject(error: unknown): void;
}

/**
 * Group commit for a document many turns change at once (a tenant's record: fund reservations and
 * postings): changes that arrive while a write of the same document is under way are applied
 * together, in arrival order, in the next write. Ten submits at once cost two writes, not ten in a
 * row. A change that throws is answered with its error — but only when `write` lets the refusal
 * stand (a refusal of a version read moments ago is checked against a fresh read first) — and the
 * others are written without it.
 */
export class GroupedChanges<D> {
  private readonly waiting = new Map<string, Waiting<D>[]>();

  constructor(
    /**
     * One conditional read-modify-write of the document, run one at a time per key (the caller's
     * queue): `apply` returns the new version, or undefined for nothing to write.
     */
    private readonly write: (key: string, apply: (doc: D) => D | undefined) => Promise<D>,
    private readonly runInTurn: (key: string, work: () => Promise<void>) => void,
  ) {}

  change(key: string, change: (doc: D) => D | undefined): Promise<D> {
    return new Promise((resolve, reject) => {
      const waiting = this.waiting.get(key);
      if (waiting) {
        waiting.push({ change, resolve, reject });
        return;
      }
      this.waiting.set(key, [{ change, resolve, reject }]);
      this.runInTurn(key, () => this.writeWaiting(key));
    });
  }

  private async writeWaiting(key: string): Promise<void> {
    let group = this.waiting.get(key) ?? [];
    this.waiting.delete(key);
    while (group.length) {
      const members = group;
      try {
        const saved = await this.write(key, (doc) => {
          const refused = new Map<number, unknown>();
          let next: D | undefined;
          members.forEach((m, i) => {
            try {
              next = m.change(next ?? doc) ?? next;
            } catch (e) {
              refused.set(i, e);
            }
          });
          if (refused.size) throw new GroupRefused(refused);
          return next;
        });
        for (const m of members) m.resolve(saved);
        return;
      } catch (e) {
        if (!(e instanceof GroupRefused)) {
          for (const m of members) m.reject(e);
          return;
        }
        members.forEach((m, i) => {
          if (e.refused.has(i)) m.reject(e.refused.get(i));
        });
        group = members.filter((_, i) => !e.refused.has(i));
      }
    }
  }
}
