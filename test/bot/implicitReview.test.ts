import assert from 'node:assert/strict';
import { TeamsUser, Tenant, buttonTitles, cardText, factValue } from '../support/teams';
import { ReviewTeam, approveAs, reviewTeam } from './policyKit';
import { assertButtons, storedClaim } from './reviewKit';
import { World, createClaim, essence, seedReady, startWorld } from './world';

describe('bot: a decision starts the review; one approver gives one approval (issue 29)', () => {
  let w: World;
  let team: ReviewTeam;
  let tenant: Tenant;
  let olga: TeamsUser;
  let rita: TeamsUser;
  let rhea: TeamsUser;

  const open = (u: TeamsUser, n: string) => w.teams.send(u, u.personal, `claim ${n}`);
  /** A claim of Olga's for `amount` dollars, submitted: nobody has started its review. */
  async function submitted(amount = '500.00'): Promise<string> {
    const { number } = await createClaim(w, olga, { Amount: amount });
    await seedReady(w, olga, number);
    const r = await w.teams.invoke(olga, olga.personal, 'submit', { claim: number });
    assert.match(r.text, /Submitted\./);
    return number;
  }
  const kinds = async (n: string): Promise<string[]> =>
    (await storedClaim(w, tenant.id, n)).history.slice(-2).map((e) => `${e.kind} ${e.by.name}`);

  before(async () => {
    w = await startWorld();
    team = await reviewTeam(w, ['Rita Reviewer', 'Rhea Reviewer']);
    ({ tenant, olga } = team);
    [rita, rhea] = team.reviewers;
    await w.app.services.policy.change(tenant.id, (current) => ({
      record: { ...current, policy: { ...current.policy, secondApprovalAbove: { USD: 1_000_00 } } },
      changes: [],
    }));
  });
  after(() => w?.stop());

  it('Approve on a Submitted claim, without Start review: Approved, history says who started the review', async () => {
    const n = await submitted();
    const card = await open(rita, n);
    assert.equal(factValue(card.card, 'Status'), 'Submitted');
    assert.match(cardText(card.card), /^Waiting for your review, since today\.$/m);
    const approved = await w.teams.click(rita, rita.personal, card, 'Approve', {
      'Approved amount': '500.00',
    });
    assert.equal(factValue(approved.card, 'Status'), 'Approved');
    assert.deepEqual(await kinds(n), ['reviewStarted Rita Reviewer', 'approved Rita Reviewer']);
  });

  it('Request information and Reject on a Submitted claim work the same way', async () => {
    const asked = await submitted();
    const r = await w.teams.click(
      rita,
      rita.personal,
      await open(rita, asked),
      'Request information',
      {
        Note: 'Which venue?',
      },
    );
    assert.equal(factValue(r.card, 'Status'), 'Action required');
    assert.deepEqual(await kinds(asked), [
      'reviewStarted Rita Reviewer',
      'informationRequested Rita Reviewer',
    ]);
    const rejected = await submitted();
    const no = await w.teams.click(rhea, rhea.personal, await open(rhea, rejected), 'Reject', {
      Reason: 'Not co-op work',
    });
    assert.equal(factValue(no.card, 'Status'), 'Rejected');
    assert.deepEqual(await kinds(rejected), [
      'reviewStarted Rhea Reviewer',
      'rejected Rhea Reviewer',
    ]);
  });

  it('the owner still cannot decide their own Submitted claim (four eyes), and nothing changes', async () => {
    const n = await submitted();
    const before = essence(await storedClaim(w, tenant.id, n));
    const r = await approveAs(w, olga, n, '500.00');
    assert.match(r.text, /You are not allowed to do that\./);
    assert.deepEqual(essence(await storedClaim(w, tenant.id, n)), before);
  });

  it('Start review tells the other reviewers who is on it; they may still decide', async () => {
    const n = await submitted();
    const started = await w.teams.click(rita, rita.personal, await open(rita, n), 'Start review');
    assert.equal(factValue(started.card, 'Status'), 'Under review');
    assert.match(cardText(started.card), /^Waiting for your review, since today\.$/m);
    const other = await open(rhea, n);
    assert.match(
      cardText(other.card),
      /^Rita Reviewer is reviewing this claim; it has waited since today\. You may still decide it\.$/m,
    );
    assertButtons(other, ['Approve', 'Reject'], ['Start review']);
  });

  it('after approval 1 of 2 the first approver sees no Approve and is told it waits for a second reviewer', async () => {
    const n = await submitted('1,500.00');
    const first = await approveAs(w, rita, n, '1,500.00');
    assert.equal(factValue(first.card, 'Status'), 'Under review');
    assert.match(
      factValue(first.card, 'Approval') ?? '',
      /^Approval 1 of 2: Rita Reviewer approved/,
    );
    assert.match(
      cardText(first.card),
      /^You gave approval 1 of 2: it waits for a second reviewer\.$/m,
    );
    assertButtons(first, ['Next claim', 'Reject'], ['Approve']);
    assertButtons(await open(rita, n), ['Next claim'], ['Approve']);
    const forged = await approveAs(w, rita, n, '1,500.00');
    assert.match(forged.text, /another reviewer must give the second/);
    const second = await open(rhea, n);
    assert.ok(buttonTitles(second.card ?? {}).includes('Approve'), 'the second reviewer approves');
    const done = await approveAs(w, rhea, n, '1,500.00');
    assert.equal(factValue(done.card, 'Status'), 'Approved');
  });

  it('the review inbox says how long a disputed claim has waited: since the dispute', async () => {
    const n = await submitted();
    await approveAs(w, rita, n, '400.00');
    const { admin } = team;
    const r = await w.teams.invoke(admin, admin.personal, 'dispute', { claim: n, reason: 'Low' });
    assert.equal(factValue(r.card, 'Status'), 'Disputed');
    const ago = (days: number) => new Date(Date.now() - days * 86_400_000 - 60_000).toISOString();
    await w.app.services.claims.update(tenant.id, n, `age-${n}`, (c) => ({
      ...c,
      submittedAt: ago(9),
      disputedAt: ago(2),
    }));
    const list = await w.teams.invoke(rhea, rhea.personal, 'reviewPage', { status: 'disputed' });
    const lines = cardText(list.card).split('\n');
    const row = lines[lines.indexOf(`${n} `) + 2];
    assert.match(row, /^Disputed · \$500\.00 · Olga Owner · waiting 2 days$/);
    assert.match(cardText((await open(rhea, n)).card), /^Waiting for your review, 2 days\.$/m);
  });
});
