import assert from 'node:assert/strict';
import type { Notification } from '../../src/domain/notification';
import type { Recorded } from '../../testkit/connector';
import { World, addFund, day, grant, startWorld } from '../bot/world';
import { recordedCard } from '../bot/fileKit';
import { Chat, TeamsUser, Tenant, cardText } from '../support/teams';
import {
  seedClaim,
  seedRequest,
  sleep,
  storePersonalChat,
  uploadRequestCards,
  waitUntil,
} from './helpers';

/**
 * Issue 29: a notification to a person the chat service does not know yet — Teams' 403 "not
 * installed", a chat that is gone (404), the Agents Playground's 500 `UserNotFound` for a persona
 * not at its keyboard — is kept for them ("waiting"), not retried, and delivered when they next
 * write to the bot. No delivery code reaches the history people read.
 */
describe('notify: people the chat service does not know yet', function () {
  this.timeout(60_000);
  let w: World;
  let tenant: Tenant;
  let ada: TeamsUser;
  let ann: TeamsUser;
  let group: Chat;
  let people = 0;

  const creates = (from: number) =>
    w.connector.requests
      .slice(from)
      .filter((q) => q.method === 'POST' && /\/v3\/conversations\/?$/.test(q.path));
  const outboxOf = async (number: string, u: TeamsUser): Promise<Notification[]> =>
    ((await w.app.services.claims.get(tenant.id, number))?.outbox ?? []).filter(
      (n) => n.to.id === u.aadObjectId,
    );
  const waitingFor = (number: string, u: TeamsUser) =>
    waitUntil(`a notification waiting for ${u.name}`, async () => {
      const mine = await outboxOf(number, u);
      return mine.length > 0 && mine.every((n) => n.state === 'awaitingInstall') && mine;
    });

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    ada = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    ann = w.teams.user(tenant, 'Ann Owner');
    group = w.teams.groupChat(tenant, [ada, ann]);
    await grant(w, ada, group, ann, 'incentives user');
  });
  afterEach(() => w.connector.clearFaults());
  after(async () => {
    await w?.stop();
  });

  it("the Playground's 500 UserNotFound: kept once, not retried, delivered when the person writes", async () => {
    const carl = w.teams.user(tenant, `Carl Colleague ${++people}`);
    w.connector.inject({ status: 500, code: 'UserNotFound', ops: ['create'], count: 1000 });
    const { number } = await seedClaim(w.app.services.claims, ann, 'Playground persona');
    const from = w.connector.requests.length;
    await seedRequest(w.app.services.claims, w.teams, ann, number, [carl]);
    w.app.notifications.kick(tenant.id, number);
    const [waiting] = await waitingFor(number, carl);
    assert.equal(waiting.attempts, 1, 'one attempt, no retries');
    await sleep(1500);
    await w.app.notifications.idle();
    assert.equal((await outboxOf(number, carl))[0].attempts, 1, 'still one attempt later');
    // botbuilder itself may repeat a 5xx create a few times; the dispatcher never does.
    assert.ok(creates(from).length <= 4, `${creates(from).length} createConversation calls`);

    const claim = await w.app.services.claims.get(tenant.id, number);
    const event = claim?.history.at(-1);
    assert.equal(event?.kind, 'notificationWaiting');
    assert.equal(event?.item, carl.name);
    const history = await w.teams.send(ann, ann.personal, `history ${number}`);
    assert.match(
      history.text,
      /will deliver the notification when this person next opens the chat with the bot/,
    );
    assert.doesNotMatch(history.text, /http-|500|UserNotFound/);

    // Carl opens his chat with the bot (the Playground restarted with him at the keyboard).
    w.connector.clearFaults();
    await w.teams.send(carl, carl.personal, 'help');
    await waitUntil('the card in Carl’s chat', () =>
      uploadRequestCards(w.connector, carl.personal.id).length === 1 ? true : undefined,
    );
    await waitUntil('delivered', async () =>
      (await outboxOf(number, carl)).every((n) => n.state === 'delivered'),
    );
  });

  it('a stored chat that is gone (404): its reference is dropped, and the next message delivers', async () => {
    const dora = w.teams.user(tenant, `Dora Colleague ${++people}`);
    await storePersonalChat(w.app.services.conversations, w.teams, dora);
    w.connector.inject({
      status: 404,
      code: 'ConversationNotFound',
      ops: ['send', 'reply'],
      conversationId: dora.personal.id,
      count: 1000,
    });
    const { number } = await seedClaim(w.app.services.claims, ann, 'Chat gone');
    await seedRequest(w.app.services.claims, w.teams, ann, number, [dora]);
    w.app.notifications.kick(tenant.id, number);
    await waitingFor(number, dora);
    assert.equal(await w.app.services.conversations.get(tenant.id, dora.aadObjectId), undefined);

    w.connector.clearFaults();
    // The same chat as before: it is new to the bot again, so what waits is delivered.
    await w.teams.send(dora, dora.personal, 'help');
    await waitUntil('the card in Dora’s chat', () =>
      uploadRequestCards(w.connector, dora.personal.id).length === 1 ? true : undefined,
    );
  });

  it("Teams' 403 (app not installed) on a fund request notice: kept, delivered once the admin installs", async () => {
    const pat = w.teams.user(tenant, 'Pat Admin', { appInstalled: false });
    await grant(w, ada, w.teams.groupChat(tenant, [ada, pat]), pat, 'incentives admin');
    await addFund(w, ada, { Name: 'FY27 Co-op', 'Allocated amount': '10,000.00' });
    const form = await w.teams.send(ann, ann.personal, 'new fund request');
    const sent = await w.teams.click(ann, ann.personal, form, 'Send request', {
      Activity: 'Autumn webinar',
      'Activity type': 'Webinar',
      'Planned start': day(10),
      'Planned end': day(12),
      'Planned amount': '2,000.00',
      Fund: 'FY27 Co-op (USD)',
    });
    const number = /REQ-\d{4}/.exec(cardText(sent.card))?.[0];
    assert.ok(number, sent.text);
    const noticesToPat = async () =>
      ((await w.app.services.fundRequests.get(tenant.id, number))?.outbox ?? []).filter(
        (n) => n.to.id === pat.aadObjectId,
      );
    await waitUntil('the notice kept for Pat', async () => {
      const mine = await noticesToPat();
      return mine.length === 1 && mine[0].state === 'awaitingInstall';
    });

    pat.appInstalled = true;
    const since = w.connector.seq;
    // Pat installs the app: Teams tells the bot with an installationUpdate in his 1:1 chat.
    const install = w.teams.envelope(pat, pat.personal, 'installationUpdate');
    await w.teams.post({ ...install, action: 'add' });
    const told = await w.connector.waitFor(
      (r: Recorded) =>
        r.seq > since &&
        r.conversationId === pat.personal.id &&
        cardText(recordedCard(r)).includes('asks for pre-approval of $2,000.00'),
    );
    assert.ok(told, 'Pat got the request once he installed the app');
    await waitUntil('delivered', async () =>
      (await noticesToPat()).every((n) => n.state === 'delivered'),
    );
  });
});
