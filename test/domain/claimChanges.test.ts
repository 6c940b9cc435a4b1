import assert from 'node:assert/strict';
import {
  Claim,
  RequirementsUnmetError,
  addComment,
  addMetric,
  approve,
  canView,
  dispute,
  editInformation,
  person,
  reject,
  requestInformation,
  startReview,
} from '../../src/domain/claim';
import { money } from '../../src/domain/money';
import { CLAIM_STATUSES } from '../../src/domain/status';

import {
  actor,
  owner,
  contributor,
  incentivesAdmin,
  reviewer,
  secondReviewer,
  noRole,
  otherTenantAdmin,
  T0,
  T1,
  AFTER_ACTIVITY,
  PLENTY,
  INFO,
  newClaim,
  withStatus,
  contributingUser,
  withContributor,
  doc,
  readyClaim,
  doSubmit,
  throwsCode,
  issuesOf,
} from './claimFixtures';

describe('domain/claim: changes, submit and the review loop', () => {
  describe('history of changes', () => {
    it('addMetric, editInformation and addComment append exactly one event each, seq increasing', () => {
      const c0 = withContributor(newClaim());
      const c1 = addMetric(c0, owner, { name: 'Attendees', value: 120 }, T1);
      const c2 = editInformation(
        c1,
        contributingUser,
        { ...INFO, title: 'Spring webinar (EMEA)' },
        T1,
      );
      const c3 = addComment(c2, incentivesAdmin, 'Looks good', T1);
      const c4 = addMetric(c3, incentivesAdmin, { name: 'Leads', value: 7 }, T1);

      const steps = [c0, c1, c2, c3, c4];
      for (let i = 1; i < steps.length; i++) {
        assert.equal(steps[i].history.length, steps[i - 1].history.length + 1);
        assert.deepEqual(
          steps[i].history.slice(0, -1),
          steps[i - 1].history,
          'earlier events kept',
        );
      }
      assert.deepEqual(
        c4.history.map((e) => [e.seq, e.kind, e.by.id]),
        [
          [1, 'created', 'u-owner'],
          [2, 'metricAdded', 'u-owner'],
          [3, 'informationEdited', 'u-contributing-user'],
          [4, 'commented', 'u-incentives-admin'],
          [5, 'metricAdded', 'u-incentives-admin'],
        ],
      );
      assert.equal(c2.history[2].item, 'title');
      assert.equal(c2.title, 'Spring webinar (EMEA)');
      assert.equal(c3.history[3].note, 'Looks good');
      assert.deepEqual(
        c4.metrics.map((m) => [m.name, m.value]),
        [
          ['Attendees', 120],
          ['Leads', 7],
        ],
      );
      assert.equal(new Set(c4.metrics.map((m) => m.id)).size, 2, 'metric ids are unique');
      assert.equal(c4.updatedAt, T1);
      assert.equal(c0.history.length, 1, 'the original claim is not mutated');
      assert.equal(c0.metrics.length, 0, 'the original claim is not mutated');
    });

    it('editInformation names every changed field', () => {
      const c = editInformation(
        newClaim(),
        owner,
        { ...INFO, amount: money(99, 'USD'), activityEnd: '2026-03-11' },
        T1,
      );
      assert.deepEqual(c.history[1].item?.split(', ').sort(), ['activityEnd', 'amount']);
      assert.deepEqual(c.amount, money(99, 'USD'));
    });

    it('editInformation with no change returns the same claim and records nothing', () => {
      const c = newClaim();
      const same = editInformation(c, owner, { ...INFO }, T1);
      assert.equal(same, c);
      assert.equal(same.history.length, 1);
      assert.equal(same.updatedAt, T0);
    });

    it('edits are refused outside editable statuses, comments never are', () => {
      const submitted = withStatus(newClaim(), 'submitted');
      throwsCode(() => addMetric(submitted, owner, { name: 'x', value: 1 }, T1), 'STATUS_FORBIDS');
      throwsCode(
        () => editInformation(submitted, owner, { ...INFO, title: 'x' }, T1),
        'STATUS_FORBIDS',
      );
      for (const status of CLAIM_STATUSES) {
        const c = addComment(withStatus(newClaim(), status), owner, 'note', T1);
        assert.equal(c.history[c.history.length - 1].kind, 'commented', status);
      }
    });

    it('a reviewer cannot edit a submitted claim, nor see an editing one', () => {
      throwsCode(
        () => addMetric(withStatus(newClaim(), 'submitted'), reviewer, { name: 'x', value: 1 }, T1),
        'NOT_ALLOWED',
      );
      throwsCode(() => addComment(newClaim(), reviewer, 'hi', T1), 'CLAIM_NOT_FOUND');
    });
  });

  describe('submit', () => {
    it('lists every unmet requirement and changes nothing', () => {
      const claim: Claim = {
        ...newClaim(),
        documents: [doc('other', 'notes.txt', '   ')],
      };
      assert.throws(
        () => doSubmit(claim, owner, money(1000, 'USD'), '2026-03-05T12:00:00.000Z'),
        (e: unknown) => {
          assert.ok(e instanceof RequirementsUnmetError);
          assert.equal(e.code, 'REQUIREMENTS_UNMET');
          assert.deepEqual(
            e.unmet.map((u) => u.code),
            [
              'invoiceOrCsr',
              'proofOfExecution',
              'explanation',
              'metric',
              'amountWithinRemaining',
              'activityEnded',
            ],
          );
          assert.deepEqual(e.unmet[2], { code: 'explanation', document: 'notes.txt' });
          assert.equal(e.params.count, 6);
          return true;
        },
      );
      assert.equal(claim.status, 'editing');
      assert.equal(claim.history.length, 1);
    });

    it('refuses a claim submitted too long after the activity', () => {
      assert.throws(
        () => doSubmit(readyClaim(), owner, PLENTY, '2026-04-25T09:00:00.000Z'),
        (e: unknown) =>
          e instanceof RequirementsUnmetError &&
          e.unmet.length === 1 &&
          e.unmet[0].code === 'submissionWindow',
      );
    });

    it('submits a claim that meets every requirement', () => {
      const ready = readyClaim();
      const submitted = doSubmit(ready, owner);
      assert.equal(submitted.status, 'submitted');
      assert.equal(submitted.submittedAt, AFTER_ACTIVITY);
      assert.equal(submitted.history.length, ready.history.length + 1);
      const last = submitted.history[submitted.history.length - 1];
      assert.equal(last.kind, 'submitted');
      assert.equal(last.seq, ready.history[ready.history.length - 1].seq + 1);
      assert.equal(ready.status, 'editing', 'the original claim is not mutated');
    });

    it('accepts an amount exactly equal to what the fund has left', () => {
      const ready = readyClaim();
      assert.equal(doSubmit(ready, owner, ready.amount).status, 'submitted');
    });

    it('only the owner or an admin may submit, not a contributor or a reviewer', () => {
      assert.equal(doSubmit(readyClaim(), incentivesAdmin).status, 'submitted');
      throwsCode(() => doSubmit(readyClaim(), contributor), 'NOT_ALLOWED');
      throwsCode(() => doSubmit(readyClaim(), reviewer), 'CLAIM_NOT_FOUND');
    });

    it('cannot submit twice', () => {
      const submitted = doSubmit(readyClaim(), owner);
      throwsCode(() => doSubmit(submitted, owner), 'STATUS_FORBIDS', { status: 'submitted' });
    });
  });

  describe('the review loop', () => {
    const submitted = (): Claim => doSubmit(readyClaim(), owner);
    const underReview = (): Claim => startReview(submitted(), reviewer, AFTER_ACTIVITY);

    it('startReview records the reviewer', () => {
      const c = underReview();
      assert.equal(c.status, 'underReview');
      assert.deepEqual(c.reviewer, person(reviewer));
      assert.equal(c.history[c.history.length - 1].kind, 'reviewStarted');
    });

    it('request information, edit, resubmit from Action required', () => {
      const asked = requestInformation(
        underReview(),
        reviewer,
        'Add the invoice total',
        AFTER_ACTIVITY,
      );
      assert.equal(asked.status, 'actionRequired');
      assert.equal(asked.history[asked.history.length - 1].note, 'Add the invoice total');
      const edited = addMetric(
        asked,
        contributingUser,
        { name: 'Leads', value: 3 },
        AFTER_ACTIVITY,
      );
      const again = doSubmit(edited, owner);
      assert.equal(again.status, 'submitted');
      assert.deepEqual(
        again.history.map((e) => e.kind),
        [
          'created',
          'metricAdded',
          'submitted',
          'reviewStarted',
          'informationRequested',
          'metricAdded',
          'submitted',
        ],
      );
      assert.deepEqual(
        again.history.map((e) => e.seq),
        [1, 2, 3, 4, 5, 6, 7],
      );
    });

    it('approves up to the claimed amount, refuses more and a different currency', () => {
      const c = underReview();
      const partial = approve(
        c,
        reviewer,
        money(100000, 'USD'),
        'Partly eligible',
        AFTER_ACTIVITY,
        'Only part is eligible',
      );
      assert.equal(partial.status, 'approved');
      assert.deepEqual(partial.approvedAmount, money(100000, 'USD'));
      assert.equal(partial.decisionNote, 'Partly eligible');
      assert.equal(
        approve(c, reviewer, c.amount, '', AFTER_ACTIVITY, 'Only part is eligible').status,
        'approved',
      );

      for (const over of [money(c.amount.minor + 1, 'USD'), money(100, 'EUR')]) {
        assert.deepEqual(
          issuesOf(() => approve(c, reviewer, over, '', AFTER_ACTIVITY, 'Only part is eligible')),
          ['approvedAmount:approvedOverClaimed'],
        );
      }
      assert.equal(c.status, 'underReview');
    });

    it('refuses a negative approved amount', () => {
      assert.deepEqual(
        issuesOf(() =>
          approve(
            underReview(),
            reviewer,
            money(-100, 'USD'),
            '',
            AFTER_ACTIVITY,
            'Only part is eligible',
          ),
        ).length,
        1,
      );
    });

    it('does not tell someone who cannot see the claim anything about its amount', () => {
      const c = underReview();
      throwsCode(
        () =>
          approve(
            c,
            otherTenantAdmin,
            money(c.amount.minor + 1, 'USD'),
            '',
            AFTER_ACTIVITY,
            'Only part is eligible',
          ),
        'CLAIM_NOT_FOUND',
      );
      throwsCode(
        () =>
          approve(
            c,
            noRole,
            money(c.amount.minor + 1, 'USD'),
            '',
            AFTER_ACTIVITY,
            'Only part is eligible',
          ),
        'CLAIM_NOT_FOUND',
      );
    });

    it('reject records the reason and clears any approved amount', () => {
      const approved = approve(
        underReview(),
        reviewer,
        money(5000, 'USD'),
        '',
        AFTER_ACTIVITY,
        'Only part is eligible',
      );
      const disputed = dispute(approved, incentivesAdmin, 'Should be more', [], AFTER_ACTIVITY);
      assert.equal(disputed.status, 'disputed');
      const rejected = reject(disputed, secondReviewer, 'Not eligible', AFTER_ACTIVITY);
      assert.equal(rejected.status, 'rejected');
      assert.equal(rejected.approvedAmount, undefined);
      assert.equal(rejected.decisionNote, 'Not eligible');
      assert.equal(rejected.history[rejected.history.length - 1].kind, 'rejected');
    });

    it('a reviewer cannot review their own claim', () => {
      const both = actor('u-both', ['incentivesUser', 'reviewer']);
      const mine = doSubmit(readyClaim(both), both);
      throwsCode(() => startReview(mine, both, AFTER_ACTIVITY), 'HAD_A_HAND');
      const reviewed = startReview(mine, reviewer, AFTER_ACTIVITY);
      throwsCode(
        () => approve(reviewed, both, money(1, 'USD'), '', AFTER_ACTIVITY, 'Only part is eligible'),
        'HAD_A_HAND',
      );
      throwsCode(() => reject(reviewed, both, 'no', AFTER_ACTIVITY), 'HAD_A_HAND');
    });

    it('decisions need a submitted claim; only admins dispute', () => {
      const answering = withStatus(submitted(), 'actionRequired');
      throwsCode(
        () =>
          approve(
            answering,
            reviewer,
            money(1, 'USD'),
            '',
            AFTER_ACTIVITY,
            'Only part is eligible',
          ),
        'STATUS_FORBIDS',
      );
      throwsCode(() => reject(answering, reviewer, 'no', AFTER_ACTIVITY), 'STATUS_FORBIDS');
      const approved = approve(
        underReview(),
        reviewer,
        money(1, 'USD'),
        '',
        AFTER_ACTIVITY,
        'Only part is eligible',
      );
      throwsCode(() => dispute(approved, owner, 'why', [], AFTER_ACTIVITY), 'NOT_ALLOWED');
      throwsCode(() => dispute(approved, reviewer, 'why', [], AFTER_ACTIVITY), 'NOT_ALLOWED');
      throwsCode(
        () => dispute(underReview(), incentivesAdmin, 'why', [], AFTER_ACTIVITY),
        'STATUS_FORBIDS',
      );
    });

    it('a contributor loses access once the claim is decided', () => {
      const c = underReview();
      assert.equal(canView(contributor, c), true);
      assert.doesNotThrow(() => addComment(c, contributor, 'uploaded', AFTER_ACTIVITY));
      for (const decided of [
        approve(c, reviewer, money(1, 'USD'), '', AFTER_ACTIVITY, 'Only part is eligible'),
        reject(c, reviewer, 'no', AFTER_ACTIVITY),
      ]) {
        assert.equal(canView(contributor, decided), false, decided.status);
        throwsCode(
          () => addComment(decided, contributor, 'hello?', AFTER_ACTIVITY),
          'CLAIM_NOT_FOUND',
        );
        assert.equal(canView(owner, decided), true, 'the owner keeps access');
      }
    });
  });
});
