import assert from 'node:assert/strict';
import { RunningApp, startApp } from '../../src/app';
import { Balancer, startBalancer } from '../../testkit/balancer';
import { TeamsClient, TeamsUser } from '../support/teams';
import { World, addFund, createClaim, grant, seedReady, startWorld } from '../bot/world';
import { notificationCards, waitUntil, writesByConversation } from '../notify/helpers';

const CLAIMS = 16;
/** What Teams said with its 429, in seconds. */
const RETRY_AFTER_S = 3;
/**
 * Sends that had passed their pause check before the 429 was answered, or before its pause was
 * stored (a Cosmos write away, slow on a busy machine), still arrive: made before anyone could know.
 */
const IN_FLIGHT_MS = 1000;

/**
 * Teams counts a send into a conversation before its Retry-After as another offence, whichever
 * instance makes it (issue 28): under two instances behind a round-robin balancer, a 429 that one
 * meets pauses the conversation for both.
 */
describe('scale: a 429 pauses the conversation for both instances (issue 28)', function () {
  this.timeout(120_000);
  let first: World;
  let w: World;
  let second: RunningApp;
  let balancer: Balancer;
  let olga: TeamsUser;
  let rita: TeamsUser;

  before(async () => {
    first = await startWorld({ storage: 'emulators', env: { SCALE_OUT: 'true' } });
    second = await startApp(first.config);
    balancer = await startBalancer({ upstreams: [first.app.url, second.url] });
    w = { ...first, teams: new TeamsClient(`${balancer.url}/api/messages`, first.connector) };
    const tenant = w.teams.tenant('contoso');
    const admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: first.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    rita = w.teams.user(tenant, 'Rita Reviewer');
    const group = w.teams.groupChat(tenant, [admin, olga, rita]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, rita, 'reviewer');
    await w.teams.send(rita, rita.personal, 'help');
    await addFund(w, admin, { 'Allocated amount': '100,000.00' });
  });
  after(async () => {
    await balancer?.stop();
    await second?.stop();
    await first?.stop();
  });

  it(`after a 429 with Retry-After ${RETRY_AFTER_S} s in Rita's chat, neither instance writes there sooner`, async () => {
    await waitUntil(
      'both instances counting two on the roll',
      () => [first.app, second].every((app) => app.notifications.limitShare() === 0.5),
      30_000,
    );
    const numbers: string[] = [];
    for (let i = 0; i < CLAIMS; i++) {
      const { number } = await createClaim(w, olga, { Title: `Paused ${i}`, Amount: '100.00' });
      await seedReady(w, olga, number);
      numbers.push(number);
    }
    const from = w.connector.requests.length;
    w.connector.inject({
      status: 429,
      retryAfter: RETRY_AFTER_S,
      count: 1,
      conversationId: rita.personalConversationId,
    });
    await Promise.all(
      numbers.map((n) => w.teams.invoke(olga, olga.personal, 'submit', { claim: n })),
    );
    await waitUntil(
      'every notification to Rita',
      () =>
        numbers.every((n) =>
          notificationCards(w.connector, rita.personalConversationId).some((c) => c.claim === n),
        ),
      60_000,
    );
    const writes = writesByConversation(w.connector, from).get(rita.personalConversationId) ?? [];
    const throttled = writes.find((q) => q.status === 429);
    assert.ok(throttled, 'the 429 happened');
    assert.ok(
      writes.filter((q) => q.at > throttled.at + RETRY_AFTER_S * 1000).length >= 1,
      'writes went on after the pause',
    );
    const early = writes
      .filter(
        (q) => q.at > throttled.at + IN_FLIGHT_MS && q.at < throttled.at + RETRY_AFTER_S * 1000 - 5,
      )
      .map((q) => `${q.at - throttled.at} ms after`);
    assert.deepEqual(early, [], 'no write into the paused chat before Retry-After');
  });
});
