import assert from 'node:assert/strict';
import { Claim, createClaim, dispute, reject, requestInformation } from '../../src/domain/claim';
import { AppError } from '../../src/domain/errors';
import { ledgerEntries } from '../../src/domain/fund';
import { money } from '../../src/domain/money';
import {
  DEFAULT_POLICY,
  TenantPolicy,
  approveWithPolicy,
  awayNow,
  businessDaysBetween,
  comeBack,
  endApprovalRound,
  goAway,
  mainCurrency,
  parseLimit,
  redirected,
  remindOverdueReview,
  splitLimit,
  withDelegation,
} from '../../src/domain/policy';
import type { Actor } from '../../src/domain/roles';
import { INFO, actor } from './claimFixtures';

const owner = actor('u-owner', ['incentivesUser']);
const rita = actor('u-rita', ['reviewer']);
const ravi = actor('u-ravi', ['reviewer']);
const rosa = actor('u-rosa', ['reviewer']);
const admin = actor('u-admin', ['incentivesAdmin']);
const T0 = '2026-03-01T09:00:00.000Z';
const T1 = '2026-03-02T09:00:00.000Z';
const T2 = '2026-03-03T09:00:00.000Z';

/** A claim of 1,500.00 USD under review. */
function underReview(): Claim {
  const claim = createClaim({
    actor: owner,
    seq: 7,
    formId: 'form-7',
    fund: { id: 'fund-1', currency: 'USD' },
    info: INFO,
    now: T0,
  });
  return { ...claim, status: 'underReview' };
}

const policy = (p: Partial<TenantPolicy>): TenantPolicy => ({ ...DEFAULT_POLICY, ...p });
/** Second approval above 1,000.00 USD. */
const ABOVE_1000 = policy({ secondApprovalAbove: { USD: 1_000_00 } });
const reviewers = [rita, ravi, rosa, owner].map((a) => ({ id: a.userId, name: a.name }));
const usd = (minor: number) => money(minor, 'USD');
const approveAs = (claim: Claim, who: Actor, minor: number, p: TenantPolicy, at = T1) =>
  approveWithPolicy(
    claim,
    who,
    usd(minor),
    'looks right',
    at,
    { policy: p, reviewers },
    'Part of the cost is not eligible.',
  );

function refused(code: string, f: () => unknown): void {
  assert.throws(f, (e: unknown) => e instanceof AppError && e.code === code);
}

