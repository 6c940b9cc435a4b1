import assert from 'node:assert/strict';
import { RunningApp, startApp } from '../../src/app';
import { Chat, TeamsClient, TeamsUser, Tenant, cardText, factValue } from '../support/teams';
import { World, createClaim, seedReady, startWorld } from '../bot/world';

const ROUNDS = 4;

/**
 * Read-your-writes across instances (issue 23): two app instances on one database, each turn
 * sent to a named one, a write on one and the read that follows it on the other, at once (no pause
 * between them): whatever an instance kept in memory must not answer with the state before.
 */
describe('scale: what one instance writes, the other shows at once (issue 23)', function () {
  this.timeout(120_000);
  let w: World;
  let second: RunningApp;
  /** [instance A, instance B]. */
  let on: TeamsClient[];
  let tenant: Tenant;
  let admin: TeamsUser;
  let olga: TeamsUser;
  let group: Chat;

  const say = (i: number, user: TeamsUser, chat: Chat, text: string) =>
    on[i % 2].post(w.teams.message(user, chat, text));

  before(async () => {
    w = await startWorld({ storage: 'emulators', env: { SCALE_OUT: 'true' } });
    second = await startApp(w.config);
    on = [w.teams, new TeamsClient(`${second.url}/api/messages`, w.connector)];
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    group = w.teams.groupChat(tenant, [admin, olga]);
  });
  after(async () => {
    await second?.stop();
    await w?.stop();
  });

  it('a fund added on one instance is listed by `funds` on the other right after', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const name = `Fund of round ${round}`;
      const a = round % 2;
      const form = await say(a, admin, admin.personal, 'funds');
      const added = await on[a].click(admin, admin.personal, form, 'Add fund', {
        Name: name,
        'Allocated amount': '1,000.00',
        Currency: 'USD',
        'Period start': '2026-01-01',
        'Period end': '2026-12-31',
      });
      assert.equal(added.invokeStatus, 200);
      const listed = await say(a + 1, admin, admin.personal, 'funds');
      assert.match(cardText(listed.card), new RegExp(name), `round ${round}`);
    }
  });

  it('grant on one instance, the user acts on the other; revoke, and the other refuses right after', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const a = round % 2;
      const granted = await say(a, admin, group, `grant <at>${olga.name}</at> incentives user`);
      assert.match(granted.text, /is now Incentives user/, `round ${round}: ${granted.text}`);
      const form = await say(a + 1, olga, olga.personal, 'new claim');
      assert.match(cardText(form.card), /Create claim/, `round ${round}: the grant counts`);
      const revoked = await say(a, admin, group, `revoke <at>${olga.name}</at> incentives user`);
      assert.match(revoked.text, /is no longer Incentives user/, `round ${round}`);
      const refused = await say(a + 1, olga, olga.personal, 'new claim');
      assert.match(refused.text, /You have no role in Co-op Claims yet/, `round ${round}`);
    }
    const again = await say(1, admin, group, `grant <at>${olga.name}</at> incentives user`);
    assert.match(again.text, /is now Incentives user/, 'a grant right after a revoke elsewhere');
  });

  it('a claim changed on one instance shows changed on the other: its card, the overview and the fund sums', async () => {
    const [fund] = await w.app.services.funds.list(tenant.id);
    assert.ok(fund);
    const { number } = await createClaim(w, olga, { Amount: '100.00' });
    for (let round = 0; round < ROUNDS; round++) {
      const a = round % 2;
      const title = `Webinar, take ${round}`;
      const detail = await say(a, olga, olga.personal, `claim ${number}`);
      const saved = await on[a].click(olga, olga.personal, detail, 'Edit information', {
        Title: title,
      });
      assert.match(saved.text, /^Saved\.$/m, saved.text);
      const card = await say(a + 1, olga, olga.personal, `claim ${number}`);
      assert.match(cardText(card.card), new RegExp(`^${title}$`, 'm'), `round ${round}: card`);
      const overview = await say(a + 1, olga, olga.personal, 'claims');
      assert.match(cardText(overview.card), new RegExp(title), `round ${round}: overview`);
    }
    await seedReady(w, olga, number);
    const submitted = await on[0].invoke(olga, olga.personal, 'submit', { claim: number });
    assert.match(submitted.text, /Submitted\./);
    const overview = await say(1, olga, olga.personal, 'claims');
    assert.match(cardText(overview.card), new RegExp(`${number}[\\s\\S]*Submitted`));
    const funds = await say(1, admin, admin.personal, 'funds');
    assert.match(cardText(funds.card), /\$100\.00/, 'the pending amount, on the other instance');
    assert.equal(factValue(submitted.card, 'Status'), 'Submitted');
  });
});
