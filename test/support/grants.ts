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
  const grants: number[] = [];
  const stop = limiter.onGrant((k, at) => {
    if (k === key) grants.push(at);
  });
  return { grants, stop };
}
