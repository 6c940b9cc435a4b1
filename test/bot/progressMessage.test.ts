import assert from 'node:assert/strict';
import type { AdaptiveCard } from '../../cards';
import { ChatProgressMessage, ChatWriter } from '../../src/bot/progressMessage';
import { RateLimiter } from '../../src/notify/rateLimiter';

const card = (text: string): AdaptiveCard => ({ type: 'AdaptiveCard', version: '1.5', text });
const textOf = (c: AdaptiveCard): string => String(c.text);

/** A chat whose writes complete only when the test lets them (`settle`), recording each. */
class HeldChat implements ChatWriter {
  readonly writes: { op: 'post' | 'replace'; activityId: string; text: string }[] = [];
  private held: (() => void)[] = [];

  post(c: AdaptiveCard): Promise<string> {
    return this.hold('post', 'a1', c).then(() => 'a1');
  }

  replace(activityId: string, c: AdaptiveCard): Promise<void> {
    return this.hold('replace', activityId, c);
  }

  /** Lets pending code reach its writes, completes them, and lets the code after them run. */
  async settle(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    for (const release of this.held.splice(0)) release();
    await new Promise((resolve) => setImmediate(resolve));
  }

  private hold(op: 'post' | 'replace', activityId: string, c: AdaptiveCard): Promise<void> {
    this.writes.push({ op, activityId, text: textOf(c) });
    return new Promise((resolve) => this.held.push(resolve));
  }
}

describe('bot: the progress message of a turn', () => {
  let now: number;
  let chat: HeldChat;
  const message = (limiter = new RateLimiter([{ windowMs: 1000, max: 7 }], { clock: () => now })) =>
    new ChatProgressMessage(chat, card, limiter, 'conversation');

  beforeEach(() => {
    now = 0;
    chat = new HeldChat();
  });

  it('posts on the first show and updates that message after; a show never waits, it is dropped while a write is under way', async () => {
    const progress = message();
    assert.equal(progress.show('10%'), true);
    assert.equal(progress.show('20%'), false, 'the post is still under way');
    await chat.settle();
    assert.equal(progress.show('30%'), true);
    await chat.settle();
    assert.deepEqual(chat.writes, [
      { op: 'post', activityId: 'a1', text: '10%' },
      { op: 'replace', activityId: 'a1', text: '30%' },
    ]);
  });

  it('drops a show the rate limits have no room for, instead of queueing it', async () => {
    const progress = message(
      new RateLimiter([{ windowMs: 1000, max: 1 }], { clock: () => now, marginMs: 0 }),
    );
    assert.equal(progress.show('10%'), true);
    await chat.settle();
    assert.equal(progress.show('20%'), false, 'no room within the second');
    now = 1001;
    assert.equal(progress.show('30%'), true);
    await chat.settle();
    assert.deepEqual(
      chat.writes.map((w) => w.text),
      ['10%', '30%'],
    );
  });

  it('puts the answer in the same message after the write under way, and shows nothing after it', async () => {
    const progress = message();
    progress.show('10%');
    const finished = progress.finish(card('the claim card'));
    await chat.settle();
    assert.deepEqual(chat.writes.at(-1)?.text, 'the claim card', 'written after the post');
    await chat.settle();
    assert.equal(await finished, 'a1');
    assert.equal(progress.show('99%'), false);
    assert.deepEqual(chat.writes, [
      { op: 'post', activityId: 'a1', text: '10%' },
      { op: 'replace', activityId: 'a1', text: 'the claim card' },
    ]);
  });

  it('leaves the answer to the caller when nothing asked for progress', async () => {
    assert.equal(await message().finish(card('the claim card')), undefined);
    assert.deepEqual(chat.writes, []);
  });

  it('posts the answer within the limits when the turn expected progress but ended before any show', async () => {
    const limiter = new RateLimiter([{ windowMs: 1000, max: 1 }], {
      clock: () => now,
      marginMs: 0,
    });
    const grants: number[] = [];
    limiter.onGrant((_key, at) => grants.push(at));
    assert.ok(limiter.tryAcquire('conversation'), 'another message took the only slot');
    const progress = message(limiter);
    progress.expect();
    now = 1001;
    const finished = progress.finish(card('the claim card'));
    await chat.settle();
    assert.equal(await finished, 'a1');
    assert.deepEqual(chat.writes, [{ op: 'post', activityId: 'a1', text: 'the claim card' }]);
    assert.deepEqual(grants, [0, 1001], 'the answer took a slot of its own');
  });

  it('posts the answer within the limits when progress was asked for but never got through', async () => {
    const limiter = new RateLimiter([{ windowMs: 1000, max: 1 }], {
      clock: () => now,
      marginMs: 0,
    });
    assert.ok(limiter.tryAcquire('conversation'), 'another message took the only slot');
    const progress = message(limiter);
    assert.equal(progress.show('10%'), false);
    now = 1001;
    const finished = progress.finish(card('the claim card'));
    await chat.settle();
    assert.equal(await finished, 'a1');
    assert.deepEqual(chat.writes, [{ op: 'post', activityId: 'a1', text: 'the claim card' }]);
  });
});
