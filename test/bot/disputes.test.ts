import assert from 'node:assert/strict';
import { Chat, TeamsUser, Tenant, TurnResult, buttonTitles, factValue } from '../support/teams';
import { World, addFund, createClaim, grant, seedReady, startWorld } from './world';

const APPROVED_1200 = /1,200\.00/;
const HAD_A_HAND =
  /You had a hand in this claim, so another incentives admin must dispute its decision/;

/**
 * Issue 28: a dispute undoes an approval, so its amount is no longer shown (hole 7); and four eyes
 * hold for disputes too: an Incentives admin who had a hand in a claim may not dispute its decision.
 */
describe('bot: disputes undo an approval, and four eyes hold for them (issue 28)', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let olga: TeamsUser;
  let rita: TeamsUser;
  let ian: TeamsUser;
  let gina: TeamsUser;
  let group: Chat;

  const say = (u: TeamsUser, text: string) => w.teams.send(u, u.personal, text);
  const stored = async (number: string) => {
    const claim = await w.app.services.claims.get(tenant.id, number);
    assert.ok(claim);
    return claim;
  };

  /** Olga's claim of $1,250, submitted, taken by Rita and approved at `approved`. */
  async function approvedClaim(title: string, approved: string): Promise<string> {
    const { number } = await createClaim(w, olga, { Title: title });
    await seedReady(w, olga, number);
    const submitted = await w.teams.invoke(olga, olga.personal, 'submit', { claim: number });
    assert.match(submitted.text, /Submitted\./);
    const started = await w.teams.click(
      rita,
      rita.personal,
      await say(rita, `claim ${number}`),
      'Start review',
    );
    const decided = await w.teams.click(rita, rita.personal, started, 'Approve', {
      'Approved amount': approved,
      'Reason for approving less': 'Part of the cost is not eligible.',
    });
    assert.equal(factValue(decided.card, 'Status'), 'Approved');
    return number;
  }

  /** What the owner's card, her overview and the reviewer's card say of the claim. */
  async function views(number: string): Promise<TurnResult[]> {
    return [
      await say(olga, `claim ${number}`),
      await say(olga, 'claims'),
      await say(rita, `claim ${number}`),
      await say(rita, 'claims'),
    ];
  }

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    rita = w.teams.user(tenant, 'Rita Reviewer');
    ian = w.teams.user(tenant, 'Ian Incentives');
    gina = w.teams.user(tenant, 'Gina Incentives');
    group = w.teams.groupChat(tenant, [admin, olga, rita, ian, gina]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, rita, 'reviewer');
    await grant(w, admin, group, ian, 'incentives admin');
    await grant(w, admin, group, gina, 'incentives admin');
    await addFund(w, admin);
  });
  after(() => w?.stop());

  it('after a dispute and Request information, no card or overview says "Approved $1,200", also after resubmit', async () => {
    const number = await approvedClaim('Undone approval', '1,200.00');
    for (const r of await views(number)) assert.match(r.text, APPROVED_1200);

    const disputed = await w.teams.click(
      ian,
      ian.personal,
      await say(ian, `claim ${number}`),
      'Dispute',
      {
        Reason: 'Check the venue invoice again',
      },
    );
    assert.equal(factValue(disputed.card, 'Status'), 'Disputed');
    assert.doesNotMatch(disputed.text, APPROVED_1200);
    const asked = await w.teams.click(
      rita,
      rita.personal,
      await say(rita, `claim ${number}`),
      'Request information',
      {
        Note: 'Please add the venue invoice',
      },
    );
    assert.equal(factValue(asked.card, 'Status'), 'Action required');
    for (const r of await views(number)) assert.doesNotMatch(r.text, APPROVED_1200);

    const resubmitted = await w.teams.invoke(olga, olga.personal, 'submit', { claim: number });
    assert.match(resubmitted.text, /Submitted\./);
    for (const r of await views(number)) assert.doesNotMatch(r.text, APPROVED_1200);
    assert.deepEqual((await stored(number)).approvedAmount?.minor, 120000, 'kept on record');

    const started = await w.teams.click(
      rita,
      rita.personal,
      await say(rita, `claim ${number}`),
      'Start review',
    );
    const again = await w.teams.click(rita, rita.personal, started, 'Approve', {
      'Approved amount': '1,100.00',
      'Reason for approving less': 'Part of the cost is not eligible.',
    });
    assert.equal(factValue(again.card, 'Approved'), '$1,100.00');
  });

  it('an Incentives admin who had a hand in a claim sees no Dispute button, and a forged click changes nothing', async () => {
    const { number } = await createClaim(w, olga, { Title: 'Gina helped' });
    const metric = await w.teams.invoke(gina, gina.personal, 'addMetric', {
      claim: number,
      metricName: 'Attendees',
      metricValue: '80',
    });
    assert.equal(metric.invokeStatus, 200);
    await seedReady(w, olga, number);
    await w.teams.invoke(olga, olga.personal, 'submit', { claim: number });
    const started = await w.teams.click(
      rita,
      rita.personal,
      await say(rita, `claim ${number}`),
      'Start review',
    );
    await w.teams.click(rita, rita.personal, started, 'Approve', {
      'Approved amount': '1,000.00',
      'Reason for approving less': 'Part of the cost is not eligible.',
    });

    const card = await say(gina, `claim ${number}`);
    assert.equal(factValue(card.card, 'Status'), 'Approved');
    assert.ok(!buttonTitles(card.card ?? {}).includes('Dispute'), 'no Dispute button');
    const forged = await w.teams.invoke(gina, gina.personal, 'dispute', {
      claim: number,
      reason: 'my own work',
    });
    assert.equal(forged.invokeStatus, 200);
    assert.match(forged.text, HAD_A_HAND);
    assert.equal((await stored(number)).status, 'approved');

    const byIan = await say(ian, `claim ${number}`);
    assert.ok(buttonTitles(byIan.card ?? {}).includes('Dispute'), 'an admin without a hand may');
  });
});
