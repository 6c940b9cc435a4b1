import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { InstanceRoll } from '../../../src/store/instanceRoll';

const at = (base: number, seconds: number): Date => new Date(base + seconds * 1000);
const DAY_MS = 86_400_000;
let tests = 0;
/**
 * A moment a thousand years ahead, later than any earlier test's (of this run or one before): every
 * instance checked in before, by a test or a running app, has run out by then.
 */
const freshBase = (): number => Date.now() + 1000 * 365 * DAY_MS + ++tests * DAY_MS;

/**
 * What every InstanceRoll keeps: who checked in and has not run out or left is counted, once; and
 * the conversations Teams paused, for every instance.
 */
export function instanceRollContract(make: () => InstanceRoll): void {
  describe('InstanceRoll contract', () => {
    let roll: InstanceRoll;
    let base: number;
    let a: string;
    let b: string;
    beforeEach(() => {
      roll = make();
      base = freshBase();
      a = `a-${randomUUID()}`;
      b = `b-${randomUUID()}`;
    });

    it('counts the instances checked in; a second check-in of one counts once', async () => {
      assert.equal(await roll.checkIn(a, { now: at(base, 0), forMs: 30_000 }), 1);
      assert.equal(await roll.checkIn(b, { now: at(base, 1), forMs: 30_000 }), 2);
      assert.equal(await roll.checkIn(a, { now: at(base, 10), forMs: 30_000 }), 2);
    });

    it('an instance that stops checking in drops out when its time runs out; one that leaves at once', async () => {
      await roll.checkIn(a, { now: at(base, 0), forMs: 30_000 });
      await roll.checkIn(b, { now: at(base, 20), forMs: 30_000 });
      assert.equal(await roll.checkIn(b, { now: at(base, 31), forMs: 30_000 }), 1, 'a ran out');
      await roll.checkIn(a, { now: at(base, 32), forMs: 30_000 });
      await roll.leave(a);
      assert.equal(await roll.checkIn(b, { now: at(base, 33), forMs: 30_000 }), 1, 'a left');
      await roll.leave(a);
    });

    it('a conversation paused by one instance reads as paused, until the time given (issue 28)', async () => {
      const chat = `a:${randomUUID()}`;
      assert.equal(await roll.pausedUntil(chat), undefined);
      await roll.pause(chat, at(base, 1));
      assert.equal(await roll.pausedUntil(chat), at(base, 1).getTime());
      assert.equal(await roll.pausedUntil(`a:${randomUUID()}`), undefined, 'only that one');
      await roll.pause(chat, at(base, 3));
      assert.equal(await roll.pausedUntil(chat), at(base, 3).getTime());
    });
  });
}
