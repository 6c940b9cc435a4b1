import assert from 'node:assert/strict';
import { Chat, TeamsUser, Tenant, buttonTitles, cardText } from '../support/teams';
import { World, startWorld } from './world';

describe('bot: help, welcome and unknown commands', () => {
  let w: World;
  let tenant: Tenant;
  let ann: TeamsUser;
  let ben: TeamsUser;
  let group: Chat;

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    ann = w.teams.user(tenant, 'Ann Jansen');
    ben = w.teams.user(tenant, 'Ben Smit');
    group = w.teams.groupChat(tenant, [ann, ben]);
  });
  after(() => w?.stop());

  it('answers help in the 1:1 chat with what it does and the commands of a person without a role', async () => {
    const r = await w.teams.send(ann, ann.personal, 'help');
    assert.equal(r.status, 200);
    assert.equal(r.cards.length, 1, 'one card');
    assert.deepEqual(
      r.sent.map((s) => s.conversationId),
      [ann.personal.id],
    );
    for (const command of ['help', 'claims']) {
      assert.ok(cardText(r.card).includes(`${command}:`), `help lists "${command}"`);
    }
    // Ann has no role: not every command, but whom to ask for one (issue 29).
    assert.doesNotMatch(r.text, /new claim:|funds:|grant @Name/);
    assert.match(r.text, /You have no role in Co-op Claims yet\. Ask/);
    assert.match(r.text, /Claim back co-op marketing funds/);
  });

  it('takes commands in any case', async () => {
    for (const text of ['HELP', 'Help', '  hElP  ']) {
      const r = await w.teams.send(ann, ann.personal, text);
      assert.match(r.text, /^Commands$/m, text);
    }
  });

  it('answers an @mention in a group chat, in that group chat', async () => {
    const r = await w.teams.send(ben, group, '<at>Co-op Claims</at> Help');
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.sent.map((s) => s.conversationId),
      [group.id],
    );
    assert.match(r.text, /^Commands$/m);
  });

  it('answers in Dutch for nl-NL', async () => {
    const r = await w.teams.send(ann, ann.personal, 'help', { locale: 'nl-NL' });
    assert.match(r.text, /^Opdrachten$/m);
    assert.match(r.text, /Vraag co-op-marketingfondsen terug/);
    assert.doesNotMatch(r.text, /^Commands$/m);
  });

  it('welcomes with the help card when the bot is added to a 1:1 or group chat', async () => {
    for (const chat of [ann.personal, group]) {
      const r = await w.teams.addBot(ann, chat);
      assert.equal(r.status, 200);
      assert.equal(r.cards.length, 1);
      assert.match(r.text, /Welcome to Co-op Claims!/);
      assert.match(r.text, /^Commands$/m);
    }
  });

  it('says nothing when someone else joins a chat', async () => {
    const r = await w.teams.post({
      ...w.teams.envelope(ann, group, 'conversationUpdate'),
      membersAdded: [{ id: ben.id }],
    });
    assert.equal(r.status, 200);
    assert.equal(r.sent.length, 0);
  });

  it('answers an unknown command with a card naming it, not an error', async () => {
    const r = await w.teams.send(ann, ann.personal, 'frobnicate the claims');
    assert.equal(r.status, 200);
    assert.equal(r.cards.length, 1);
    assert.match(r.text, /I don't know "frobnicate the claims"/);
    assert.match(r.text, /help/);
  });

  it('answers an unknown command in Dutch for nl-NL', async () => {
    const r = await w.teams.send(ann, ann.personal, 'frobnicate', { locale: 'nl-NL' });
    assert.match(r.text, /"frobnicate" ken ik niet/);
  });

  it('delivers the answer once when the connector throttles, after Retry-After', async () => {
    w.connector.inject({ status: 429, retryAfter: 1, conversationId: ann.personal.id });
    const from = w.connector.requests.length;
    const r = await w.teams.send(ann, ann.personal, 'help');
    assert.equal(r.status, 200);
    assert.equal(r.cards.length, 1);
    const posts = w.connector.requests.slice(from).filter((q) => q.method === 'POST');
    assert.deepEqual(
      posts.map((q) => q.status),
      [429, 201],
    );
    assert.ok(posts[1].at - posts[0].at >= 900, `retried after ${posts[1].at - posts[0].at} ms`);
  });

  it('answers a card action in the invoke response, without the connector', async () => {
    w.connector.inject({ status: 503, count: 5, conversationId: ann.personal.id });
    try {
      const from = w.connector.requests.length;
      const r = await w.teams.invoke(ann, ann.personal, 'openClaim', { claim: 'CLM-0001' });
      assert.equal(r.invokeStatus, 200);
      assert.match(r.text, /Claim CLM-0001 was not found/);
      assert.equal(w.connector.requests.length, from, 'no connector call');
    } finally {
      w.connector.clearFaults();
    }
  });

  it('explains to a user with no role that there is nothing to show, and shows no claims', async () => {
    const help = await w.teams.send(ann, ann.personal, 'help');
    assert.match(help.text, /You have no role in Co-op Claims yet/);
    const claims = await w.teams.send(ann, ann.personal, 'claims');
    assert.equal(claims.status, 200);
    assert.match(claims.text, /You have no role in Co-op Claims yet, so there is nothing to show/);
    assert.deepEqual(buttonTitles(claims.card ?? {}), []);
    const form = await w.teams.send(ann, ann.personal, 'new claim');
    assert.match(form.text, /You have no role/);
    assert.equal(buttonTitles(form.card ?? {}).includes('Create claim'), false);
  });
});
