import assert from 'node:assert/strict';
import type { Recorded } from '../../testkit/connector';
import { teamChannel } from '../support/chats';
import { Chat, TeamsUser, Tenant } from '../support/teams';
import { World, addFund, createClaim, day, grant, seedReady, startWorld } from './world';

const FUND = 'Northwind secret fund';
const CLAIM_TITLE = 'Confidential partner summit';
const REQUEST_ACTIVITY = 'Private roadshow plan';

/**
 * Issue 28 (product.md, "Shared chats"): `claims`, `review`, `funds` and `fund requests` typed in a
 * group chat or channel post nothing of any claim, fund or request there (every member would read
 * it); the list goes to the asking user's 1:1 chat with the bot.
 */
describe('bot: lists typed in a group chat or channel go to the 1:1 chat (issue 28)', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let olga: TeamsUser;
  let rita: TeamsUser;
  let bob: TeamsUser;
  let group: Chat;
  let channel: Chat;
  let requestNumber: string;

  /** Every text and card the bot put into `chat` after `since`, as one string. */
  const postedIn = (chat: Chat, since: number): string =>
    JSON.stringify(w.connector.since(since, chat.id).map((r: Recorded) => r.activity));
  const privateData = [FUND, CLAIM_TITLE, REQUEST_ACTIVITY, '1,250.00', '100,000.00', '2,000.00'];

  /** `command` typed by `user` in a group chat and a channel: a note there, `shown` in the 1:1 chat. */
  async function assertAnsweredInOwnChat(
    user: TeamsUser,
    command: string,
    shown: string,
    what: string,
  ): Promise<void> {
    for (const chat of [group, channel]) {
      const since = w.connector.seq;
      const r = await w.teams.send(user, chat, command);
      assert.equal(r.status, 200);
      const there = postedIn(chat, since);
      assert.ok(there.includes(`I sent ${what} to our 1:1 chat`), there.slice(0, 300));
      for (const secret of privateData) {
        assert.ok(!there.includes(secret), `"${secret}" was posted in the ${chat.type}`);
      }
      assert.ok(postedIn(user.personal, since).includes(shown), `${shown} in the 1:1 chat`);
    }
  }

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    rita = w.teams.user(tenant, 'Rita Reviewer');
    bob = w.teams.user(tenant, 'Bob Bystander', { appInstalled: false });
    group = w.teams.groupChat(tenant, [admin, olga, rita, bob]);
    channel = teamChannel(w.connector, tenant, [admin, olga, rita, bob]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, rita, 'reviewer');
    await grant(w, admin, group, bob, 'incentives user');
    await addFund(w, admin, { Name: FUND });
    const { number } = await createClaim(w, olga, { Title: CLAIM_TITLE });
    await seedReady(w, olga, number);
    await w.teams.invoke(olga, olga.personal, 'submit', { claim: number });
    const form = await w.teams.send(olga, olga.personal, 'new fund request');
    const requested = await w.teams.click(olga, olga.personal, form, 'Send request', {
      Activity: REQUEST_ACTIVITY,
      'Activity type': 'Webinar',
      'Planned start': day(10),
      'Planned end': day(12),
      'Planned amount': '2,000.00',
      Fund: `${FUND} (USD)`,
    });
    requestNumber = /REQ-\d{4}/.exec(requested.text)?.[0] ?? '';
    assert.ok(requestNumber, requested.text);
    await w.teams.send(rita, rita.personal, 'help');
  });
  after(() => w?.stop());

  const cases: [() => TeamsUser, string, string, string][] = [
    [() => olga, 'claims', CLAIM_TITLE, 'your claims'],
    [() => rita, 'review', CLAIM_TITLE, 'the claims waiting for review'],
    [() => admin, 'funds', FUND, 'the funds'],
    [() => olga, 'fund requests', REQUEST_ACTIVITY, 'your fund requests'],
  ];
  for (const [who, command, shown, what] of cases) {
    it(`\`${command}\` in a group chat and a channel: nothing of it there, the list in the 1:1 chat`, () =>
      assertAnsweredInOwnChat(who(), command, shown, what));
  }

  it('`fund request REQ-x` (or `REQ-x`) in a group chat or channel: the request card goes to the 1:1 chat', async () => {
    for (const command of [`fund request ${requestNumber}`, requestNumber]) {
      await assertAnsweredInOwnChat(olga, command, REQUEST_ACTIVITY, 'the fund request');
      await assertAnsweredInOwnChat(admin, command, REQUEST_ACTIVITY, 'the fund request');
    }
    // Someone who may not see it is told so where they asked, and nothing of it is posted anywhere.
    const since = w.connector.seq;
    const refused = await w.teams.send(rita, group, `fund request ${requestNumber}`);
    assert.match(refused.text, new RegExp(`Fund request ${requestNumber} was not found`));
    for (const secret of privateData) assert.ok(!postedIn(group, since).includes(secret), secret);
    assert.equal(postedIn(rita.personal, since), '[]');
  });

  it('in the 1:1 chat the list is the answer itself, as before', async () => {
    const r = await w.teams.send(olga, olga.personal, 'claims');
    assert.ok(r.text.includes(CLAIM_TITLE));
  });

  it('a member whose 1:1 chat cannot be reached is told so, and the chat sees nothing either', async () => {
    const since = w.connector.seq;
    const r = await w.teams.send(bob, group, 'claims');
    assert.match(r.text, /I could not reach your 1:1 chat with me/);
    for (const secret of privateData) assert.ok(!postedIn(group, since).includes(secret), secret);
  });
});