describe('domain: approval policy (issue 31)', () => {
  it('without a policy one Approve decides the claim', () => {
    const approved = approveAs(underReview(), rita, 1_500_00, DEFAULT_POLICY);
    assert.equal(approved.status, 'approved');
    assert.equal(approved.firstApproval, undefined);
  });

  it('above Second approval above, the first Approve keeps the claim under review as approval 1 of 2, tells the other reviewers and moves no fund money', () => {
    const claim = underReview();
    const first = approveAs(claim, rita, 1_500_00, ABOVE_1000);
    assert.equal(first.status, 'underReview');
    assert.equal(first.approvedAmount, undefined);
    assert.deepEqual(first.firstApproval?.amount, usd(1_500_00));
    assert.equal(first.firstApproval?.by.id, rita.userId);
    assert.equal(first.history.at(-1)?.kind, 'approvalFirst');
    const told = first.outbox.filter((n) => n.kind === 'secondApprovalNeeded').map((n) => n.to.id);
    // Not the first approver, nor the owner (who had a hand), but every other reviewer.
    assert.deepEqual(told.sort(), [ravi.userId, rosa.userId]);
    assert.deepEqual(
      ledgerEntries(claim, first, () => 'e'),
      [],
      'the reservation holds',
    );
  });

  it('the first approver cannot give the second approval', () => {
    const first = approveAs(underReview(), rita, 1_500_00, ABOVE_1000);
    refused('SAME_APPROVER', () => approveAs(first, rita, 1_500_00, ABOVE_1000, T2));
  });

  it('a second reviewer decides the claim: the reservation converts at the final approval only', () => {
    const first = approveAs(underReview(), rita, 1_500_00, ABOVE_1000);
    const second = approveAs(first, ravi, 1_400_00, ABOVE_1000, T2);
    assert.equal(second.status, 'approved');
    assert.deepEqual(second.approvedAmount, usd(1_400_00));
    assert.equal(second.firstApproval, undefined);
    assert.equal(second.decidedBy?.id, ravi.userId);
    assert.deepEqual(
      second.history.slice(-2).map((e) => `${e.kind} ${e.by.id}`),
      [`approvalFirst ${rita.userId}`, `approved ${ravi.userId}`],
    );
    const [entry] = ledgerEntries(first, second, () => 'e');
    assert.equal(entry.approved, 1_400_00);
    assert.equal(entry.pending, -1_500_00);
  });

  it('the second approval cannot approve more than the first did', () => {
    const first = approveAs(underReview(), rita, 1_200_00, ABOVE_1000);
    refused('INVALID_INPUT', () => approveAs(first, ravi, 1_300_00, ABOVE_1000, T2));
  });

  it('an amount exactly at Second approval above needs one approval', () => {
    const approved = approveAs(underReview(), rita, 1_000_00, ABOVE_1000);
    assert.equal(approved.status, 'approved');
  });

  it('the threshold is per currency: a USD rule does not touch a EUR one', () => {
    const eurOnly = policy({ secondApprovalAbove: { EUR: 100 } });
    assert.equal(approveAs(underReview(), rita, 1_500_00, eurOnly).status, 'approved');
  });

  it('a second reviewer who had a hand in the claim cannot decide (four eyes)', () => {
    const first = approveAs(underReview(), rita, 1_500_00, ABOVE_1000);
    const handy = { ...first, hands: [...(first.hands ?? []), ravi.userId] };
    refused('HAD_A_HAND', () => approveAs(handy, ravi, 1_500_00, ABOVE_1000, T2));
  });

  it('Reject by either reviewer ends the round: the first approval is discarded, and history says so', () => {
    const first = approveAs(underReview(), rita, 1_500_00, ABOVE_1000);
    for (const who of [rita, ravi]) {
      const rejected = reject(endApprovalRound(first, who, T2), who, 'no proof', T2);
      assert.equal(rejected.status, 'rejected');
      assert.equal(rejected.firstApproval, undefined);
      assert.deepEqual(
        rejected.history.slice(-2).map((e) => e.kind),
        ['approvalDiscarded', 'rejected'],
      );
      assert.equal(rejected.history.at(-2)?.item, rita.name);
    }
  });

  it('Request information ends the round: after the resubmit two approvals are needed again', () => {
    const first = approveAs(underReview(), rita, 1_500_00, ABOVE_1000);
    const asked = requestInformation(endApprovalRound(first, ravi, T2), ravi, 'invoice?', T2);
    assert.equal(asked.status, 'actionRequired');
    assert.equal(asked.firstApproval, undefined);
    const again = approveAs({ ...asked, status: 'underReview' }, ravi, 1_500_00, ABOVE_1000, T2);
    assert.equal(again.status, 'underReview');
    assert.equal(again.firstApproval?.by.id, ravi.userId);
  });

  it('a claim without a first approval goes through endApprovalRound unchanged', () => {
    const claim = underReview();
    assert.equal(endApprovalRound(claim, rita, T1), claim);
  });

  it('a dispute after a two-step approval needs two approvals again', () => {
    const decided = approveAs(
      approveAs(underReview(), rita, 1_500_00, ABOVE_1000),
      ravi,
      1_500_00,
      ABOVE_1000,
      T2,
    );
    const disputed = dispute(decided, admin, 'too much', reviewers, T2);
    assert.equal(disputed.status, 'disputed');
    const first = approveAs(disputed, rosa, 1_100_00, ABOVE_1000, T2);
    assert.equal(first.status, 'disputed');
    assert.deepEqual(first.firstApproval?.amount, usd(1_100_00));
    // Reviewers other than the first round's, should disputes bar those who decided before.
    const rex = actor('u-rex', ['reviewer']);
    const second = approveAs(first, rex, 1_100_00, ABOVE_1000, T2);
    assert.equal(second.status, 'approved');
    assert.deepEqual(second.approvedAmount, usd(1_100_00));
  });

  describe('approval limits', () => {
    const limits = policy({
      limits: { [rita.userId]: { USD: 1_500_00 }, [ravi.userId]: { USD: 1_000_00 } },
    });

    it('an Approve exactly at the reviewer’s limit decides the claim', () => {
      assert.equal(approveAs(underReview(), rita, 1_500_00, limits).status, 'approved');
    });

    it('an Approve one cent above the limit counts as a first approval only', () => {
      const claim = { ...underReview(), amount: usd(1_500_01) };
      const first = approveAs(claim, rita, 1_500_01, limits);
      assert.equal(first.status, 'underReview');
      assert.equal(first.firstApproval?.by.id, rita.userId);
    });

    it('the second approval needs a reviewer whose limit covers the amount', () => {
      const first = approveAs(underReview(), ravi, 1_500_00, limits);
      assert.equal(first.status, 'underReview');
      refused('OVER_APPROVAL_LIMIT', () =>
        approveAs(first, actor('u-ravi-2', ['reviewer']), 1_500_00, {
          ...limits,
          limits: { ...limits.limits, 'u-ravi-2': { USD: 100 } },
        }),
      );
      assert.equal(approveAs(first, rita, 1_500_00, limits, T2).status, 'approved');
      assert.equal(approveAs(first, rosa, 1_500_00, limits, T2).status, 'approved');
    });

    it('a limit in another currency does not limit a USD approval', () => {
      const eur = policy({ limits: { [rita.userId]: { EUR: 100 } } });
      assert.equal(approveAs(underReview(), rita, 1_500_00, eur).status, 'approved');
    });
  });
});

