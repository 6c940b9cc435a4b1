import assert from 'node:assert/strict';
import { money } from '../../src/domain/money';
import type { Recorded } from '../../testkit/connector';
import { Chat, TeamsUser, Tenant, TurnResult, cardText, factValue } from '../support/teams';
import { recordedText } from './fileKit';
import { ReviewTeam, approveAs, reviewTeam, underReview as underReviewBy } from './policyKit';
import { World, startWorld } from './world';

describe('bot: two approvals above Second approval above (issue 31)', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let rita: TeamsUser;
  let ravi: TeamsUser;
  let rosa: TeamsUser;
  let group: Chat;
  let team: ReviewTeam;

  const stored = async (n: string) => {
    const claim = await w.app.services.claims.get(tenant.id, n);
    assert.ok(claim, `${n} is stored`);
    return claim;
  };
  const invoke = (u: TeamsUser, verb: string, data: Record<string, string>) =>
    w.teams.invoke(u, u.personal, verb, data);
  const approve = (u: TeamsUser, claim: string, amount?: string) => approveAs(w, u, claim, amount);

  const underReview = () => underReviewBy(w, team, rita);

  /** The notification cards sent to `u`'s 1:1 chat after `since`, as text. */
  const sentTo = (u: TeamsUser, since: number): string[] =>
    w.connector
      .since(since, u.personal.id)
      .filter((r: Recorded) => r.op !== 'update')
      .map(recordedText);

  before(async () => {
    w = await startWorld();
    team = await reviewTeam(w, ['Rita Reviewer', 'Ravi Reviewer', 'Rosa Reviewer']);
    ({ tenant, admin, group } = team);
    [rita, ravi, rosa] = team.reviewers;
    await w.app.services.policy.change(tenant.id, (current) => ({
      record: {
        ...current,
        policy: { ...current.policy, secondApprovalAbove: { USD: 1_000_00 } },
      },
      changes: [
        {
          by: { id: admin.aadObjectId, name: admin.name },
          at: '2026-12-01T09:00:00Z',
          rule: 'secondApprovalAbove',
          currency: 'USD',
          to: 1_000_00,
        },
      ],
    }));
  });
  after(async () => {
    await w?.stop();
  });

  it('the first Approve shows "Approval 1 of 2" and tells the other reviewers; the first approver cannot be the second; another reviewer decides', async () => {
    const number = await underReview();
    const since = w.connector.seq;
    const first = await approve(rita, number);
    assert.equal(first.invokeStatus, 200);
    assert.equal(factValue(first.card, 'Status'), 'Under review');
    assert.match(
      factValue(first.card, 'Approval') ?? '',
      /^Approval 1 of 2: Rita Reviewer approved \$1,250\.00$/,
    );
    const afterFirst = await stored(number);
    assert.equal(afterFirst.status, 'underReview');
    assert.equal(afterFirst.approvedAmount, undefined);

    await w.app.notifications.idle();
    for (const u of [ravi, rosa]) {
      assert.ok(
        sentTo(u, since).some((t) =>
          t.includes('Rita Reviewer approved the claim: it needs a second approval'),
        ),
        `${u.name} was told a second approval is needed`,
      );
    }
    assert.equal(
      sentTo(rita, since).some((t) => t.includes('second approval')),
      false,
    );

    const again = await approve(rita, number);
    assert.match(
      again.text,
      /You gave this claim its first approval, so another reviewer must give the second\./,
    );
    assert.equal((await stored(number)).status, 'underReview');

    const funds = await w.app.services.claims.fundLedger(tenant.id);
    const sums = Object.values(funds)[0];
    assert.equal(sums.approved, 0, 'nothing approved on the fund yet');
    assert.equal(sums.pending, 1_250_00, 'the reservation holds through the first approval');

    const second = await approve(ravi, number);
    assert.equal(factValue(second.card, 'Status'), 'Approved');
    assert.equal(factValue(second.card, 'Approval'), undefined);
    const decided = await stored(number);
    assert.equal(decided.status, 'approved');
    assert.deepEqual(decided.approvedAmount, money(1_250_00, 'USD'));
    assert.deepEqual(
      decided.history.slice(-2).map((e) => `${e.kind} ${e.by.name}`),
      ['approvalFirst Rita Reviewer', 'approved Ravi Reviewer'],
    );
    await w.app.services.claims.postLedgerEntries(tenant.id, number);
    const after = Object.values(await w.app.services.claims.fundLedger(tenant.id))[0];
    assert.equal(after.approved, 1_250_00);
    assert.equal(after.pending, 0);
  });

  it('Reject by the second reviewer ends the round: the first approval is discarded and recorded', async () => {
    const number = await underReview();
    await approve(rita, number);
    const rejected = await invoke(rosa, 'reject', { claim: number, reason: 'no proof' });
    assert.equal(factValue(rejected.card, 'Status'), 'Rejected');
    const claim = await stored(number);
    assert.equal(claim.firstApproval, undefined);
    assert.deepEqual(
      claim.history.slice(-2).map((e) => `${e.kind} ${e.by.name} ${e.item ?? ''}`),
      ['approvalDiscarded Rosa Reviewer Rita Reviewer', 'rejected Rosa Reviewer '],
    );
    await w.app.notifications.idle(); // so the answer below is the history card, not a notice
    const history = await w.teams.send(rosa, rosa.personal, `history ${number}`);
    assert.match(
      cardText(history.card),
      /ended the round of two approvals; the first approval was discarded/,
    );
  });

  it('Request information by the first approver ends the round too; an amount at the threshold needs one approval', async () => {
    const number = await underReview();
    await approve(rita, number);
    const asked = await invoke(rita, 'requestInformation', {
      claim: number,
      note: 'Which invoice?',
    });
    assert.equal(factValue(asked.card, 'Status'), 'Action required');
    assert.equal((await stored(number)).firstApproval, undefined);

    const other = await underReview();
    const once = await approve(rita, other, '1,000.00');
    assert.equal(factValue(once.card, 'Status'), 'Approved');
  });

  it('the card everybody in a group chat sees says "Approval 1 of 2" and names no one', async () => {
    const number = await underReview();
    await approve(rita, number);
    const shown: TurnResult = await w.teams.send(rosa, group, `claim ${number}`);
    const everyone = shown.cards.map((c) => factValue(c, 'Approval')).filter(Boolean);
    assert.ok(everyone.includes('Approval 1 of 2'), `cards: ${everyone.join(' | ')}`);
  });
});
