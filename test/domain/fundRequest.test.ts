import assert from 'node:assert/strict';
import { AppError } from '../../src/domain/errors';
import type { Fund } from '../../src/domain/fund';
import {
  FundRequest,
  approveRequest,
  declineRequest,
  expireRequest,
  isExpiryDue,
  newFundRequest,
  parseRequestNumber,
  requestPermissions,
  useRequest,
  withRequestEntries,
} from '../../src/domain/fundRequest';
import { money } from '../../src/domain/money';
import type { Actor, Role } from '../../src/domain/roles';

const NOW = '2026-03-01T09:00:00.000Z';
const FUND: Fund = {
  id: 'fund-1',
  tenantId: 't1',
  name: 'FY26',
  periodStart: '2026-01-01',
  periodEnd: '2026-12-31',
  allocated: money(1_000_000, 'EUR'),
  createdBy: { id: 'admin', name: 'Admin' },
  createdAt: NOW,
};
const actor = (userId: string, roles: Role[], tenantId = 't1'): Actor => ({
  tenantId,
  userId,
  name: userId,
  roles: new Set(roles),
});
const ann = actor('ann', ['incentivesUser']);
const pat = actor('pat', ['incentivesAdmin']);
const INPUT = {
  activity: 'Webinar series',
  activityType: 'webinar',
  plannedStart: '2026-04-01',
  plannedEnd: '2026-04-30',
  plannedAmount: '2,500.00',
  fundId: 'fund-1',
};

const make = (input: Record<string, unknown> = {}, by: Actor = ann, fund: Fund | null = FUND) =>
  newFundRequest({
    actor: by,
    seq: 7,
    formId: 'form-1',
    input: { ...INPUT, ...input },
    fund: fund ?? undefined,
    locale: 'en-US',
    now: NOW,
    admins: [
      { id: 'pat', name: 'pat' },
      { id: 'ann', name: 'ann' },
    ],
  });

/** The input issues a refused request names, as `field problem`. */
function issues(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof AppError && e.code === 'INVALID_INPUT') {
      return e.issues.map((i) => `${i.field} ${i.problem}`);
    }
    throw e;
  }
  assert.fail('not refused');
}

