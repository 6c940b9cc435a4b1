/** Waiting for something the Agents Playground reports later (a transcript message, a log entry). */

export interface WaitForOptions<T> {
  /** Looks for the thing; `undefined` while it is not there yet. A throw rejects the wait. */
  find: () => T | undefined;
  /** What is awaited, for the timeout's error (called only then). */
  describe: () => string;
  /** Default 10 s. */
  timeoutMs?: number;
}

/**
 * Wakes every pending `waitFor` when the playground's state changed: the streams call `notify` on
 * each new item, and each waiter looks again.
 */
export class ChangeSignal {
  private readonly waiters = new Set<() => void>();

  /** Something changed: every pending wait looks again. Bound, so it can be handed on as a listener. */
  readonly notify = (): void => this.waiters.forEach((w) => w());

  /** Resolves with the first thing `find` returns, now or after a later `notify`. */
  waitFor<T>({ find, describe, timeoutMs = 10_000 }: WaitForOptions<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        let found: T | undefined;
        try {
          found = find();
        } catch (e) {
          cleanup();
          reject(e instanceof Error ? e : new Error(String(e)));
          return;
        }
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }
}
