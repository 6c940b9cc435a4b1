import assert from 'node:assert/strict';
import {
  RateLimiter,
  TEAMS_CONVERSATION_LIMITS,
  TEAMS_TENANT_LIMITS,
  Window,
} from '../../src/notify/rateLimiter';
import { InstanceShare } from '../../src/notify/instanceShare';
import { MemoryInstanceRoll } from '../../src/store/memory/instanceRoll';
import { maxInWindow, sleep, waitUntil } from './helpers';

/**
 * Virtual time: `sleep` parks the caller until `run` moves the clock to its wake-up time. Nothing
 * waits for real, so hours of sends take milliseconds.
 */
class FakeTime {
  now = 0;
  private sleepers: { at: number; wake: () => void }[] = [];
  /** How the limiter slept: the sleep lengths it asked for. */
  readonly slept: number[] = [];

  constructor(
    /** A timer that fires early (`early` of the asked time), like a coarse or jittery clock. */
    private readonly early = 0,
  ) {}

  readonly clock = (): number => this.now;
  readonly sleep = (ms: number): Promise<void> =>
    new Promise((wake) => {
      this.slept.push(ms);
      this.sleepers.push({ at: this.now + Math.max(1, Math.floor(ms * (1 - this.early))), wake });
    });

  /** Runs until `done` settles: lets pending promise chains run, then jumps to the next wake-up. */
  async run<T>(done: Promise<T>): Promise<T> {
    let settled = false;
    const watched = done.finally(() => {
      settled = true;
    });
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (settled) return watched;
      assert.ok(this.sleepers.length, 'nothing settles and nothing sleeps: the limiter is stuck');
      this.now = Math.max(this.now, Math.min(...this.sleepers.map((s) => s.at)));
      const due = this.sleepers.filter((s) => s.at <= this.now);
      this.sleepers = this.sleepers.filter((s) => s.at > this.now);
      for (const s of due) s.wake();
    }
  }
}

/** Acquires `count` sends under `key` at once; returns when each was let through, in call order. */
async function burst(
  time: FakeTime,
  limiter: RateLimiter,
  key: string,
  count: number,
  order: number[] = [],
): Promise<number[]> {
  const at: number[] = [];
  const all = Array.from({ length: count }, (_, i) =>
    limiter.acquire(key).then(() => {
      at[i] = time.now;
      order.push(i);
    }),
  );
  await time.run(Promise.all(all));
  return at;
}

function assertWithin(times: readonly number[], windows: readonly Window[], what: string): void {
  for (const w of windows) {
    const seen = maxInWindow(times, w.windowMs);
    assert.ok(
      seen <= w.max,
      `${what}: ${seen} sends in one ${w.windowMs} ms window (max ${w.max})`,
    );
  }
}

