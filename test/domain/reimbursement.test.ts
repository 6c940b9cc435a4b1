import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Claim, PaymentInput, approve, createClaim, recordPayment } from '../../src/domain/claim';
import { AppError } from '../../src/domain/errors';
import { ledgerEntries, ledgerOf, paidOf, postEntry } from '../../src/domain/fund';
import { formatAmountInput, minorDigits, money } from '../../src/domain/money';
import {
  EXCHANGE_RATE_DIGITS,
  FULL_RATE,
  convert,
  reimbursable,
  reimbursableOf,
  roundHalfUp,
} from '../../src/domain/reimbursement';
import { INFO, T0, owner, reviewer, incentivesAdmin } from './claimFixtures';

const RUNS = { numRuns: 500 };
const cost = fc.integer({ min: 0, max: 1_000_000_000_00 });
const rate = fc.integer({ min: 1, max: FULL_RATE });

describe('domain/reimbursement: rate, cap and exchange rate in integer minor units, half-up', () => {
  it('rounds half-up: the nearest integer, a half to the larger one', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (n, d) => {
          const r = roundHalfUp(n, d);
          const twice = 2n * (n - r * d); // twice the rounding error, in units of 1/d
          assert.ok(twice >= -d && twice < d, `${n}/${d} → ${r}`);
        },
      ),
      RUNS,
    );
    assert.equal(roundHalfUp(5n, 2n), 3n, '2.5 → 3');
    assert.equal(roundHalfUp(7n, 2n), 4n, '3.5 → 4 (not to even)');
    assert.equal(roundHalfUp(149n, 100n), 1n);
  });

  it('at 100 % without a cap the reimbursable amount is the cost, to the minor unit', () => {
    fc.assert(
      fc.property(cost, (minor) => {
        assert.deepEqual(
          reimbursable(money(minor, 'USD'), { rate: FULL_RATE }),
          money(minor, 'USD'),
        );
      }),
      RUNS,
    );
  });

  it('a rate neither creates nor loses a minor unit: within half a unit of the exact share, never above the cost', () => {
    fc.assert(
      fc.property(cost, rate, (minor, bp) => {
        const due = reimbursable(money(minor, 'USD'), { rate: bp }).minor;
        assert.ok(Number.isSafeInteger(due) && due >= 0 && due <= minor);
        const error = 2 * (due * FULL_RATE - minor * bp); // twice the error, in 1/10,000 units
        assert.ok(error > -FULL_RATE && error <= FULL_RATE, `${minor} at ${bp}: ${due}`);
        // The owner's share and the fund's add up to the cost exactly.
        assert.equal(due + (minor - due), minor);
      }),
      RUNS,
    );
  });

  it('a cap is the most a claim gets; below it the rate alone decides', () => {
    fc.assert(
      fc.property(cost, rate, fc.integer({ min: 1, max: 1_000_000_00 }), (minor, bp, cap) => {
        const free = reimbursable(money(minor, 'USD'), { rate: bp }).minor;
        const capped = reimbursable(money(minor, 'USD'), {
          rate: bp,
          capPerClaim: money(cap, 'USD'),
        }).minor;
        assert.equal(capped, Math.min(free, cap));
      }),
      RUNS,
    );
  });

  it('an exchange rate converts within half a minor unit of the exact amount, between currencies of any digits', () => {
    const currency = fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'GBP');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.integer({ min: 1, max: 1_000 * 10 ** EXCHANGE_RATE_DIGITS }),
        currency,
        currency,
        (minor, scaled, from, to) => {
          const converted = BigInt(convert(money(minor, from), to, scaled).minor);
          const exact = BigInt(minor) * BigInt(scaled) * 10n ** BigInt(minorDigits(to));
          const unit = 10n ** BigInt(minorDigits(from) + EXCHANGE_RATE_DIGITS);
          const twice = 2n * (converted * unit - exact);
          assert.ok(
            twice > -unit && twice <= unit,
            `${minor} ${from} at ${scaled} → ${converted} ${to}`,
          );
        },
      ),
      RUNS,
    );
    const one = 10 ** EXCHANGE_RATE_DIGITS;
    assert.deepEqual(convert(money(123_45, 'EUR'), 'USD', one), money(123_45, 'USD'), 'at 1:1');
    assert.deepEqual(
      convert(money(1_000, 'JPY'), 'USD', 6_500),
      money(6_50, 'USD'),
      '¥1,000 → $6.50',
    );
    assert.deepEqual(convert(money(1, 'JPY'), 'USD', 6_500), money(1, 'USD'), '$0.0065 → 1 cent');
  });
});

describe('domain/claim/payment: payments add up to the approved amount, never past it', () => {
  const NOW = '2026-05-01T09:00:00.000Z';
  /** A claim of `minor` approved in full at a 100 % fund. */
  const approved = (minor: number): Claim => {
    const created = createClaim({
      actor: owner,
      seq: 9,
      formId: 'form-9',
      fund: { id: 'fund-1', currency: 'USD' },
      info: { ...INFO, amount: money(minor, 'USD') },
      now: T0,
    });
    const inReview: Claim = {
      ...created,
      status: 'underReview',
      reviewer: { id: reviewer.userId, name: reviewer.name },
    };
    return approve(inReview, reviewer, money(minor, 'USD'), '', NOW);
  };
  const pay = (claim: Claim, minor: number): Claim => {
    const input: PaymentInput = {
      method: 'check',
      amount: formatAmountInput(money(minor, 'USD'), 'en-US'),
      date: '2026-04-30',
      reference: `PAY-${minor}`,
    };
    return recordPayment(claim, incentivesAdmin, input, 'en-US', NOW);
  };

  it('Partly paid until the payments reach the approved amount, then Paid; more than owed is refused, nothing lost', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_00 }),
        fc.array(fc.integer({ min: 1, max: 600_000_00 }), { minLength: 1, maxLength: 15 }),
        (total, tries) => {
          let claim = approved(total);
          let ledger = ledgerOf([claim]);
          let paid = 0;
          for (const minor of tries) {
            if (claim.status === 'paid') break;
            if (paid + minor > total) {
              assert.throws(
                () => pay(claim, minor),
                (e: unknown) => e instanceof AppError && e.code === 'PAYMENT_OVER_OWED',
              );
              continue;
            }
            const next = pay(claim, minor);
            ledger = ledgerEntries(claim, next, () => 'e').reduce(postEntry, ledger);
            claim = next;
            paid += minor;
            assert.equal(paidOf(claim), paid);
            assert.equal(claim.status, paid === total ? 'paid' : 'approved');
          }
          assert.deepEqual(ledger, ledgerOf([claim]), 'posting each payment = summing afresh');
          assert.equal(Object.values(ledger)[0].paid, paid);
          assert.equal(reimbursableOf(claim)?.minor, total);
        },
      ),
      { numRuns: 200 },
    );
  });
});