describe('domain: approval limits as typed (issue 31)', () => {
  it('splits the role from the limit, in English and Dutch', () => {
    assert.deepEqual(splitLimit('reviewer up to 5,000 USD'), {
      role: 'reviewer',
      limit: '5,000 USD',
    });
    assert.deepEqual(splitLimit('beoordelaar tot 5.000'), { role: 'beoordelaar', limit: '5.000' });
    assert.deepEqual(splitLimit('reviewer'), { role: 'reviewer' });
  });

  it('reads the currency before or after the amount, else the main one', () => {
    assert.deepEqual(parseLimit('5,000 usd', 'en-US', 'EUR'), money(5_000_00, 'USD'));
    assert.deepEqual(parseLimit('EUR 5.000,50', 'nl-NL', 'USD'), money(5_000_50, 'EUR'));
    assert.deepEqual(parseLimit('750', 'en-US', 'EUR'), money(750_00, 'EUR'));
    refused('INVALID_INPUT', () => parseLimit('5,000 XXQ', 'en-US', 'USD'));
    refused('INVALID_INPUT', () => parseLimit('USD 5 EUR', 'en-US', 'USD'));
    refused('INVALID_INPUT', () => parseLimit('0', 'en-US', 'USD'));
  });

  it('the main currency is the one most of the funds’ money is in (USD without funds)', () => {
    const fund = (minor: number, currency: string) => ({ allocated: money(minor, currency) });
    assert.equal(mainCurrency([fund(100, 'EUR'), fund(60, 'USD'), fund(60, 'USD')]), 'USD');
    assert.equal(mainCurrency([]), 'USD');
  });
});

