import type { RateLimiter } from '../../src/notify/rateLimiter';

/**
 * Every slot `limiter` grants under `key` from now on, at the time it was granted. The limiter's own
 * `granted(key)` keeps only the grants still inside its longest window, so a burst that a busy machine
 * spreads over more than that window would be judged on part of its grants.
 */
export function recordGrants(
  limiter: RateLimiter,
  key: string,
): { readonly grants: readonly number[]; stop(): void } {
  // The limiter records each grant in `record` (private): watched here, in tests only.
  const inside = limiter as unknown as { record(key: string): void };
  const original = inside.record;
  const grants: number[] = [];
  inside.record = function (this: unknown, k: string): void {
    original.call(limiter, k);
    if (k === key) grants.push(limiter.granted(k).at(-1) as number);
  };
  return {
    grants,
    stop: () => {
      inside.record = original;
    },
  };
}
