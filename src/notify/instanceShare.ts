import type { InstanceRoll } from '../store/instanceRoll';
import { log } from '../log';

/** How often an instance checks in; a check-in counts three times as long (three missed: gone). */
export const CHECK_IN_EVERY_MS = 10_000;

/**
 * This instance's share of limits that hold for all instances together (Teams' send limits per
 * conversation and per tenant): one over the instances checked in on the roll. Each instance then
 * keeps its part of every window, so together they keep the whole, without a storage round trip per
 * send. While the count catches up with an instance starting (one check-in period), Teams' 429 with
 * Retry-After still pauses the conversation, as it does with one instance. A 429 one instance meets
 * pauses the conversation on the roll too, and while others run each reads that before sending.
 */
export class InstanceShare {
  private running = 1;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly o: {
      readonly roll: InstanceRoll;
      readonly owner: string;
      readonly clock?: () => Date;
      readonly everyMs?: number;
    },
  ) {}

  /** The fraction of each limit this instance may use. */
  readonly fraction = (): number => 1 / this.running;

  /**
   * How long sends into `conversation` must wait for a pause another instance met (0: none). Read
   * from the roll only while other instances run: alone, this instance's own pause is all there is.
   */
  async pausedFor(conversation: string): Promise<number> {
    if (this.running <= 1) return 0;
    try {
      const until = await this.o.roll.pausedUntil(conversation);
      return Math.max(0, (until ?? 0) - this.now().getTime());
    } catch (e) {
      log.warn({ err: e }, 'reading a shared pause failed: sending within this instance’s pause');
      return 0;
    }
  }

  /** Pauses sends into `conversation` for `ms` on every instance (Teams answered 429). */
  async pauseEverywhere(conversation: string, ms: number): Promise<void> {
    if (this.running <= 1) return;
    await this.o.roll
      .pause(conversation, new Date(this.now().getTime() + ms))
      .catch((e: unknown) => log.warn({ err: e }, 'sharing a pause failed: it holds here only'));
  }

  private now(): Date {
    return this.o.clock?.() ?? new Date();
  }

  /** Checks in now and periodically; resolves after the first check-in. */
  async start(): Promise<void> {
    const everyMs = this.o.everyMs ?? CHECK_IN_EVERY_MS;
    await this.checkIn(everyMs);
    this.timer = setInterval(() => void this.checkIn(everyMs), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.o.roll
      .leave(this.o.owner)
      .catch((e: unknown) => log.warn({ err: e }, 'checking out failed: the entry runs out'));
  }

  private async checkIn(everyMs: number): Promise<void> {
    try {
      const count = await this.o.roll.checkIn(this.o.owner, {
        now: this.now(),
        forMs: 3 * everyMs,
      });
      this.running = Math.max(1, count);
    } catch (e) {
      log.warn({ err: e }, 'check-in failed: the share of the limits stays as it was');
    }
  }
}
