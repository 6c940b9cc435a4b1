import { setTimeout as delay } from 'node:timers/promises';
import { KeyedQueue } from '../async';

/** A limit: at most `max` sends in any window of `windowMs`. */
export interface Window {
  readonly windowMs: number;
  readonly max: number;
}

/** Teams' limits per bot per conversation (platform-notes.md), and per app per tenant. */
export const TEAMS_CONVERSATION_LIMITS: readonly Window[] = [
  { windowMs: 1000, max: 7 },
  { windowMs: 2000, max: 8 },
  { windowMs: 30_000, max: 60 },
  { windowMs: 3_600_000, max: 1800 },
];
export const TEAMS_TENANT_LIMITS: readonly Window[] = [{ windowMs: 1000, max: 50 }];

/**
 * Sliding-window limiter: `acquire(key)` resolves when one more send under `key` stays within every
 * window, and records it. Sends under one key are serialized so waiting callers keep their order.
 */
export class RateLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly queues = new KeyedQueue();
  private readonly pausedUntil = new Map<string, number>();
  /** Told of every slot granted (see onGrant). */
  private readonly grantListeners = new Set<(key: string, at: number) => void>();

  private readonly clock: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly marginMs: number;
  /** Conversations remembered at most (Teams' windows are kept for each). */
  private readonly maxKeys: number;
  /** This process's share of every window (1 / the instances running; see InstanceShare). */
  private readonly share: () => number;

  constructor(
    private readonly windows: readonly Window[],
    options: {
      readonly clock?: () => number;
      readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
      readonly marginMs?: number;
      readonly maxKeys?: number;
      readonly share?: () => number;
    } = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    this.marginMs = options.marginMs ?? 150;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.share = options.share ?? (() => 1);
  }

  /** Conversations (keys) whose sends are remembered: at most maxKeys. */
  get remembered(): number {
    return this.sent.size;
  }

  /** When the sends under `key` still within the longest window were granted, oldest first. */
  granted(key: string): readonly number[] {
    return [...(this.sent.get(key) ?? [])];
  }

  /**
   * Tells `listener` of every slot granted from now on, with its key and time: all of them, where
   * `granted` keeps only those of the longest window. Returns the call that stops it.
   */
  onGrant(listener: (key: string, at: number) => void): () => void {
    this.grantListeners.add(listener);
    return () => this.grantListeners.delete(listener);
  }

  /** How long until one more send under `key` is allowed (0 = now). */
  waitFor(key: string): number {
    const now = this.clock();
    const times = this.sent.get(key) ?? [];
    let wait = Math.max(0, (this.pausedUntil.get(key) ?? 0) - now);
    const share = this.share();
    for (const window of this.windows) {
      const w = { windowMs: window.windowMs, max: Math.max(1, Math.floor(window.max * share)) };
      // Sends are recorded when granted; the margin absorbs how late they reach the service.
      const span = w.windowMs + this.marginMs;
      const inWindow = times.filter((t) => t > now - span);
      if (inWindow.length >= w.max) {
        const oldestThatMustLeave = inWindow[inWindow.length - w.max];
        wait = Math.max(wait, oldestThatMustLeave + span - now + 1);
      }
    }
    return wait;
  }

  /** No send under `key` for `ms` (the service said 429 with Retry-After). */
  pause(key: string, ms: number): void {
    const until = this.clock() + ms;
    this.pausedUntil.set(key, Math.max(until, this.pausedUntil.get(key) ?? 0));
  }

  /**
   * Records one send under `key` if it is allowed right now and returns true; otherwise records
   * nothing and returns false. For sends better dropped than late, such as progress updates.
   */
  tryAcquire(key: string): boolean {
    if (this.waitFor(key) > 0) return false;
    this.record(key);
    return true;
  }

  /**
   * Resolves once one more send under `key` is allowed, and records it. When `signal` aborts first
   * (the app is stopping), rejects with its reason and records nothing.
   */
  acquire(key: string, signal?: AbortSignal): Promise<void> {
    // A queue per conversation: an idle one leaves nothing behind.
    return this.queues.run(key, async () => {
      for (let wait = this.waitFor(key); wait > 0; wait = this.waitFor(key)) {
        signal?.throwIfAborted();
        await this.sleep(wait, signal);
      }
      signal?.throwIfAborted();
      this.record(key);
    });
  }

  private record(key: string): void {
    const now = this.clock();
    const longest = Math.max(...this.windows.map((w) => w.windowMs));
    const times = (this.sent.get(key) ?? []).filter((t) => t > now - longest);
    times.push(now);
    this.sent.delete(key);
    this.sent.set(key, times);
    for (const listener of this.grantListeners) listener(key, now);
    if (this.sent.size > this.maxKeys) this.forget(now - longest - this.marginMs);
  }

  /**
   * Keeps memory bounded however many conversations there are: keys whose sends have all left
   * every window (and whose pause is over) carry nothing and go first; past the bound the keys
   * that sent least recently go too.
   */
  private forget(before: number): void {
    for (const [key, times] of this.sent) {
      if ((times.at(-1) ?? 0) <= before && (this.pausedUntil.get(key) ?? 0) <= this.clock()) {
        this.sent.delete(key);
        this.pausedUntil.delete(key);
      }
    }
    for (const key of this.sent.keys()) {
      if (this.sent.size <= this.maxKeys) break;
      this.sent.delete(key);
      this.pausedUntil.delete(key);
    }
  }
}