const code = (run: () => unknown): string => {
  try {
    run();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return 'none';
};

describe('domain/fundRequest', () => {
  it('a new request: REQ number, Requested, its event, the admins told (not the requester)', () => {
    const r = make();
    assert.equal(r.number, 'REQ-0007');
    assert.equal(r.status, 'requested');
    assert.deepEqual(r.plannedAmount, money(250_000, 'EUR'));
    assert.deepEqual(
      r.history.map((e) => e.kind),
      ['requested'],
    );
    assert.deepEqual(
      r.outbox.map((n) => [n.kind, n.to.id]),
      [['fundRequested', 'pat']],
    );
    assert.equal(parseRequestNumber(' req-7 '), 'REQ-0007');
    assert.equal(parseRequestNumber('CLM-0007'), undefined);
    assert.equal(parseRequestNumber(7), undefined);
  });

  it('names every problem: end before start, amounts, unknown fund, dates, too large', () => {
    assert.deepEqual(
      issues(() =>
        make({ plannedStart: '2026-05-01', plannedEnd: '2026-04-01', plannedAmount: '0' }),
      ),
      ['plannedEnd endBeforeStart', 'plannedAmount amountPositive'],
    );
    assert.deepEqual(
      issues(() => make({ activity: ' ', plannedStart: '2026-02-30', plannedAmount: '-5' })),
      ['activity required', 'plannedStart dateInvalid', 'plannedAmount amountNegative'],
    );
    assert.deepEqual(
      issues(() => make({ plannedEnd: '2026-02-01', plannedStart: '2026-01-01' })),
      ['plannedEnd inPast'],
    );
    assert.deepEqual(
      issues(() => make({ fundId: 'nope' }, ann, null)),
      ['fundId invalid'],
    );
    assert.deepEqual(
      issues(() => make({ plannedAmount: '10,000.01' })),
      ['plannedAmount overAllocation'],
    );
    assert.equal(
      code(() => make({}, actor('rita', ['reviewer']))),
      'NOT_ALLOWED',
    );
  });

  it('admins decide, never on their own request; the requester creates the claim once approved', () => {
    const r = make();
    const none = { createClaim: false, withdraw: false };
    assert.deepEqual(requestPermissions(pat, r), { view: true, decide: true, ...none });
    assert.deepEqual(requestPermissions(ann, r), { view: true, decide: false, ...none });
    assert.equal(requestPermissions(actor('bob', ['incentivesUser']), r).view, false);
    assert.equal(requestPermissions(actor('pat', ['globalAdmin'], 't2'), r).view, false);
    assert.equal(
      code(() => approveRequest(r, ann, NOW)),
      'NOT_ALLOWED',
    );
    assert.equal(
      code(() => approveRequest(r, actor('bob', ['reviewer']), NOW)),
      'REQUEST_NOT_FOUND',
    );
    const own = make({}, pat);
    assert.equal(
      code(() => approveRequest(own, pat, NOW)),
      'HAD_A_HAND_REQUEST',
    );
    assert.equal(
      code(() => declineRequest(own, pat, 'no', NOW)),
      'HAD_A_HAND_REQUEST',
    );
    const approved = approveRequest(r, pat, NOW);
    assert.equal(approved.expiresOn, '2026-05-30');
    assert.deepEqual(requestPermissions(ann, approved).createClaim, true);
    assert.equal(
      code(() => approveRequest(approved, pat, NOW)),
      'REQUEST_STATUS_FORBIDS',
    );
    assert.equal(
      code(() => useRequest(r, ann, 'CLM-0001', NOW)),
      'REQUEST_STATUS_FORBIDS',
    );
    assert.equal(
      code(() => useRequest(approved, pat, 'CLM-0001', NOW)),
      'NOT_ALLOWED',
    );
    const used = useRequest(approved, ann, 'CLM-0001', NOW);
    assert.equal(useRequest(used, ann, 'CLM-0001', NOW), used, 'the same claim again: no change');
    assert.equal(
      code(() => useRequest(used, ann, 'CLM-0002', NOW)),
      'REQUEST_STATUS_FORBIDS',
    );
  });

  it('a decline needs a reason and tells the requester', () => {
    const r = make();
    assert.deepEqual(
      issues(() => declineRequest(r, pat, '  ', NOW)),
      ['reason required'],
    );
    const declined = declineRequest(r, pat, 'Over budget', NOW);
    assert.equal(declined.reason, 'Over budget');
    assert.deepEqual(declined.outbox.map((n) => [n.kind, n.to.id, n.note]).at(-1), [
      'requestDeclined',
      'ann',
      'Over budget',
    ]);
  });

  it('reserves while approved and releases once used or expired, 30 days after the planned end', () => {
    let n = 0;
    const id = () => `e${++n}`;
    const r = make();
    const approved = withRequestEntries(r, approveRequest(r, pat, NOW), id);
    assert.deepEqual(
      approved.ledgerEntries?.map((e) => e.reserved),
      [250_000],
    );
    const declined = withRequestEntries(r, declineRequest(r, pat, 'no', NOW), id);
    assert.equal(declined.ledgerEntries, undefined);
    const clean: FundRequest = { ...approved, ledgerEntries: [] };
    assert.equal(isExpiryDue(clean, '2026-05-30'), false);
    assert.equal(isExpiryDue(clean, '2026-05-31'), true);
    assert.equal(expireRequest(clean, '2026-05-30T23:00:00.000Z'), clean);
    const expired = expireRequest(clean, '2026-05-31T00:00:00.000Z');
    assert.equal(expired.status, 'expired');
    assert.deepEqual(expired.outbox.map((n) => n.kind).at(-1), 'requestExpired');
    assert.deepEqual(
      withRequestEntries(clean, expired, id).ledgerEntries?.map((e) => e.reserved),
      [-250_000],
    );
    assert.deepEqual(
      withRequestEntries(clean, useRequest(clean, ann, 'CLM-0003', NOW), id).ledgerEntries?.map(
        (e) => e.reserved,
      ),
      [-250_000],
    );
    assert.equal(isExpiryDue(expired, '2027-01-01'), false);
  });
});