describe('notify: rate limiter (virtual time)', () => {
  it('never lets more than 7 sends in 1 s, 8 in 2 s or 60 in 30 s through for one conversation', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter(TEAMS_CONVERSATION_LIMITS, {
      clock: time.clock,
      sleep: time.sleep,
    });
    const at = await burst(time, limiter, 'a:conversation', 200);
    assertWithin(at, TEAMS_CONVERSATION_LIMITS, 'one conversation');
    assert.equal(maxInWindow(at, 1000), 7, 'a full second is used');
    assert.equal(maxInWindow(at, 30_000), 60, 'a full 30 s window is used');
    // Not slower than needed: seven at once, the eighth once the first second is over.
    assert.deepEqual(at.slice(0, 7), [0, 0, 0, 0, 0, 0, 0]);
    // The limiter leaves a margin (150 ms) for sends that reach the service late.
    assert.ok(at[7] > 1150 && at[7] <= 1160, `eighth send at ${at[7]} ms`);
    assert.ok(at[60] > 30_150 && at[60] <= 30_160, `61st send at ${at[60]} ms`);
    assert.ok(
      time.slept.every((ms) => ms > 0),
      'never asks for a zero or negative sleep',
    );
  });

  it('keeps within 1800 sends an hour', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter(TEAMS_CONVERSATION_LIMITS, {
      clock: time.clock,
      sleep: time.sleep,
    });
    const at = await burst(time, limiter, 'busy', 1801);
    assertWithin(at, TEAMS_CONVERSATION_LIMITS, 'an hour of sends');
    assert.ok(at[1800] > 3_600_000, `the 1801st send waits for the hour: ${at[1800]} ms`);
  });

  it('lets waiting callers through in the order they called, also those arriving while others wait', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter(TEAMS_CONVERSATION_LIMITS, {
      clock: time.clock,
      sleep: time.sleep,
    });
    const order: number[] = [];
    const first = Array.from({ length: 12 }, (_, i) =>
      limiter.acquire('c').then(() => order.push(i)),
    );
    // More callers join once the first second is over and five of the first twelve still wait.
    await time.run(first[7]);
    assert.ok(time.now > 1000);
    const later = Array.from({ length: 12 }, (_, i) =>
      limiter.acquire('c').then(() => order.push(12 + i)),
    );
    await time.run(Promise.all([...first, ...later]));
    assert.deepEqual(
      order,
      Array.from({ length: 24 }, (_, i) => i),
    );
  });

  it('stays within the limits when timers fire early', async () => {
    const time = new FakeTime(0.5);
    const limiter = new RateLimiter(TEAMS_CONVERSATION_LIMITS, {
      clock: time.clock,
      sleep: time.sleep,
    });
    const at = await burst(time, limiter, 'jittery', 90);
    assertWithin(at, TEAMS_CONVERSATION_LIMITS, 'early timers');
  });

  it('keeps conversations independent: a busy one never delays another', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter(TEAMS_CONVERSATION_LIMITS, {
      clock: time.clock,
      sleep: time.sleep,
    });
    const busy: number[] = [];
    const quiet: number[] = [];
    const all = [
      ...Array.from({ length: 30 }, () => limiter.acquire('busy').then(() => busy.push(time.now))),
      ...Array.from({ length: 7 }, () => limiter.acquire('quiet').then(() => quiet.push(time.now))),
    ];
    await time.run(Promise.all(all));
    assert.deepEqual(quiet, [0, 0, 0, 0, 0, 0, 0], 'the quiet conversation sends at once');
    assertWithin(busy, TEAMS_CONVERSATION_LIMITS, 'busy conversation');
    assert.ok(Math.max(...busy) > 5000, 'the busy conversation is slowed down');
  });

  it('remembers a bounded number of conversations, forgetting first those with nothing in any window', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter(TEAMS_CONVERSATION_LIMITS, {
      clock: time.clock,
      sleep: time.sleep,
      marginMs: 150,
      maxKeys: 100,
    });
    const busy = Array.from({ length: 7 }, () => limiter.tryAcquire('busy'));
    assert.deepEqual(busy, [true, true, true, true, true, true, true]);
    time.now += 2 * 60 * 60_000; // two hours on: every window is empty again
    assert.equal(limiter.tryAcquire('busy'), true);
    for (let i = 0; i < 1000; i++) assert.equal(limiter.tryAcquire(`chat-${i}`), true);
    assert.ok(limiter.remembered <= 100, `remembers ${limiter.remembered} conversations`);
    for (let i = 0; i < 8; i++) limiter.tryAcquire('flood');
    assert.equal(limiter.tryAcquire('flood'), false, 'a conversation in its window stays limited');
  });

  it('holds a tenant to 50 sends a second', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter(TEAMS_TENANT_LIMITS, { clock: time.clock, sleep: time.sleep });
    const at = await burst(time, limiter, 'tenant', 175);
    assert.equal(maxInWindow(at, 1000), 50);
    assert.ok(at[174] > 3450 && at[174] <= 3460, `the 175th send at ${at[174]} ms`);
  });

  it('without a margin uses every window to the millisecond', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter(TEAMS_CONVERSATION_LIMITS, {
      clock: time.clock,
      sleep: time.sleep,
      marginMs: 0,
    });
    const at = await burst(time, limiter, 'exact', 8);
    assert.ok(at[7] > 1000 && at[7] <= 1010, `eighth send at ${at[7]} ms`);
  });

  it('tryAcquire takes a free slot at once and refuses, recording nothing, when there is none', () => {
    const time = new FakeTime();
    const limiter = new RateLimiter(TEAMS_CONVERSATION_LIMITS, {
      clock: time.clock,
      sleep: time.sleep,
      marginMs: 0,
    });
    const granted = Array.from({ length: 9 }, () => limiter.tryAcquire('chat'));
    assert.deepEqual(granted, [...Array(7).fill(true), false, false], '7 per second');
    time.now = 1000;
    assert.equal(limiter.tryAcquire('chat'), true, 'the eighth in 2 s');
    assert.equal(limiter.tryAcquire('chat'), false, 'the ninth in 2 s');
    assert.equal(limiter.tryAcquire('other chat'), true);
    assert.deepEqual(time.slept, [], 'it never waits');
  });

  it('pauses a conversation for a Retry-After, and only that one', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter(TEAMS_CONVERSATION_LIMITS, {
      clock: time.clock,
      sleep: time.sleep,
    });
    limiter.pause('throttled', 2000);
    const at: number[] = [];
    await time.run(
      Promise.all([
        limiter.acquire('throttled').then(() => at.push(time.now)),
        limiter.acquire('other').then(() => assert.equal(time.now, 0)),
      ]),
    );
    assert.ok(at[0] >= 2000, `sent at ${at[0]} ms, before the pause ended`);
  });

  it('instances on one roll share the limits: together they keep every window, each uses its part', async () => {
    const roll = new MemoryInstanceRoll();
    const shares = ['a', 'b'].map(
      (owner) => new InstanceShare({ roll, owner, clock: () => new Date(), everyMs: 20 }),
    );
    await Promise.all(shares.map((share) => share.start()));
    try {
      await waitUntil('both see two instances', () => shares.every((s) => s.fraction() === 0.5));
      const time = new FakeTime();
      const limiters = shares.map(
        (share) =>
          new RateLimiter(TEAMS_CONVERSATION_LIMITS, {
            clock: time.clock,
            sleep: time.sleep,
            share: share.fraction,
          }),
      );
      const sends = Array.from({ length: 100 }, (_, i) =>
        limiters[i % 2].acquire('one chat').then(() => time.now),
      );
      const at = await time.run(Promise.all(sends));
      assertWithin(at, TEAMS_CONVERSATION_LIMITS, 'two instances, one conversation');
      assert.equal(maxInWindow(at, 30_000), 60, 'together they use the whole 30 s window');
      await shares[1].stop();
      await sleep(60);
      assert.equal(shares[0].fraction(), 1, 'an instance that stopped gives its part back');
    } finally {
      await Promise.all(shares.map((share) => share.stop()));
    }
  });
});
