import { ledgerKey } from '../../src/domain/fund';
import { openCosmos } from '../../src/store/cosmos';
import assert from 'node:assert/strict';
import { updateNotification } from '../../src/domain/claim';
import { RateLimiter, TEAMS_CONVERSATION_LIMITS } from '../../src/notify/rateLimiter';
import type { World } from '../bot/world';
import type { TeamsUser, Tenant } from '../support/teams';
import {
  maxInWindow,
  seedClaim,
  sleep,
  uploadRequestCards,
  waitUntil,
  writesByConversation,
} from './helpers';
import { recordGrants } from '../support/grants';
import { DeliveryBed, deliveryBed } from './deliveryBed';

/**
 * The outbox dispatcher against the recording connector, with Dispatchers built here (small
 * backoff, few attempts) instead of the app's own, which is stopped so it never races them.
 * Claims and requests are written directly with the domain functions; the chat flow that writes
 * them has its own tests (requests.test.ts).
 */
describe('notify: delivery under faults', function () {
  this.timeout(40_000);
  const made = deliveryBed({ storage: 'emulators' });
  let w: World;
  let tenant: Tenant;
  let alice: TeamsUser;
  let dispatcher: DeliveryBed['dispatcher'];
  let colleague: DeliveryBed['colleague'];
  let outbox: DeliveryBed['outbox'];
  let requestTo: DeliveryBed['requestTo'];
  before(() => ({ w, tenant, alice, dispatcher, colleague, outbox, requestTo } = made()));
  afterEach(() => w.connector.clearFaults());

  it('gets a fan-out through a 429 storm: all delivered, none twice, within the Teams limits, no retry before Retry-After', async () => {
    // Ten claims each ask two colleagues of their own and Sam, who so gets ten cards at once.
    const sam = await colleague('Sam Shared');
    const own: TeamsUser[] = [];
    for (let i = 0; i < 20; i++) own.push(await colleague());
    const numbers: string[] = [];
    for (let i = 0; i < 10; i++) {
      numbers.push(await requestTo([own[2 * i], sam, own[2 * i + 1]], `Storm ${i}`));
    }
    const from = w.connector.requests.length;
    w.connector.inject({ status: 429, retryAfter: 1, count: 30 });
    const d = dispatcher({ baseBackoffMs: 50, maxAttempts: 10 });
    await d.outbox.sweep();
    await waitUntil(
      'all 30 notifications delivered',
      async () =>
        (await Promise.all(numbers.map(outbox))).every((o) =>
          o.every((n) => n.state === 'delivered'),
        ),
      30_000,
    );
    await sleep(300);
    await d.idle();
    const requests = w.connector.requests.slice(from);
    assert.equal(requests.filter((q) => q.status === 429).length, 30, 'the storm happened');

    // None twice: one card per colleague, and Sam one per claim.
    own.forEach((u, i) =>
      assert.deepEqual(
        uploadRequestCards(w.connector, u.personal.id).map((c) => c.claim),
        [numbers[Math.floor(i / 2)]],
        u.name,
      ),
    );
    assert.deepEqual(
      uploadRequestCards(w.connector, sam.personal.id)
        .map((c) => c.claim)
        .sort(),
      [...numbers].sort(),
      'Sam: one card per claim',
    );

    // Within the Teams limits, counting every request (a throttled one counts too).
    const writes = writesByConversation(w.connector, from);
    const over: string[] = [];
    const t0 = requests[0]?.at ?? 0;
    for (const [id, list] of writes) {
      const times = list.map((x) => x.at);
      const timeline = list.map((x) => `${x.at - t0}:${x.status}`).join(' ');
      for (const [windowMs, max] of [
        [1000, 7],
        [2000, 8],
        [30_000, 60],
      ]) {
        const seen = maxInWindow(times, windowMs);
        if (seen > max) {
          over.push(
            `${id}: ${seen} requests in ${windowMs} ms (max ${max}); ms:status ${timeline}`,
          );
        }
      }
    }
    // Retry-After: the colleagues with one card each have one notification per conversation, so
    // every request after a 429 in their chat is a retry of it.
    const early: string[] = [];
    let retries = 0;
    for (const u of own) {
      const list = writes.get(u.personal.id) ?? [];
      for (let i = 1; i < list.length; i++) {
        const gap = list[i].at - list[i - 1].at;
        if (list[i - 1].status !== 429) continue;
        retries += 1;
        if (gap < 1000 - 5) early.push(`${u.name}: ${gap} ms`);
      }
    }
    assert.ok(retries >= 10, `retries after a 429 were seen: ${retries}`);
    assert.deepEqual(early, [], 'no retry before Retry-After');
    const all = [...writes.values()].flat().map((x) => x.at);
    assert.ok(maxInWindow(all, 1000) <= 50, 'tenant: 50 a second');
    assert.deepEqual(over, [], 'per conversation: 7 per 1 s, 8 per 2 s, 60 per 30 s');
  });

  it('keeps one chat within 7 requests a second while its first sends are throttled', async () => {
    // Eight claims notify Tess at once; her chat answers the first seven requests with 429,
    // Retry-After: 1. Every request to her chat counts, retries included, whoever makes them.
    const tess = await colleague('Tess Throttled');
    const numbers: string[] = [];
    for (let i = 0; i < 8; i++) numbers.push(await requestTo([tess], `Throttled ${i}`));
    w.connector.inject({ status: 429, retryAfter: 1, count: 7, conversationId: tess.personal.id });
    const from = w.connector.requests.length;
    const limiter = new RateLimiter(TEAMS_CONVERSATION_LIMITS);
    const d = dispatcher({ baseBackoffMs: 50, maxAttempts: 10, conversationLimiter: limiter });
    const slots = recordGrants(limiter, tess.personal.id);
    await d.outbox.sweep();
    await waitUntil('all 8 delivered', async () =>
      (await Promise.all(numbers.map(outbox))).every((o) => o[0].state === 'delivered'),
    );
    const list = writesByConversation(w.connector, from).get(tess.personal.id) ?? [];
    const t0 = list[0]?.at ?? 0;
    const timeline = list.map((x) => `${x.at - t0}:${x.status}`).join(' ');
    assert.equal(uploadRequestCards(w.connector, tess.personal.id).length, 8, timeline);
    // Judged when the dispatcher granted each request its slot (a limit counts a send then), not
    // when the connector received it: on a busy machine a request can arrive late, beside later ones.
    slots.stop();
    const granted = slots.grants;
    assert.ok(granted.length >= list.length, `${granted.length} slots for ${list.length} requests`);
    assert.ok(maxInWindow(granted, 1000) <= 7, `over 7 in 1 s (ms:status ${timeline})`);
    assert.ok(maxInWindow(granted, 2000) <= 8, `over 8 in 2 s (ms:status ${timeline})`);
  });

  it('gives up after maxAttempts while the connector answers 503, with the failure in history', async () => {
    const xavier = await colleague('Xavier Unreachable');
    const number = await requestTo([xavier], 'Unreachable');
    // Retry-After: 0 keeps it fast; botbuilder itself retries a 503 up to 3 times per send.
    w.connector.inject({
      status: 503,
      retryAfter: 0,
      count: 10_000,
      conversationId: xavier.personal.id,
    });
    const from = w.connector.requests.length;
    const d = dispatcher({ maxAttempts: 3, baseBackoffMs: 20 });
    await d.outbox.sweep();
    const [failed] = await waitUntil('the notification failed', async () => {
      const mine = (await outbox(number)).filter((n) => n.to.id === xavier.aadObjectId);
      return mine.every((n) => n.state === 'failed') ? mine : undefined;
    });
    assert.equal(failed.lastError, 'http-503');
    const claim = await w.app.services.claims.get(tenant.id, number);
    const event = claim?.history.at(-1);
    assert.equal(event?.kind, 'notificationFailed');
    assert.equal(event?.by.name, 'Co-op Claims');
    assert.equal(event?.item, 'Xavier Unreachable');
    assert.equal(event?.note, undefined, 'no delivery code in the history people read');
    const tries = () => writesByConversation(w.connector, from).get(xavier.personal.id) ?? [];
    const made = tries().length;
    assert.ok(made >= 3 && made <= 3 * 4, `3 attempts (each at most 4 requests): ${made}`);
    // Given up means given up: later sweeps leave it alone.
    await d.outbox.sweep();
    await sleep(300);
    assert.equal(tries().length, made, 'no request after giving up');
    // The owner sees it in the claim's history.
    const history = await w.teams.send(alice, alice.personal, `history ${number}`);
    assert.match(history.text, /could not notify/);
    assert.match(history.text, /Xavier Unreachable/);
  });

  // A 403 (app not installed) or 404 is no failure: the notification waits (unreachable.test.ts).
  for (const status of [400]) {
    it(`fails at once on a ${status} (not worth retrying), with the failure in history`, async () => {
      const u = await colleague();
      const number = await requestTo([u], `Refused ${status}`);
      w.connector.inject({ status, count: 1, conversationId: u.personal.id });
      const from = w.connector.requests.length;
      const d = dispatcher({ maxAttempts: 5, baseBackoffMs: 20 });
      await d.outbox.sweep();
      await waitUntil('failed', async () =>
        (await outbox(number)).every((n) => n.state === 'failed'),
      );
      await sleep(200);
      assert.equal(writesByConversation(w.connector, from).get(u.personal.id)?.length, 1);
      const event = (await w.app.services.claims.get(tenant.id, number))?.history.at(-1);
      assert.equal(event?.kind, 'notificationFailed');
      assert.equal((await outbox(number))[0].lastError, `http-${status}`);
      assert.equal(uploadRequestCards(w.connector, u.personal.id).length, 0);
    });
  }

  it('leaves a notification leased by a crashed instance alone until the lease expires, then delivers it once', async () => {
    const u = await colleague();
    const number = await requestTo([u], 'Lease left behind');
    const [n] = await outbox(number);
    // An instance leased it and died before sending: its lease stays in the claim document.
    const until = new Date(Date.now() + 800).toISOString();
    await w.app.services.claims.update(tenant.id, number, 'crashed-lease', (c) =>
      updateNotification(c, n.id, (x) => ({ ...x, lease: { owner: 'lease:dead', until } })),
    );
    const d = dispatcher({ baseBackoffMs: 20 });
    await d.outbox.sweep();
    assert.equal(
      uploadRequestCards(w.connector, u.personal.id).length,
      0,
      'the lease is respected',
    );
    assert.equal((await outbox(number))[0].state, 'pending');
    await sleep(Date.parse(until) - Date.now() + 50);
    await d.outbox.sweep();
    await d.outbox.sweep();
    assert.equal(uploadRequestCards(w.connector, u.personal.id).length, 1, 'delivered once');
    assert.equal((await outbox(number))[0].state, 'delivered');
  });

  it('posts the fund sums a crash left in a claim (written with the change, never posted) at the next sweep, once', async () => {
    const { number } = await seedClaim(w.app.services.claims, alice, 'Sums left behind');
    const claims = w.app.services.claims;
    const before =
      (await claims.fundLedger(tenant.id))[ledgerKey('fund-crash', 'USD')]?.claimed ?? 0;
    // The change as a process that died right after writing it leaves it: entries, nothing posted.
    const cosmos = w.config.cosmos;
    assert.ok(cosmos);
    const db = await openCosmos({ ...cosmos, key: cosmos.key });
    const raw = db.container('claims').item(number, tenant.id);
    const { resource } = await raw.read<Record<string, unknown>>();
    const entry = {
      id: 'crash-left-this',
      fundId: 'fund-crash',
      currency: 'USD',
      claimed: 5000,
      approved: 0,
      pending: 5000,
    };
    await raw.replace({ ...resource, ledgerEntries: [entry], openOutbox: true });
    const d = dispatcher();
    await d.outbox.sweep();
    await d.outbox.sweep();
    assert.equal(
      (await claims.fundLedger(tenant.id))[ledgerKey('fund-crash', 'USD')]?.claimed,
      before + 5000,
    );
    const { resource: after } = await raw.read<{
      ledgerEntries?: unknown[];
      openOutbox?: boolean;
    }>();
    assert.deepEqual(after?.ledgerEntries, []);
    assert.equal(after?.openOutbox, false, 'nothing left for the next sweep');
    db.close();
  });

  it('does not deliver twice when a send waits for the rate limiter longer than its lease', async () => {
    // Scaled down from production: a 60 s lease while the send queues behind the tenant limit
    // (50/s: a fan-out of 3000+), a conversation over 60 per 30 s, or botbuilder's own Retry-After
    // waits. Here: a 200 ms lease and a limiter that holds the send for about a second.
    const u = await colleague();
    const number = await requestTo([u], 'Slow limiter');
    const slow = new RateLimiter([{ windowMs: 1000, max: 1 }]);
    await slow.acquire(u.personal.id); // a send just went into this chat
    const a = dispatcher({ leaseMs: 200, conversationLimiter: slow });
    const b = dispatcher({ leaseMs: 200 });
    a.kick(tenant.id, number);
    await waitUntil('A holds the lease', async () => (await outbox(number))[0].lease);
    await sleep(400); // A's lease has expired; A still waits for its limiter
    await b.outbox.sweep();
    await a.idle();
    await sleep(100);
    assert.equal(
      uploadRequestCards(w.connector, u.personal.id).length,
      1,
      'one card, although two instances took turns on the lease',
    );
  });
});
