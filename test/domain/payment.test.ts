import assert from 'node:assert/strict';
import {
  Claim,
  PaymentInput,
  approve,
  createClaim,
  dispute,
  permissions,
  recordPayment,
} from '../../src/domain/claim';
import { AppError } from '../../src/domain/errors';
import { FundLedger, ledgerEntries, ledgerOf, postEntry, totalsFrom } from '../../src/domain/fund';
import { money } from '../../src/domain/money';
import { INFO, TENANT, actor } from './claimFixtures';

const owner = actor('u-owner', ['incentivesUser']);
const reviewer = actor('u-reviewer', ['reviewer']);
const payer = actor('u-payer', ['incentivesAdmin']);
const NOW = '2026-05-01T09:00:00.000Z';

/** An approved claim ($1,500 claimed, $1,200 approved) reviewed by `reviewer`. */
function approvedClaim(): Claim {
  const created = createClaim({
    actor: owner,
    seq: 7,
    formId: 'form-7',
    fund: { id: 'fund-1', currency: 'USD' },
    info: INFO,
    now: NOW,
  });
  const underReview: Claim = {
    ...created,
    status: 'underReview',
    reviewer: { id: reviewer.userId, name: reviewer.name },
  };
  return approve(underReview, reviewer, money(1_200_00, 'USD'), 'fine', NOW, 'No catering.');
}

const PAYMENT = {
  method: 'bankTransfer',
  amount: '1,200.00',
  date: '2026-04-30',
  reference: 'PAY-2026-0042',
};

function refused(f: () => unknown, code: string, field?: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, code);
    if (field) assert.deepEqual(e.issues.map((i) => i.field).includes(field), true);
    return true;
  });
}

describe('domain/claim/payment', () => {
  it('Approved → Paid with the payment, one history event and a notification to the owner', () => {
    const claim = approvedClaim();
    const paid = recordPayment(claim, payer, PAYMENT, 'en-US', NOW);
    assert.equal(paid.status, 'paid');
    assert.deepEqual(paid.payments, [
      {
        ...PAYMENT,
        amount: money(1_200_00, 'USD'),
        by: { id: payer.userId, name: payer.name },
        at: NOW,
      },
    ]);
    const event = paid.history[paid.history.length - 1];
    assert.equal(event.kind, 'paid');
    assert.equal(event.item, PAYMENT.reference);
    const sent = paid.outbox.filter((n) => n.kind === 'paid');
    assert.deepEqual(
      sent.map((n) => n.to.id),
      [owner.userId],
    );
    assert.equal(sent[0].details.paymentReference, PAYMENT.reference);
    assert.equal(paid.hands, claim.hands, 'recording a payment gives no hand in the claim');
  });

  it('a Paid claim stays approved money: only the paid sum moves on the fund', () => {
    const claim = approvedClaim();
    const paid = recordPayment(claim, payer, PAYMENT, 'en-US', NOW);
    let id = 0;
    const entries = ledgerEntries(claim, paid, () => `e${++id}`);
    assert.equal(entries.length, 1);
    assert.deepEqual(
      { ...entries[0], id: 'x' },
      {
        id: 'x',
        fundId: 'fund-1',
        currency: 'USD',
        claimed: 0,
        approved: 0,
        pending: 0,
        paid: 1_200_00,
      },
    );
    const fund = {
      id: 'fund-1',
      tenantId: TENANT,
      name: 'FY26',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      allocated: money(10_000_00, 'USD'),
      createdBy: { id: payer.userId, name: payer.name },
      createdAt: NOW,
    };
    const before = ledgerOf([claim]);
    const after: FundLedger = entries.reduce(postEntry, before);
    assert.deepEqual(after, ledgerOf([paid]), 'posting the entry = summing the claims afresh');
    const t = totalsFrom(fund, after);
    assert.equal(t.approved.minor, 1_200_00);
    assert.equal(t.paid.minor, 1_200_00);
    assert.equal(t.claimed.minor, 1_500_00);
    assert.equal(t.remaining.minor, totalsFrom(fund, before).remaining.minor);
    assert.equal(totalsFrom(fund, before).paid.minor, 0);
  });

  it('only an Incentives or global admin with no hand in the claim, not its reviewer, may record it', () => {
    const claim = approvedClaim();
    assert.equal(permissions(payer, claim).recordPayment, true);
    assert.equal(permissions(actor('u-global', ['globalAdmin']), claim).recordPayment, true);
    refused(() => recordPayment(claim, owner, PAYMENT, 'en-US', NOW), 'NOT_ALLOWED');
    const reviewingAdmin = actor(reviewer.userId, ['reviewer', 'incentivesAdmin']);
    assert.equal(permissions(reviewingAdmin, claim).recordPayment, false);
    refused(
      () => recordPayment(claim, reviewingAdmin, PAYMENT, 'en-US', NOW),
      'HAD_A_HAND_PAYMENT',
    );
    const ownerAdmin = actor(owner.userId, ['incentivesAdmin']);
    refused(() => recordPayment(claim, ownerAdmin, PAYMENT, 'en-US', NOW), 'HAD_A_HAND_PAYMENT');
    refused(
      () => recordPayment(claim, actor('u-other', ['reviewer']), PAYMENT, 'en-US', NOW),
      'NOT_ALLOWED',
    );
  });

  it('after a dispute, the reviewer who decided it again may not record its payment either', () => {
    const disputer = actor('u-disputer', ['incentivesAdmin']);
    const second = actor('u-second', ['reviewer', 'incentivesAdmin']);
    const disputed = dispute(approvedClaim(), disputer, 'Look again at the invoice.', [], NOW);
    const decided = approve(disputed, second, money(1_500_00, 'USD'), 'All of it.', NOW);
    assert.equal(decided.decidedBy?.id, second.userId);
    assert.equal(permissions(second, decided).recordPayment, false, 'decided it');
    assert.equal(permissions(reviewer, decided).recordPayment, false, 'took it');
    assert.equal(permissions(payer, decided).recordPayment, true);
    assert.throws(
      () => recordPayment(decided, second, PAYMENT, 'en-US', NOW),
      (e: unknown) => e instanceof AppError,
    );
  });

  it('only an Approved claim can be paid, and only once', () => {
    const claim = approvedClaim();
    const paid = recordPayment(claim, payer, PAYMENT, 'en-US', NOW);
    refused(() => recordPayment(paid, payer, PAYMENT, 'en-US', NOW), 'STATUS_FORBIDS');
    refused(
      () => recordPayment({ ...claim, status: 'underReview' }, payer, PAYMENT, 'en-US', NOW),
      'STATUS_FORBIDS',
    );
    assert.equal(permissions(payer, paid).dispute, false, 'a payment is final');
  });

  it('refuses a missing, invalid or future date and a missing or overlong reference', () => {
    const claim = approvedClaim();
    const bad = (input: PaymentInput, field: string) =>
      refused(() => recordPayment(claim, payer, input, 'en-US', NOW), 'INVALID_INPUT', field);
    bad({ ...PAYMENT, date: '' }, 'paymentDate');
    bad({ ...PAYMENT, date: '2026-02-30' }, 'paymentDate');
    bad({ ...PAYMENT, date: '2026-05-02' }, 'paymentDate');
    bad({ ...PAYMENT, date: 42 }, 'paymentDate');
    bad({ ...PAYMENT, reference: '  ' }, 'paymentReference');
    bad({ ...PAYMENT, reference: 'x'.repeat(101) }, 'paymentReference');
    bad({ ...PAYMENT, reference: ['PAY'] }, 'paymentReference');
  });
});