describe('domain: delegation while away (issue 31)', () => {
  const megan = actor('u-megan', ['reviewer']);
  const isaiah = actor('u-isaiah', ['incentivesUser']);
  const asPerson = (a: Actor) => ({ id: a.userId, name: a.name });
  const NOW = new Date('2026-03-02T09:00:00Z');
  const record = goAway(
    { policy: DEFAULT_POLICY, changes: [] },
    megan,
    asPerson(isaiah),
    '2026-03-05',
    NOW,
  );

  it('is away until the date, and over on it (by the clock at read time)', () => {
    assert.equal(awayNow(record, new Date('2026-03-04T23:59:00Z')).length, 1);
    assert.equal(awayNow(record, new Date('2026-03-05T00:00:00Z')).length, 0);
    assert.equal(awayNow(comeBack(record, megan), NOW).length, 0);
  });

  it('only reviewers and admins go away, until a later day, naming someone else', () => {
    const empty = { policy: DEFAULT_POLICY, changes: [] };
    refused('NOT_ALLOWED', () => goAway(empty, isaiah, asPerson(megan), '2026-03-05', NOW));
    refused('INVALID_INPUT', () => goAway(empty, megan, asPerson(isaiah), '2026-03-02', NOW));
    refused('INVALID_INPUT', () => goAway(empty, megan, asPerson(megan), '2026-03-05', NOW));
  });

  it('the delegate acts with the absent person’s roles, for them; notifications go to the delegate', () => {
    const absences = awayNow(record, NOW);
    const covering = withDelegation(isaiah, absences, () => ['reviewer']);
    assert.ok(covering.roles.has('reviewer'));
    assert.equal(covering.onBehalfOf?.id, megan.userId);
    assert.equal(
      withDelegation(megan, absences, () => ['reviewer']),
      megan,
      'not the absent one',
    );
    assert.deepEqual(
      redirected([asPerson(megan), asPerson(rita), asPerson(isaiah)], absences).map((p) => p.id),
      [isaiah.userId, rita.userId],
    );
  });

  it('a delegate who had a hand in a claim cannot decide it for the absent reviewer', () => {
    const covering = withDelegation(isaiah, awayNow(record, NOW), () => ['reviewer']);
    const handy = { ...underReview(), hands: [owner.userId, isaiah.userId] };
    refused('HAD_A_HAND', () => approveAs(handy, covering, 1_500_00, DEFAULT_POLICY));
    const decided = approveAs(underReview(), covering, 1_500_00, DEFAULT_POLICY);
    assert.equal(decided.history.at(-1)?.for?.name, megan.name);
  });
});

describe('domain: review deadlines (issue 31)', () => {
  const to = {
    reviewers: [{ id: rita.userId, name: rita.name }],
    admins: [{ id: admin.userId, name: admin.name }],
  };
  // Submitted on Monday 2 March 2026.
  const waiting = (): Claim => ({
    ...underReview(),
    status: 'submitted',
    submittedAt: '2026-03-02T09:00:00.000Z',
  });
  const kinds = (c: Claim) => c.outbox.map((n) => `${n.kind} ${n.to.id}`);

  it('counts business days, Monday to Friday', () => {
    assert.equal(businessDaysBetween('2026-03-02', '2026-03-02'), 0);
    assert.equal(businessDaysBetween('2026-03-02', '2026-03-09'), 5, 'Monday to Monday');
    assert.equal(businessDaysBetween('2026-03-06', '2026-03-09'), 1, 'Friday to Monday');
  });

  it('reminds the reviewers past Review within, once a day, then escalates to the admins', () => {
    const claim = waiting();
    assert.equal(remindOverdueReview(claim, '2026-03-09T10:00:00Z', DEFAULT_POLICY, to), claim);
    const first = remindOverdueReview(claim, '2026-03-10T10:00:00Z', DEFAULT_POLICY, to);
    assert.deepEqual(kinds(first), [`reviewOverdue ${rita.userId}`]);
    assert.equal(remindOverdueReview(first, '2026-03-10T16:00:00Z', DEFAULT_POLICY, to), first);
    const second = remindOverdueReview(first, '2026-03-11T10:00:00Z', DEFAULT_POLICY, to);
    assert.deepEqual(kinds(second).slice(1), [`reviewEscalated ${admin.userId}`]);
    const shorter = policy({ reviewWithinDays: 1 });
    assert.equal(remindOverdueReview(claim, '2026-03-04T10:00:00Z', shorter, to).outbox.length, 1);
  });

  it('a resubmit starts the count again; decided claims are not reminded', () => {
    const reminded = remindOverdueReview(waiting(), '2026-03-11T10:00:00Z', DEFAULT_POLICY, to);
    const resubmitted = { ...reminded, submittedAt: '2026-03-03T09:00:00.000Z', outbox: [] };
    const again = remindOverdueReview(resubmitted, '2026-03-12T10:00:00Z', DEFAULT_POLICY, to);
    assert.deepEqual(kinds(again), [`reviewOverdue ${rita.userId}`]);
    const decided = { ...waiting(), status: 'approved' as const };
    assert.equal(remindOverdueReview(decided, '2026-03-20T10:00:00Z', DEFAULT_POLICY, to), decided);
  });
});
