import assert from 'node:assert/strict';
import { TeamsUser, Tenant, cardText } from '../support/teams';
import { World, grant, startWorld } from './world';

/** The card's top-level buttons: title, verb and whether they sit in the row or the overflow menu. */
const buttons = (card: Record<string, unknown> | undefined) =>
  ((card?.actions ?? []) as { title: string; verb: string; mode?: string }[]).map(
    (a) => `${a.title} (${a.verb}, ${a.mode ?? 'primary'})`,
  );

describe('bot: help and the welcome for the viewer’s roles, with buttons (issue 29)', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let user: TeamsUser;
  let rita: TeamsUser;
  let nobody: TeamsUser;
  let patti: TeamsUser;

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    user = w.teams.user(tenant, 'Ivo User');
    rita = w.teams.user(tenant, 'Rita Reviewer');
    nobody = w.teams.user(tenant, 'Nina Nobody');
    patti = w.teams.user(tenant, 'Patti Admin');
    const chat = w.teams.groupChat(tenant, [admin, user, rita, patti]);
    await grant(w, admin, chat, user, 'incentives user');
    await grant(w, admin, chat, rita, 'reviewer');
    await grant(w, admin, chat, patti, 'incentives admin');
  });
  after(() => w?.stop());

  it('an incentives user: their commands, with Claims and New claim in the row', async () => {
    const r = await w.teams.send(user, user.personal, 'help');
    const text = cardText(r.card);
    assert.match(text, /^new claim: /m);
    assert.doesNotMatch(text, /^review: |^funds: |^grant @Name/m);
    assert.deepEqual(buttons(r.card), [
      'Claims (claimsPage, primary)',
      'New claim (newClaimForm, primary)',
      'New fund request (newFundRequestForm, secondary)',
    ]);
    const form = await w.teams.click(user, user.personal, r, 'New claim');
    assert.match(cardText(form.card), /^New claim$/m);
  });

  it('a reviewer: review with its button, no new claim', async () => {
    const r = await w.teams.send(rita, rita.personal, 'help');
    assert.match(cardText(r.card), /^review: /m);
    assert.doesNotMatch(cardText(r.card), /^new claim: /m);
    assert.deepEqual(buttons(r.card), [
      'Claims (claimsPage, primary)',
      'Review (reviewPage, primary)',
    ]);
  });

  it('a person without a role is told whom to ask, by name, and not shown every command', async () => {
    const r = await w.teams.send(nobody, nobody.personal, 'help');
    const text = cardText(r.card);
    assert.match(text, /You have no role in Co-op Claims yet\. Ask Patti Admin to grant you one/);
    assert.doesNotMatch(text, /^new claim: |^review: |^funds: |^grant @Name/m);
    const dutch = await w.teams.send(nobody, nobody.personal, 'help', { locale: 'nl-NL' });
    assert.match(cardText(dutch.card), /Vraag Patti Admin om je er een te geven/);
  });

  it('a global admin sees the admins’ commands (no review: an admin reviews only when granted it)', async () => {
    const r = await w.teams.send(admin, admin.personal, 'help');
    assert.doesNotMatch(cardText(r.card), /^review: /m);
    for (const command of ['new claim', 'funds', 'grant @Name role / revoke @Name role']) {
      assert.match(cardText(r.card), new RegExp(`^${command}: `, 'm'));
    }
  });
});
