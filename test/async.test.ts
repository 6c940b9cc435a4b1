import assert from 'node:assert/strict';
import { KeyedQueue, raceTimeout } from '../src/async';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('async: the one keyed queue and the one timeout helper', () => {
  it('raceTimeout gives what the work gives in time, else undefined', async () => {
    assert.equal(
      await raceTimeout(
        sleep(5).then(() => 'done'),
        1000,
      ),
      'done',
    );
    assert.equal(
      await raceTimeout(
        sleep(1000).then(() => 'late'),
        10,
      ),
      undefined,
    );
    await assert.rejects(raceTimeout(Promise.reject(new Error('broke')), 1000), /broke/);
  });

  it('KeyedQueue runs work one after another per key, side by side across keys', async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    const step = (name: string, ms: number) => async () => {
      order.push(`${name} starts`);
      await sleep(ms);
      order.push(`${name} ends`);
      return name;
    };
    const a1 = queue.run('a', step('a1', 30));
    const a2 = queue.run('a', step('a2', 1));
    const b1 = queue.run('b', step('b1', 1));
    assert.deepEqual(await Promise.all([a1, a2, b1]), ['a1', 'a2', 'b1']);
    assert.ok(order.indexOf('a1 ends') < order.indexOf('a2 starts'), order.join(', '));
    assert.ok(order.indexOf('b1 ends') < order.indexOf('a1 ends'), order.join(', '));
  });

  it('KeyedQueue: a failure reaches its caller only and does not stop the next', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('k', () => Promise.reject(new Error('first')));
    const next = queue.run('k', async () => 'second');
    await assert.rejects(failed, /first/);
    assert.equal(await next, 'second');
  });

  it('KeyedQueue knows which keys are busy and when all are idle', async () => {
    const queue = new KeyedQueue();
    let done = false;
    void queue.run('k', () => sleep(20));
    void queue.run('k', async () => {
      await sleep(5);
      done = true;
    });
    assert.ok(queue.busy('k'));
    assert.ok(!queue.busy('other'));
    await queue.idle();
    assert.ok(done, 'idle waits for work queued behind other work');
    assert.ok(!queue.busy('k'), 'an idle key leaves nothing behind');
  });
});
