import assert from 'node:assert/strict';
import type { Recorded } from '../../testkit/connector';
import { recordedCard } from '../bot/fileKit';
import { noticesTo, pressOnRequest, requestFunds } from '../bot/fundRequestKit';
import { World, addFund, grant, startWorld } from '../bot/world';
import { TeamsUser, Tenant, cardText } from '../support/teams';
import { sleep, waitUntil, writesByConversation } from './helpers';

const NEW_REQUEST = 'asks for pre-approval';

/**
 * Issue 30: fund requests' notices go through the one outbox engine the claims' notifications use,
 * so they get its retries on a timer (with backoff and jitter, Retry-After first), its 429 pause, the
 * notice kept for a person the chat service does not know yet, and nothing sent to a person who may
 * no longer see the request. None of it waits for the minute's sweep: the tests never run one.
 */
describe('notify: fund requests through the one outbox engine (issue 30)', function () {
  this.timeout(60_000);
  let w: World;
  let tenant: Tenant;
  let ada: TeamsUser;
  let ann: TeamsUser;
  let pat: TeamsUser;
  let people = 0;

  /** Cards about fund requests in a user's 1:1 chat after `since`, with `text` on them. */
  const cardsIn = (u: TeamsUser, since: number, text: string): Recorded[] =>
    w.connector
      .since(since, u.personal.id)
      .filter((r) => r.op !== 'update' && cardText(recordedCard(r)).includes(text));
  /** Writes into a user's 1:1 chat after request number `from`, with their status and time. */
  const writesTo = (u: TeamsUser, from: number) =>
    writesByConversation(w.connector, from).get(u.personal.id) ?? [];
  /** An Incentives admin who has talked to the bot (their 1:1 chat is stored). */
  const admin = async (opts: { appInstalled?: boolean } = {}): Promise<TeamsUser> => {
    const u = w.teams.user(tenant, `Admin ${++people}`, opts);
    await grant(w, ada, w.teams.groupChat(tenant, [ada, u]), u, 'incentives admin');
    if (opts.appInstalled !== false) await w.teams.send(u, u.personal, 'help');
    return u;
  };

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    ada = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    ann = w.teams.user(tenant, 'Ann Requester');
    await grant(w, ada, w.teams.groupChat(tenant, [ada, ann]), ann, 'incentives user');
    await w.teams.send(ann, ann.personal, 'help');
    await addFund(w, ada, { Name: 'FY27 Co-op', 'Allocated amount': '100,000.00' });
    pat = await admin();
  });
  afterEach(() => w.connector.clearFaults());
  after(async () => {
    await w?.stop();
  });

  it('a notice that meets server trouble is retried on its own, with backoff, until delivered once', async () => {
    const from = w.connector.requests.length;
    const since = w.connector.seq;
    w.connector.inject({
      status: 503,
      conversationId: pat.personal.id,
      ops: ['send', 'reply'],
      count: 2,
    });
    const { number } = await requestFunds(w, ann, { Activity: 'Retried webinar' });
    await waitUntil(
      'the notice to Pat delivered',
      async () => (await noticesTo(w, tenant, number, pat))[0]?.state === 'delivered',
      15_000,
    );
    const [notice] = await noticesTo(w, tenant, number, pat);
    assert.equal(notice.attempts, 3, 'two failed attempts, then the delivery');
    assert.equal(notice.lastError, 'http-503');
    const writes = writesTo(pat, from);
    assert.deepEqual(
      writes.map((q) => q.status),
      [503, 503, 201],
    );
    // Backoff with jitter: the second retry waits about twice as long as the first (0.5–1.5 × 1 s, × 2 s).
    assert.ok(
      writes[1].at - writes[0].at >= 400,
      `first retry after ${writes[1].at - writes[0].at} ms`,
    );
    assert.ok(
      writes[2].at - writes[1].at >= 900,
      `second retry after ${writes[2].at - writes[1].at} ms`,
    );
    assert.equal(cardsIn(pat, since, NEW_REQUEST).length, 1, 'one card, not three');
  });

  it('a 429 pauses the chat for its Retry-After, then the notice goes out by itself', async () => {
    const from = w.connector.requests.length;
    w.connector.inject({
      status: 429,
      retryAfter: 2,
      conversationId: pat.personal.id,
      ops: ['send', 'reply'],
      count: 1,
    });
    const { number } = await requestFunds(w, ann, { Activity: 'Throttled webinar' });
    await waitUntil(
      'the notice to Pat delivered',
      async () => (await noticesTo(w, tenant, number, pat))[0]?.state === 'delivered',
      15_000,
    );
    const writes = writesTo(pat, from);
    assert.deepEqual(
      writes.map((q) => q.status),
      [429, 201],
    );
    const waited = writes[1].at - writes[0].at;
    assert.ok(waited >= 1900, `sent again ${waited} ms after the 429 (Retry-After: 2 s)`);
    assert.equal((await noticesTo(w, tenant, number, pat))[0].attempts, 2);
  });

  it('a notice kept for an admin the chat service does not know yet is delivered when they write', async () => {
    const nia = await admin({ appInstalled: false });
    const { number } = await requestFunds(w, ann, { Activity: 'Kept webinar' });
    await waitUntil('the notice kept for Nia', async () => {
      const mine = await noticesTo(w, tenant, number, nia);
      return mine.length === 1 && mine[0].state === 'awaitingInstall';
    });
    await sleep(1500);
    const [kept] = await noticesTo(w, tenant, number, nia);
    assert.equal(kept.state, 'awaitingInstall', 'kept, not retried');
    assert.equal(kept.attempts, 1);

    nia.appInstalled = true;
    const since = w.connector.seq;
    await w.teams.send(nia, nia.personal, 'help');
    await waitUntil('the card in Nia’s chat', () => cardsIn(nia, since, NEW_REQUEST).length === 1);
    await waitUntil('delivered', async () =>
      (await noticesTo(w, tenant, number, nia)).every((n) => n.state === 'delivered'),
    );
  });

  it('a kept notice is not delivered to someone who lost the right to see the request meanwhile', async () => {
    const olaf = await admin({ appInstalled: false });
    const { number } = await requestFunds(w, ann, { Activity: 'Revoked meanwhile' });
    await waitUntil('the notice kept for Olaf', async () =>
      (await noticesTo(w, tenant, number, olaf)).every((n) => n.state === 'awaitingInstall'),
    );
    await w.teams.send(
      ada,
      w.teams.groupChat(tenant, [ada, olaf]),
      `revoke <at>${olaf.name}</at> incentives admin`,
    );

    olaf.appInstalled = true;
    const since = w.connector.seq;
    await w.teams.send(olaf, olaf.personal, 'help');
    await waitUntil('skipped', async () =>
      (await noticesTo(w, tenant, number, olaf)).every((n) => n.state === 'skipped'),
    );
    await w.app.notifications.idle();
    assert.deepEqual(cardsIn(olaf, since, 'Revoked meanwhile'), [], 'nothing of the request sent');
    const [skipped] = await noticesTo(w, tenant, number, olaf);
    assert.equal(skipped.deliveredAt, undefined);
  });

  it('a requester whose role was revoked is not told of the decision on their request', async () => {
    const rob = w.teams.user(tenant, 'Rob Requester');
    const robsGroup = w.teams.groupChat(tenant, [ada, rob]);
    await grant(w, ada, robsGroup, rob, 'incentives user');
    await w.teams.send(rob, rob.personal, 'help');
    const { number } = await requestFunds(w, rob, { Activity: 'Rob’s roadshow' });
    await w.teams.send(ada, robsGroup, `revoke <at>${rob.name}</at> incentives user`);
    const since = w.connector.seq;
    const declined = await pressOnRequest(w, pat, pat.personal, number, 'Decline request', {
      Reason: 'Not this quarter',
    });
    assert.match(declined.text, /Declined/);
    await waitUntil('the decision’s notice skipped', async () => {
      const mine = await noticesTo(w, tenant, number, rob);
      return mine.length === 1 && mine[0].state === 'skipped';
    });
    await w.app.notifications.idle();
    assert.deepEqual(cardsIn(rob, since, 'Rob’s roadshow'), [], 'nothing sent to Rob');
  });
});
