import assert from 'node:assert/strict';
import {
  Claim,
  addMetric,
  approve,
  readMetric,
  remindResults,
  resultsReminderDue,
  startReview,
} from '../../src/domain/claim';
import { addDays } from '../../src/domain/dates';
import { money } from '../../src/domain/money';
import {
  AFTER_ACTIVITY,
  T1,
  doSubmit,
  incentivesAdmin,
  issuesOf,
  owner,
  readyClaim,
  reviewer,
  throwsCode,
} from './claimFixtures';

const label = (kind: string): string => `label:${kind}`;
/** The fixtures' claim, submitted and approved on AFTER_ACTIVITY (its activity ended 2026-03-10). */
function approvedClaim(): Claim {
  const submitted = doSubmit(readyClaim(), owner);
  const reviewing = startReview(submitted, reviewer, AFTER_ACTIVITY);
  return approve(
    reviewing,
    reviewer,
    money(1_000_00, 'USD'),
    '',
    AFTER_ACTIVITY,
    'Only part is eligible',
  );
}
const DECIDED = AFTER_ACTIVITY.slice(0, 10);
const at = (day: string): string => `${day}T12:00:00.000Z`;

describe('domain: results (issue 33: metric kinds, 90 days after the decision, reminder)', () => {
  describe('readMetric', () => {
    it('reads Pipeline and Revenue won as money in the claim currency, Leads as a count, without a name', () => {
      const pipeline = readMetric(
        { metricKind: 'pipeline', metricValue: '12.500,50' },
        'nl-NL',
        'EUR',
        label,
      );
      assert.deepEqual(pipeline, { kind: 'pipeline', name: 'label:pipeline', value: 1_250_050 });
      const leads = readMetric({ metricKind: 'leads', metricValue: '37' }, 'en-US', 'USD', label);
      assert.deepEqual(leads, { kind: 'leads', name: 'label:leads', value: 37 });
    });

    it('keeps free metrics as before (no kind given: Other), which need a name', () => {
      const free = readMetric(
        { metricName: 'Attendees', metricValue: '212' },
        'en-US',
        'USD',
        label,
      );
      assert.deepEqual(free, { name: 'Attendees', value: 212 });
      assert.deepEqual(
        issuesOf(() =>
          readMetric({ metricKind: 'other', metricValue: '1' }, 'en-US', 'USD', label),
        ),
        ['metricName:required'],
      );
      assert.deepEqual(
        issuesOf(() =>
          readMetric({ metricKind: 'profit', metricValue: '1' }, 'en-US', 'USD', label),
        ),
        ['metricKind:invalid'],
      );
    });
  });

  describe('addMetric', () => {
    it('a second result of a kind changes the first, with the old value in the history', () => {
      const c1 = addMetric(
        readyClaim(),
        owner,
        { kind: 'pipeline', name: 'Pipeline', value: 10_000_00 },
        T1,
      );
      const c2 = addMetric(c1, owner, { kind: 'pipeline', name: 'Pipeline', value: 25_000_00 }, T1);
      assert.deepEqual(
        c2.metrics.filter((m) => m.kind === 'pipeline').map((m) => m.value),
        [25_000_00],
      );
      assert.equal(c2.metrics.length, c1.metrics.length);
      assert.equal(c2.history.at(-1)?.item, 'Pipeline: 10,000.00 USD → 25,000.00 USD');
    });

    it('the owner and Incentives admins add results for 90 days after the decision, without a hand in the claim', () => {
      const decided = approvedClaim();
      assert.equal(decided.decidedAt, AFTER_ACTIVITY, 'Approve stamps the decision');
      const lastDay = at(addDays(DECIDED, 90));
      const byOwner = addMetric(
        decided,
        owner,
        { kind: 'revenue', name: 'Revenue won', value: 5_000_00 },
        lastDay,
      );
      assert.equal(byOwner.history.at(-1)?.kind, 'resultsRecorded');
      const byAdmin = addMetric(
        byOwner,
        incentivesAdmin,
        { kind: 'leads', name: 'Leads', value: 9 },
        lastDay,
      );
      assert.ok(
        !byAdmin.hands?.includes(incentivesAdmin.userId),
        'results give no hand (four eyes)',
      );
      throwsCode(
        () =>
          addMetric(
            decided,
            owner,
            { kind: 'leads', name: 'Leads', value: 9 },
            at(addDays(DECIDED, 91)),
          ),
        'STATUS_FORBIDS',
      );
      throwsCode(
        () => addMetric(decided, reviewer, { kind: 'leads', name: 'Leads', value: 9 }, lastDay),
        'NOT_ALLOWED',
      );
    });

    it('while a claim waits for its review nobody adds results', () => {
      const submitted = doSubmit(readyClaim(), owner);
      throwsCode(
        () =>
          addMetric(submitted, owner, { kind: 'leads', name: 'Leads', value: 1 }, AFTER_ACTIVITY),
        'STATUS_FORBIDS',
      );
    });
  });

  describe('the results reminder', () => {
    it('asks the owner once, 30 days after the activity ended', () => {
      const decided = approvedClaim();
      assert.equal(resultsReminderDue(decided), '2026-04-09');
      assert.equal(remindResults(decided, at('2026-04-08')), decided, 'not before');
      const asked = remindResults(decided, at('2026-04-09'));
      const asks = asked.outbox.filter((n) => n.kind === 'resultsDue');
      assert.deepEqual(
        asks.map((n) => n.to.id),
        [owner.userId],
      );
      assert.equal(resultsReminderDue(asked), undefined);
      assert.equal(remindResults(asked, at('2026-05-01')), asked, 'once');
    });

    it('asks nothing when results are in, or the claim was rejected', () => {
      const decided = approvedClaim();
      const withResults = addMetric(
        decided,
        owner,
        { kind: 'leads', name: 'Leads', value: 3 },
        at('2026-04-02'),
      );
      assert.equal(resultsReminderDue(withResults), undefined);
      assert.equal(resultsReminderDue({ ...decided, status: 'rejected' }), undefined);
    });
  });
});
