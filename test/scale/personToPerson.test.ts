import assert from 'node:assert/strict';
import { RunningApp, startApp } from '../../src/app';
import { Balancer, startBalancer } from '../../testkit/balancer';
import { personToPersonChat } from '../support/chats';
import { TeamsClient, TeamsUser, Tenant } from '../support/teams';
import { World, addFund, createClaim, grant, seedReady, startWorld } from '../bot/world';

/**
 * Issue 28, hole 3 under two instances behind a round-robin balancer: whichever instance answers a
 * card action from a person-to-person chat, and whatever it has seen of the user before, the chat is
 * never taken for the user's own chat with the bot.
 */
describe('scale: a person-to-person chat on either instance (issue 28)', function () {
  this.timeout(120_000);
  let first: World;
  let w: World;
  let second: RunningApp;
  let balancer: Balancer;
  let tenant: Tenant;
  let olga: TeamsUser;
  let ian: TeamsUser;
  let number: string;

  const storedChat = async () =>
    (await w.app.services.conversations.get(tenant.id, ian.aadObjectId))?.conversationId;
  const signed = (json: unknown): boolean => JSON.stringify(json ?? null).includes('sig=');

  before(async () => {
    first = await startWorld({ storage: 'emulators', env: { SCALE_OUT: 'true' } });
    second = await startApp(first.config);
    balancer = await startBalancer({ upstreams: [first.app.url, second.url] });
    w = { ...first, teams: new TeamsClient(`${balancer.url}/api/messages`, first.connector) };
    tenant = w.teams.tenant('contoso');
    const admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: first.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    ian = w.teams.user(tenant, 'Ian Incentives');
    const group = w.teams.groupChat(tenant, [admin, olga, ian]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, ian, 'incentives admin');
    await addFund(w, admin);
    ({ number } = await createClaim(w, olga));
    await seedReady(w, olga, number);
  });
  after(async () => {
    await balancer?.stop();
    await second?.stop();
    await first?.stop();
  });

  it('card actions in his own chat and in a chat with Olga, alternating instances: links only in his own', async () => {
    const chat = personToPersonChat(tenant, olga, ian);
    const before = balancer.counts();
    for (let i = 0; i < 4; i++) {
      const own = await w.teams.invoke(ian, ian.personal, 'refreshClaim', { claim: number });
      assert.ok(signed(own.invokeCard), `round ${i}: links in his own chat`);
      const shared = await w.teams.invoke(ian, chat, 'refreshClaim', { claim: number }, `c-${i}`);
      assert.equal(shared.invokeStatus, 200);
      assert.ok(!signed(shared.invokeCard), `round ${i}: no link in the chat with Olga`);
      assert.equal(await storedChat(), ian.personal.id, `round ${i}: his 1:1 chat is kept`);
    }
    const after = balancer.counts();
    assert.ok(
      after.every((n, i) => n - before[i] >= 3),
      `both instances answered: ${JSON.stringify({ before, after })}`,
    );
  });
});
