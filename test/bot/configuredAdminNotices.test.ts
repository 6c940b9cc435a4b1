import assert from 'node:assert/strict';
import { notificationCards } from '../notify/helpers';
import { TeamsUser, Tenant, cardText } from '../support/teams';
import { World, addFund, day, grant, seedReady, startWorld } from './world';

/**
 * Issue 32: a global admin configured by BOOTSTRAP_ADMINS, with no role stored for them, is an
 * Incentives admin like a stored one: asked for extensions and told of a fund's end.
 */
describe('bot: configured (bootstrap-only) admins hear of extensions and funds’ ends (issue 32)', function () {
  this.timeout(60_000);
  let w: World;
  let tenant: Tenant;
  let ada: TeamsUser;
  let olga: TeamsUser;

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    ada = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    await grant(w, ada, w.teams.groupChat(tenant, [ada, olga]), olga, 'incentives user');
    await w.teams.send(ada, ada.personal, 'help');
    await addFund(w, ada);
    assert.equal(
      await w.app.services.users.get(tenant.id, ada.aadObjectId),
      undefined,
      'no role stored',
    );
  });
  after(async () => {
    await Promise.race([w?.app.notifications.idle(), new Promise((r) => setTimeout(r, 10_000))]);
    await w?.stop();
  });

  it('an extension asked for reaches the configured admin', async () => {
    const [fund] = await w.app.services.funds.list(tenant.id);
    const made = await w.teams.invoke(olga, olga.personal, 'createClaim', {
      formId: 'late-claim',
      title: 'Forgotten webinar',
      fundId: fund.id,
      activityType: 'webinar',
      activityStart: day(-60),
      activityEnd: day(-50),
      amount: '1,250.00',
    });
    const number = /CLM-\d{4}/.exec(cardText(made.card))?.[0];
    assert.ok(number, made.text);
    await seedReady(w, olga, number);
    const asked = await w.teams.invoke(olga, olga.personal, 'requestExtension', {
      claim: number,
      extensionReason: 'The agency sent its invoice late',
    });
    assert.match(asked.text, /Your request for an extension was sent to the incentives admins\./);
    await w.app.notifications.idle();
    const told = notificationCards(w.connector, ada.personal.id, 'Extension requested');
    assert.equal(told.filter((c) => c.claim === number).length, 1);
  });

  it('a fund’s end is told to the configured admin', async () => {
    await addFund(w, ada, {
      Name: 'Ending soon',
      'Period start': day(-100),
      'Period end': day(20),
    });
    await w.app.notifications.reminders.remind();
    await w.app.notifications.idle();
    const heard = w.connector
      .delivered(ada.personal.id)
      .filter((r) => JSON.stringify(r).includes('Ending soon ends on'));
    assert.equal(heard.length, 1);
  });
});
