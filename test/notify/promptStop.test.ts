import assert from 'node:assert/strict';
import { raceTimeout } from '../../src/async';
import type { Notification } from '../../src/domain/notification';
import { createEdge } from '../../src/bot/edges';
import type { Messenger } from '../../src/notify/messenger';
import type { Notifications } from '../../src/notify/notifications';
import { RateLimiter } from '../../src/notify/rateLimiter';
import type { World } from '../bot/world';
import { sdkUnderTest } from '../support/stack';
import type { TeamsUser, Tenant } from '../support/teams';
import { uploadRequestCards, waitUntil } from './helpers';
import { DeliveryBed, deliveryBed } from './deliveryBed';

/** A stop this long or longer fails the test: stopping must not wait for Teams' limits. */
const PROMPT_STOP_MS = 1000;

/**
 * A stopping app gives back what it has leased but not sent instead of waiting for a slot within
 * Teams' limits (seconds, up to a minute): the next start's sweep sends it, once.
 */
describe('notify: a stopping app does not wait for its deliveries', function () {
  this.timeout(30_000);
  const made = deliveryBed();
  let w: World;
  let tenant: Tenant;
  let dispatcher: DeliveryBed['dispatcher'];
  let colleague: DeliveryBed['colleague'];
  let outbox: DeliveryBed['outbox'];
  let requestTo: DeliveryBed['requestTo'];
  before(() => ({ w, tenant, dispatcher, colleague, outbox, requestTo } = made()));
  /** The claim's notification to `to` (a seeded claim also tells its owner its results are due). */
  const itemFor = async (number: string, to: TeamsUser): Promise<Notification> => {
    const n = (await outbox(number)).find((x) => x.to.id === to.aadObjectId);
    assert.ok(n, `${number} notifies ${to.name}`);
    return n;
  };
  const allDelivered = async (number: string): Promise<boolean> =>
    (await outbox(number)).every((n) => n.state === 'delivered');
  /** Stops `d`; fails unless it took less than PROMPT_STOP_MS. */
  const stopsPromptly = async (d: Notifications): Promise<void> => {
    const started = Date.now();
    const stopped = await raceTimeout(
      d.stop().then(() => true),
      10_000,
    );
    const took = Date.now() - started;
    assert.ok(stopped && took < PROMPT_STOP_MS, `stop() took ${stopped ? took : 'over 10000'} ms`);
  };

  it('stops at once while a delivery waits for a slot; after a restart it is delivered, once', async () => {
    const bob = await colleague();
    const first = await requestTo([bob], 'First');
    const second = await requestTo([bob], 'Second');
    // One send a minute into Bob's chat: the second card waits for a slot, leased.
    const d = dispatcher({ conversationLimiter: new RateLimiter([{ windowMs: 60_000, max: 1 }]) });
    d.kick(tenant.id, first);
    await waitUntil('the first claim delivered', () => allDelivered(first));
    d.kick(tenant.id, second);
    await waitUntil('a notification of the second claim leased', async () =>
      (await outbox(second)).some((n) => n.lease),
    );
    await stopsPromptly(d);
    for (const n of await outbox(second)) {
      assert.equal(n.state, 'pending', n.id);
      assert.equal(n.lease, undefined, `${n.id}: the stopping instance gave its lease back`);
    }
    assert.equal(uploadRequestCards(w.connector, bob.personal.id).length, 1);

    dispatcher().start(60_000);
    await waitUntil('the second claim delivered after the restart', () => allDelivered(second));
    assert.equal(uploadRequestCards(w.connector, bob.personal.id).length, 2);
  });

  it('gives a send already on the wire a short grace, then stops; the lease running out sends it again', async () => {
    const carol = await colleague();
    const number = await requestTo([carol], 'Hanging');
    const edge = createEdge(sdkUnderTest(), undefined).messenger;
    let hung = false;
    // Carol's chat never answers the first send.
    const hanging: Messenger = {
      send: (reference, card) => {
        const conversation = reference.conversation as { id?: string } | undefined;
        if (hung || conversation?.id !== carol.personal.id) {
          return edge.send(reference, card);
        }
        hung = true;
        return new Promise(() => undefined);
      },
      createPersonal: (target, card) => edge.createPersonal(target, card),
      update: (reference, activityId, card) => edge.update(reference, activityId, card),
      mention: (reference, user, text) => edge.mention(reference, user, text),
    };
    const leaseMs = 1500;
    const d = dispatcher({ messenger: hanging, leaseMs });
    d.kick(tenant.id, number);
    await waitUntil('the send on the wire', () => hung);
    await stopsPromptly(d);
    const held = await itemFor(number, carol);
    assert.equal(held.state, 'pending');
    assert.ok(held.lease, 'a send that may have arrived keeps its lease');

    dispatcher({ leaseMs }).start(200);
    await waitUntil(
      'the card delivered once the lease ran out',
      async () => (await itemFor(number, carol)).state === 'delivered',
    );
    assert.equal(uploadRequestCards(w.connector, carol.personal.id).length, 1);
  });
});
