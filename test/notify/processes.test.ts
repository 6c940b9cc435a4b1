import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { LocalStack } from '../../src/local/stack';
import { CosmosClaimRepository } from '../../src/store/claims';
import { CosmosConversationRepository } from '../../src/store/conversations';
import { CosmosDb, openCosmos } from '../../src/store/cosmos';
import { createEdge } from '../../src/bot/edges';
import { fallbackText, notificationCard } from '../../src/bot/views/notification';
import { Notifications } from '../../src/notify/notifications';
import type { Messenger } from '../../src/notify/messenger';
import { RecordingConnector } from '../../testkit/connector';
import { sdkUnderTest, sharedStack } from '../support/stack';
import { TeamsClient } from '../support/teams';
import {
  CountingMessenger,
  FreezingProxy,
  killAll,
  seedClaim,
  seedRequest,
  sleep,
  spawnApp,
  storePersonalChat,
  uploadRequestCards,
  waitUntil,
} from './helpers';

/**
 * The app as separate processes (`node dist/src/main.js`) on the shared emulators, each test with
 * its own database, sending through a recording connector in this process.
 */
describe('notify: crashes and several instances (child processes)', function () {
  this.timeout(60_000);
  let stack: LocalStack;
  let connector: RecordingConnector;
  const aliceId = randomUUID();
  let databases = 0;
  const opened: CosmosDb[] = [];

  /** A fresh database and blob container, and this process's view of it. */
  const freshDatabase = async () => {
    const name = `notify-${process.pid}-${++databases}-${Date.now() % 100_000}`;
    const db = await openCosmos({
      endpoint: stack.cosmos.endpoint,
      key: stack.cosmos.key,
      database: name,
    });
    opened.push(db);
    return {
      name,
      claims: new CosmosClaimRepository(db),
      conversations: new CosmosConversationRepository(db),
    };
  };
  const envFor = (database: string, cosmosEndpoint = stack.cosmos.endpoint) => ({
    COSMOS_ENDPOINT: cosmosEndpoint,
    COSMOS_KEY: stack.cosmos.key,
    COSMOS_DATABASE: database,
    STORAGE_CONNECTION_STRING: stack.storageConnectionString,
    BLOB_CONTAINER: database,
    BOOTSTRAP_ADMINS: aliceId,
  });

  /** A dispatcher in this process over a test database, as a starting app would build it. */
  const sweeper = (
    claims: CosmosClaimRepository,
    conversations: CosmosConversationRepository,
    messenger: Messenger = createEdge(sdkUnderTest(), undefined).messenger,
  ): Notifications =>
    new Notifications({
      claims,
      conversations,
      messenger,
      render: notificationCard,
      fallbackText,
      renderClaimFor: () => Promise.reject(new Error('no card updates here')),
      mayReceive: async () => true,
      instanceId: randomUUID(),
    });

  before(async () => {
    stack = await sharedStack();
    connector = await RecordingConnector.start();
  });
  after(async () => {
    await killAll();
    for (const db of opened) db.close();
    await connector?.stop();
  });

  /*
   * Crash between the write and the delivery. The faithful crash point is right after the claim
   * write that holds the request and its notification, before the dispatcher has leased it: a
   * proxy in front of Cosmos lets that write through, answers it, and from then on holds every
   * request of the process, which is then SIGKILLed. Nothing it does afterwards reaches Cosmos or
   * Teams, as if it died at that instant. The next process's start-up sweep must deliver, and a
   * later sweep (as a third start would run) must not deliver again.
   * (A process killed while its send is in flight leaves a lease: then the next instance may only
   * deliver after the lease (60 s) expires and its next sweep (every 60 s) runs - too slow here;
   * delivery.test.ts covers a lease left behind with a short lease.)
   */
  it('delivers after a crash between the claim write and the delivery, exactly once', async () => {
    const { name, claims, conversations } = await freshDatabase();
    const proxy = await FreezingProxy.start(stack.cosmos.endpoint);
    try {
      const a = await spawnApp(envFor(name, proxy.url));
      const teams = new TeamsClient(`${a.url}/api/messages`, connector);
      const tenant = teams.tenant('contoso');
      const alice = teams.user(tenant, 'Alice Baker', { aadObjectId: aliceId });
      const bob = teams.user(tenant, 'Bob Builder');
      const group = teams.groupChat(tenant, [alice, bob]);
      await storePersonalChat(conversations, teams, bob);
      const { number } = await seedClaim(claims, alice, 'Crash test');

      const frozen = proxy.freezeAfter(
        (method, path, body) =>
          method === 'PUT' &&
          path.includes('/colls/claims/docs/') &&
          body.includes('uploadRequested'),
      );
      const turn = teams
        .send(alice, group, `request <at>${bob.name}</at> invoice for ${number}`)
        .catch(() => undefined);
      await frozen;
      await a.kill('SIGKILL');
      await turn;

      const written = (await claims.get(tenant.id, number))?.outbox ?? [];
      assert.deepEqual(
        written.map((n) => [n.kind, n.to.id, n.state, n.attempts, n.lease]),
        [['uploadRequested', bob.aadObjectId, 'pending', 0, undefined]],
        'the notification was written with the request, and nothing more happened',
      );
      assert.equal(uploadRequestCards(connector, bob.personal.id).length, 0, 'not delivered yet');

      const b = await spawnApp(envFor(name));
      await waitUntil(
        'delivery by the restarted app',
        () => uploadRequestCards(connector, bob.personal.id).length > 0,
        15_000,
      );
      await waitUntil('marked delivered', async () =>
        (await claims.get(tenant.id, number))?.outbox.every((n) => n.state === 'delivered'),
      );
      await b.kill('SIGKILL');

      // What the next start-up would do once more: a sweep over the same database sends nothing.
      await sweeper(claims, conversations).outbox.sweep();
      await sleep(300);
      const cards = uploadRequestCards(connector, bob.personal.id);
      assert.deepEqual(
        cards.map((x) => x.claim),
        [number],
        'exactly one card',
      );
    } finally {
      await proxy.close();
    }
  });

  /*
   * Two instances against one database: the app as a child process and, in this process, a
   * Dispatcher built as the app builds it (a second process; starting a second child would cost
   * another 5-10 s on a busy machine). This one starts its sweep the moment the child reports that
   * it listens, i.e. while the child's start-up sweep goes over the same claim with 20 pending
   * notifications (10 colleagues with a stored 1:1 chat, 10 reached through createConversation).
   * The first send is throttled (429, Retry-After: 1, which botbuilder itself retries three
   * times), so one instance holds a lease for seconds while the other goes on.
   */
  it('delivers each of 20 notifications exactly once with two instances sweeping the same claim', async () => {
    const { name, claims, conversations } = await freshDatabase();
    const teams = new TeamsClient('http://127.0.0.1:9/unused', connector);
    const tenant = teams.tenant('contoso');
    const alice = teams.user(tenant, 'Alice Baker', { aadObjectId: aliceId });
    const colleagues = Array.from({ length: 20 }, (_, i) => teams.user(tenant, `Colleague ${i}`));
    const group = teams.groupChat(tenant, [alice, ...colleagues]);
    for (const u of colleagues.slice(0, 10)) await storePersonalChat(conversations, teams, u);
    const { number } = await seedClaim(claims, alice, 'Two instances');
    const claim = await seedRequest(claims, teams, alice, number, colleagues, { origin: group });
    assert.equal(claim.outbox.filter((n) => n.state === 'pending').length, 20);

    const from = connector.requests.length;
    connector.inject({ status: 429, retryAfter: 1, count: 4 });
    const counting = new CountingMessenger(createEdge(sdkUnderTest(), undefined).messenger);
    const here = sweeper(claims, conversations, counting);
    const child = await spawnApp(envFor(name));
    try {
      await here.outbox.sweep();
      await waitUntil(
        'all 20 delivered',
        async () =>
          (await claims.get(tenant.id, number))?.outbox.every((n) => n.state === 'delivered'),
        30_000,
      );
      await sleep(1000); // anything sent twice would arrive by now
      assert.equal(
        connector.requests.slice(from).filter((q) => q.status === 429).length,
        4,
        'the throttling happened',
      );
      const counts = colleagues.map((u) => uploadRequestCards(connector, u.personal.id).length);
      assert.deepEqual(
        counts,
        colleagues.map(() => 1),
        `each colleague got exactly one card (this process sent ${counting.sent}, the child the rest)`,
      );
      for (const u of colleagues.slice(10)) {
        const saved = await conversations.get(tenant.id, u.aadObjectId);
        assert.equal(saved?.conversationId, u.personal.id, `${u.name}'s new chat is stored`);
      }
    } finally {
      connector.clearFaults();
      await here.stop();
      await child.kill('SIGTERM');
    }
  });
});
