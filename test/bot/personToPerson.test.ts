import assert from 'node:assert/strict';
import { personToPersonChat } from '../support/chats';
import { TeamsUser, Tenant, actions, cardText } from '../support/teams';
import { World, addFund, createClaim, grant, seedReady, startWorld } from './world';

/**
 * Issue 28, hole 3: Olga shares a claim card (message extension) into her chat with Ian. Ian's
 * refresh and clicks there are card actions from a `personal` chat that is not his chat with the
 * bot: they never get his private view with signed links, and never replace his stored 1:1 chat.
 */
describe('bot: a person-to-person chat is not the user’s own chat with the bot (issue 28)', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let olga: TeamsUser;
  let ian: TeamsUser;
  let newcomer: TeamsUser;
  let number: string;
  let documentId: string;

  const storedChat = async (u: TeamsUser) =>
    (await w.app.services.conversations.get(tenant.id, u.aadObjectId))?.conversationId;
  const signedLinks = (json: unknown): boolean => JSON.stringify(json ?? null).includes('sig=');

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    ian = w.teams.user(tenant, 'Ian Incentives');
    newcomer = w.teams.user(tenant, 'Nick Newcomer');
    const group = w.teams.groupChat(tenant, [admin, olga, ian, newcomer]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, ian, 'incentives admin');
    await grant(w, admin, group, newcomer, 'incentives admin');
    await addFund(w, admin);
    ({ number } = await createClaim(w, olga, { Title: 'Shared with Ian' }));
    documentId = (await seedReady(w, olga, number)).documents[0].id;
    const own = await w.teams.send(ian, ian.personal, `claim ${number}`);
    assert.ok(signedLinks(own.card), 'in his own chat with the bot Ian gets signed links');
    assert.equal(await storedChat(ian), ian.personal.id);
  });
  after(() => w?.stop());

  it('his refresh there shows his view without any link, and his stored 1:1 chat stays his', async () => {
    const chat = personToPersonChat(tenant, olga, ian);
    const since = w.connector.seq;
    const r = await w.teams.invoke(ian, chat, 'refreshClaim', { claim: number }, 'shared-card-1');
    assert.equal(r.invokeStatus, 200);
    assert.match(cardText(r.invokeCard), new RegExp(number));
    assert.ok(!signedLinks(r.invokeCard), 'no signed link in a chat Olga reads');
    assert.ok(!signedLinks(w.connector.since(since)), 'none sent anywhere either');
    assert.equal(await storedChat(ian), ian.personal.id, 'his 1:1 chat is still his');

    // Open there sends the link to his own chat with the bot, and only there.
    const opened = await w.teams.click(ian, chat, r, 'Open', {}, documentId);
    assert.equal(opened.invokeStatus, 200);
    assert.ok(!signedLinks(opened.invokeCard));
    const sent = w.connector.since(since);
    assert.ok(sent.length > 0 && sent.every((x) => x.conversationId === ian.personal.id));
    assert.ok(signedLinks(sent), 'the link went to his own chat');
    assert.equal(await storedChat(ian), ian.personal.id);
  });

  it('someone who never wrote to the bot gets no private view there, and nothing is stored for them', async () => {
    const chat = personToPersonChat(tenant, olga, newcomer);
    const r = await w.teams.invoke(newcomer, chat, 'refreshClaim', { claim: number }, 'card-2');
    assert.equal(r.invokeStatus, 200);
    assert.ok(!signedLinks(r.invokeCard));
    assert.equal(await storedChat(newcomer), undefined);
    const open = actions(r.invokeCard ?? {}).find((a) => a.action.title === 'Open');
    assert.equal(open?.action.type, 'Action.Execute', 'Open asks the bot, no link');
  });

  it('a card action in his own chat with the bot still gets the signed links', async () => {
    const r = await w.teams.invoke(ian, ian.personal, 'refreshClaim', { claim: number });
    assert.ok(signedLinks(r.invokeCard));
  });
});
