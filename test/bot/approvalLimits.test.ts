import assert from 'node:assert/strict';
import { Chat, TeamsUser, Tenant, cardText, factValue } from '../support/teams';
import { ReviewTeam, approveAs, reviewTeam, underReview as underReviewBy } from './policyKit';
import { World, addFund, grant, startWorld } from './world';

describe('bot: approval limits, grant @Name reviewer up to <amount> (issue 31)', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let rita: TeamsUser;
  let ravi: TeamsUser;
  let group: Chat;
  let team: ReviewTeam;

  const limits = async () => (await w.app.services.policy.get(tenant.id)).policy.limits;

  const underReview = (amount: string) => underReviewBy(w, team, ravi, amount);
  const approve = (u: TeamsUser, claim: string, amount: string) => approveAs(w, u, claim, amount);

  before(async () => {
    w = await startWorld();
    team = await reviewTeam(w, ['Ravi Reviewer'], '50,000.00', ['Rita Reviewer']);
    ({ tenant, admin, group } = team);
    [ravi] = team.reviewers;
    [rita] = team.others;
    await addFund(w, admin, { Name: 'Small EMEA', Currency: 'EUR', 'Allocated amount': '100.00' });
  });
  after(async () => {
    await w?.stop();
  });

  it('grants Reviewer with a limit in the main currency (the funds’ largest), shown on the policy card', async () => {
    const r = await grant(w, admin, group, rita, 'reviewer up to 1,000.00');
    assert.match(r.text, /Rita Reviewer is now Reviewer, approving alone up to \$1,000\.00/);
    assert.deepEqual((await limits())[rita.aadObjectId], { USD: 1_000_00 });
    const card = (await w.teams.send(admin, admin.personal, 'policy')).card;
    assert.match(cardText(card), /Rita Reviewer: up to \$1,000\.00/);
    assert.match(
      cardText(card),
      /Ada Admin · Approval limit of Rita Reviewer \(USD\): None → \$1,000\.00/,
    );
  });

  it('an Approve exactly at the limit decides; one above it is a first approval, decided by a reviewer without a limit', async () => {
    const atLimit = await underReview('1,000.00');
    assert.equal(factValue((await approve(rita, atLimit, '1,000.00')).card, 'Status'), 'Approved');

    const above = await underReview('1,000.01');
    const first = await approve(rita, above, '1,000.01');
    assert.equal(factValue(first.card, 'Status'), 'Under review');
    assert.match(factValue(first.card, 'Approval') ?? '', /Approval 1 of 2: Rita Reviewer/);
    const second = await approve(ravi, above, '1,000.01');
    assert.equal(factValue(second.card, 'Status'), 'Approved');
  });

  it('a second approval over the second reviewer’s own limit is refused', async () => {
    await grant(w, admin, group, ravi, 'reviewer up to 500 USD');
    const number = await underReview('1,200.00');
    await approve(ravi, number, '1,200.00');
    const r = await approve(rita, number, '1,200.00');
    assert.match(r.text, /above your approval limit and the claim already has its first approval/);
    assert.equal((await w.app.services.claims.get(tenant.id, number))?.status, 'underReview');
  });

  it('a limit given again changes it; in another currency it adds one; revoking Reviewer removes them', async () => {
    const again = await grant(w, admin, group, rita, 'reviewer up to 2,000 USD');
    assert.match(again.text, /Rita Reviewer now approves alone up to \$2,000\.00/);
    await grant(w, admin, group, rita, 'reviewer up to EUR 50');
    assert.deepEqual((await limits())[rita.aadObjectId], { USD: 2_000_00, EUR: 50_00 });
    const bad = await w.teams.send(admin, group, `grant <at>${rita.name}</at> reviewer up to lots`);
    assert.match(bad.text, /Approval limit is not valid/);
    await w.teams.send(admin, group, `revoke <at>${rita.name}</at> reviewer`);
    assert.equal((await limits())[rita.aadObjectId], undefined);
  });
});
