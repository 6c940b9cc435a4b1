import assert from 'node:assert/strict';
import {
  Claim,
  approve,
  dispute,
  permissions,
  reject,
  requestInformation,
  startReview,
} from '../../src/domain/claim';
import { money } from '../../src/domain/money';
import { DEFAULT_POLICY, approveWithPolicy } from '../../src/domain/policy';
import type { Actor } from '../../src/domain/roles';
import {
  AFTER_ACTIVITY,
  actor,
  doSubmit,
  incentivesAdmin,
  owner,
  readyClaim,
  reviewer,
  secondReviewer,
  throwsCode,
} from './claimFixtures';

const submitted = (): Claim => doSubmit(readyClaim(), owner);
/** The kinds and authors of the events a change added to `before`. */
const added = (before: Claim, after: Claim): string[] =>
  after.history.slice(before.history.length).map((e) => `${e.kind} ${e.by.id}`);
const usd = (minor: number) => money(minor, 'USD');

describe('domain: a decision on a Submitted claim starts its review (issue 29)', () => {
  const decisions: [string, (c: Claim, who: Actor) => Claim, string, string][] = [
    [
      'Approve',
      (c, who) => approve(c, who, usd(1_00), '', AFTER_ACTIVITY, 'Only part is eligible'),
      'approved',
      'approved',
    ],
    ['Reject', (c, who) => reject(c, who, 'no', AFTER_ACTIVITY), 'rejected', 'rejected'],
    [
      'Request information',
      (c, who) => requestInformation(c, who, 'which venue?', AFTER_ACTIVITY),
      'actionRequired',
      'informationRequested',
    ],
  ];
  for (const [name, decide, status, kind] of decisions) {
    it(`${name} without Start review: through Under review in the same change, history says who started it`, () => {
      const claim = submitted();
      const decided = decide(claim, reviewer);
      assert.equal(decided.status, status);
      assert.deepEqual(added(claim, decided), [
        `reviewStarted ${reviewer.userId}`,
        `${kind} ${reviewer.userId}`,
      ]);
      assert.equal(decided.reviewer?.id, reviewer.userId);
    });
  }

  it('after Start review by another reviewer a decision adds no second start, and the reviewer on record stays', () => {
    const started = startReview(submitted(), reviewer, AFTER_ACTIVITY);
    const decided = reject(started, secondReviewer, 'no', AFTER_ACTIVITY);
    assert.deepEqual(added(started, decided), [`rejected ${secondReviewer.userId}`]);
    assert.equal(decided.reviewer?.id, reviewer.userId);
  });

  it('a disputed claim is decided directly, as before', () => {
    const approved = approve(
      submitted(),
      reviewer,
      usd(1_00),
      '',
      AFTER_ACTIVITY,
      'Only part is eligible',
    );
    const disputed = dispute(approved, incentivesAdmin, 'too low', [], AFTER_ACTIVITY);
    const decided = approve(
      disputed,
      secondReviewer,
      usd(2_00),
      '',
      AFTER_ACTIVITY,
      'Only part is eligible',
    );
    assert.deepEqual(added(disputed, decided), [`approved ${secondReviewer.userId}`]);
  });

  it('four eyes hold on a Submitted claim: whoever had a hand may not decide it, nothing changes', () => {
    const both = actor('u-both', ['incentivesUser', 'reviewer']);
    const mine = doSubmit(readyClaim(both), both);
    for (const [, decide] of decisions) throwsCode(() => decide(mine, both), 'HAD_A_HAND');
    throwsCode(() => reject(submitted(), owner, 'no', AFTER_ACTIVITY), 'NOT_ALLOWED');
  });

  it('the first of two approvals also starts the review; its approver may no longer Approve', () => {
    const policy = { ...DEFAULT_POLICY, secondApprovalAbove: { USD: 0 } };
    const context = { policy, reviewers: [] };
    const claim = submitted();
    const first = approveWithPolicy(
      claim,
      reviewer,
      usd(1_00),
      '',
      AFTER_ACTIVITY,
      context,
      'Only part is eligible',
    );
    assert.equal(first.status, 'underReview');
    assert.deepEqual(added(claim, first), [
      `reviewStarted ${reviewer.userId}`,
      `approvalFirst ${reviewer.userId}`,
    ]);
    const mine = permissions(reviewer, first);
    assert.deepEqual([mine.decide, mine.approve], [true, false]);
    const other = permissions(secondReviewer, first);
    assert.deepEqual([other.decide, other.approve], [true, true]);
    throwsCode(
      () =>
        approveWithPolicy(
          first,
          reviewer,
          usd(1_00),
          '',
          AFTER_ACTIVITY,
          context,
          'Only part is eligible',
        ),
      'SAME_APPROVER',
    );
    const second = approveWithPolicy(
      first,
      secondReviewer,
      usd(1_00),
      '',
      AFTER_ACTIVITY,
      context,
      'Only part is eligible',
    );
    assert.equal(second.status, 'approved');
  });
});
