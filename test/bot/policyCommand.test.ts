import assert from 'node:assert/strict';
import { TeamsUser, Tenant, cardText, factValue } from '../support/teams';
import { recordedText } from './fileKit';
import { World, addFund, grant, startWorld } from './world';

const ADMINS_ONLY = /Only incentives admins can see and change the approval policy\./;

describe('bot: the policy command (issue 31)', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let ivy: TeamsUser;
  let rita: TeamsUser;

  const policy = () => w.app.services.policy.get(tenant.id);

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    ivy = w.teams.user(tenant, 'Ivy Incentives');
    rita = w.teams.user(tenant, 'Rita Reviewer');
    const group = w.teams.groupChat(tenant, [admin, ivy, rita]);
    await grant(w, admin, group, ivy, 'incentives admin');
    await grant(w, admin, group, rita, 'reviewer');
    await addFund(w, admin);
    await addFund(w, admin, { Name: 'EMEA', Currency: 'EUR' });
    for (const u of [ivy, rita]) await w.teams.send(u, u.personal, 'help');
  });
  after(async () => {
    await w?.stop();
  });

  it('shows the rules per fund currency with their defaults', async () => {
    const card = (await w.teams.send(admin, admin.personal, 'policy')).card;
    assert.match(cardText(card), /^Approval policy/);
    assert.equal(factValue(card, 'Second approval above (USD)'), 'None');
    assert.equal(factValue(card, 'Second approval above (EUR)'), 'None');
    assert.equal(factValue(card, 'Review within'), '5 business days');
  });

  it('refuses a reviewer, typed or forged, and changes nothing', async () => {
    assert.match((await w.teams.send(rita, rita.personal, 'policy')).text, ADMINS_ONLY);
    const forged = await w.teams.invoke(rita, rita.personal, 'savePolicy', {
      secondAboveUSD: '1.00',
      reviewWithinDays: '1',
    });
    assert.equal(forged.invokeStatus, 200);
    assert.match(forged.text, ADMINS_ONLY);
    assert.deepEqual((await policy()).changes, []);
  });

  it('Save policy: effective at once, history of the tenant (who, when, old → new), announced to the other admins', async () => {
    const shown = await w.teams.send(admin, admin.personal, 'policy');
    const since = w.connector.seq;
    const saved = await w.teams.click(admin, admin.personal, shown, 'Save policy', {
      'Second approval above (USD)': '1,000.00',
      'Review within (business days)': '3',
    });
    assert.match(saved.text, /Policy saved\. It applies at once/);
    assert.equal(factValue(saved.card, 'Second approval above (USD)'), '$1,000.00');
    assert.equal(factValue(saved.card, 'Second approval above (EUR)'), 'None');
    assert.equal(factValue(saved.card, 'Review within'), '3 business days');
    const text = cardText(saved.card);
    assert.match(text, /Ada Admin · Second approval above \(USD\): None → \$1,000\.00/);
    assert.match(text, /Ada Admin · Review within: 5 business days → 3 business days/);

    const { policy: stored, changes } = await policy();
    assert.deepEqual(stored.secondApprovalAbove, { USD: 1_000_00 });
    assert.equal(stored.reviewWithinDays, 3);
    assert.deepEqual(
      changes.map((c) => [c.by.name, c.rule, c.currency, c.from, c.to]),
      [
        ['Ada Admin', 'secondApprovalAbove', 'USD', undefined, 1_000_00],
        ['Ada Admin', 'reviewWithinDays', undefined, 5, 3],
      ],
    );

    const toIvy = w.connector.since(since, ivy.personal.id).map(recordedText).join('\n');
    assert.match(toIvy, /Ada Admin changed the approval policy/);
    assert.match(toIvy, /Second approval above \(USD\): None → \$1,000\.00/);
    assert.equal(
      w.connector
        .since(since, rita.personal.id)
        .some((r) => /approval policy/.test(recordedText(r))),
      false,
      'reviewers are not told',
    );

    const again = await w.teams.click(admin, admin.personal, saved, 'Save policy');
    assert.match(again.text, /Nothing changed\./);
    assert.equal((await policy()).changes.length, 2);
  });

  it('an invalid number of days is refused with what is wrong, and nothing changes', async () => {
    const shown = await w.teams.send(ivy, ivy.personal, 'policy');
    const r = await w.teams.click(ivy, ivy.personal, shown, 'Save policy', {
      'Second approval above (USD)': 'lots',
      'Review within (business days)': '0',
    });
    assert.match(r.text, /Review within must be a whole number of days from 1 to 60\./);
    assert.match(r.text, /Second approval above must be a number/);
    assert.equal((await policy()).policy.reviewWithinDays, 3);
  });

  it('in Dutch: the card and its rules', async () => {
    const card = (await w.teams.send(ivy, ivy.personal, 'beleid', { locale: 'nl-NL' })).card;
    assert.match(cardText(card), /^Goedkeuringsbeleid/);
    assert.equal(factValue(card, 'Beoordelen binnen'), '3 werkdagen');
  });
});
