import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AppError } from '../../src/domain/errors';
import {
  ClaimAmounts,
  Fund,
  FundLedger,
  FundExhaustedError,
  FundTotals,
  LedgerEntry,
  commitsMore,
  ledgerEntries,
  ledgerKey,
  ledgerOf,
  negated,
  postEntry,
  reserveEntries,
  totalsFrom,
} from '../../src/domain/fund';
import { readFund } from '../../src/domain/fundInput';

/** The totals of a fund with these claims, summed from scratch. */
const fundTotals = (fund: Fund, claims: readonly ClaimAmounts[]): FundTotals =>
  totalsFrom(fund, ledgerOf(claims));
import { Money, money } from '../../src/domain/money';
import { Actor, Role } from '../../src/domain/roles';
import { CLAIM_STATUSES, ClaimStatus } from '../../src/domain/status';

const eur = (minor: number): Money => money(minor, 'EUR');

const FUND: Fund = {
  id: 'fund-1',
  tenantId: 'tenant-a',
  name: 'FY27 H1',
  periodStart: '2026-07-01',
  periodEnd: '2026-12-31',
  allocated: eur(1_000_000),
  createdBy: { id: 'u-admin', name: 'Ada Admin' },
  createdAt: '2026-06-01T00:00:00.000Z',
};

const claim = (
  status: ClaimStatus,
  amount: number,
  approved?: number,
  fundId = FUND.id,
): ClaimAmounts => ({
  fundId,
  status,
  amount: eur(amount),
  ...(approved === undefined ? {} : { approvedAmount: eur(approved) }),
});

const actor = (roles: Role[]): Actor => ({
  tenantId: 'tenant-a',
  userId: 'u-1',
  name: 'Ada Admin',
  roles: new Set(roles),
});

describe('domain/fund', () => {
  describe('fundTotals', () => {
    it('a fund without claims has everything remaining', () => {
      assert.deepEqual(fundTotals(FUND, []), {
        allocated: eur(1_000_000),
        claimed: eur(0),
        approved: eur(0),
        pending: eur(0),
        remaining: eur(1_000_000),
        paid: eur(0),
        reserved: eur(0),
      });
    });

    it('counts each status as product.md says', () => {
      const expected: Record<ClaimStatus, { claimed: number; pending: number; approved: number }> =
        {
          editing: { claimed: 0, pending: 0, approved: 0 },
          submitted: { claimed: 100, pending: 100, approved: 0 },
          underReview: { claimed: 100, pending: 100, approved: 0 },
          actionRequired: { claimed: 100, pending: 100, approved: 0 },
          approved: { claimed: 100, pending: 0, approved: 60 },
          rejected: { claimed: 0, pending: 0, approved: 0 },
          disputed: { claimed: 100, pending: 100, approved: 0 },
          paid: { claimed: 100, pending: 0, approved: 60 },
        };
      for (const [status, e] of Object.entries(expected) as [
        ClaimStatus,
        (typeof expected)['editing'],
      ][]) {
        const t = fundTotals(FUND, [
          claim(status, 100, ['approved', 'disputed', 'paid'].includes(status) ? 60 : undefined),
        ]);
        assert.deepEqual(
          { claimed: t.claimed.minor, pending: t.pending.minor, approved: t.approved.minor },
          e,
          status,
        );
        assert.equal(t.remaining.minor, 1_000_000 - e.approved - e.pending, status);
      }
    });

    it('adds up claims in every status', () => {
      const t = fundTotals(FUND, [
        claim('editing', 1_000),
        claim('submitted', 2_000),
        claim('underReview', 3_000),
        claim('actionRequired', 4_000),
        claim('approved', 5_000, 4_500),
        claim('rejected', 6_000),
        claim('disputed', 7_000, 7_000),
      ]);
      assert.deepEqual(t.claimed, eur(2_000 + 3_000 + 4_000 + 5_000 + 7_000));
      assert.deepEqual(t.pending, eur(2_000 + 3_000 + 4_000 + 7_000));
      assert.deepEqual(t.approved, eur(4_500));
      assert.deepEqual(t.remaining, eur(1_000_000 - 4_500 - 16_000));
      assert.deepEqual(t.allocated, FUND.allocated);
    });

    it('a partial approval frees the difference', () => {
      const pending = fundTotals(FUND, [claim('underReview', 300_000)]);
      assert.equal(pending.remaining.minor, 700_000);
      const partial = fundTotals(FUND, [claim('approved', 300_000, 200_000)]);
      assert.equal(partial.remaining.minor, 800_000);
      assert.equal(partial.claimed.minor, 300_000);
      assert.equal(partial.approved.minor, 200_000);
      const rejected = fundTotals(FUND, [claim('rejected', 300_000)]);
      assert.equal(rejected.remaining.minor, 1_000_000);
    });

    it('an approved claim without an approved amount counts nothing as approved', () => {
      const t = fundTotals(FUND, [claim('approved', 300_000)]);
      assert.equal(t.approved.minor, 0);
      assert.equal(t.pending.minor, 0);
    });

    it('ignores other funds and other currencies', () => {
      const t = fundTotals(FUND, [
        claim('submitted', 1_000, undefined, 'fund-2'),
        claim('approved', 2_000, 2_000, 'fund-2'),
        { fundId: FUND.id, status: 'submitted', amount: money(5_000, 'USD') },
        {
          fundId: FUND.id,
          status: 'approved',
          amount: money(5_000, 'USD'),
          approvedAmount: money(5_000, 'USD'),
        },
        claim('submitted', 10),
      ]);
      assert.deepEqual(t.claimed, eur(10));
      assert.deepEqual(t.pending, eur(10));
      assert.deepEqual(t.approved, eur(0));
      assert.deepEqual(t.remaining, eur(1_000_000 - 10));
    });

    it('remaining goes negative when more is pending than allocated', () => {
      const t = fundTotals(FUND, [claim('submitted', 900_000), claim('submitted', 200_000)]);
      assert.equal(t.remaining.minor, -100_000);
    });
  });

  describe('the ledger', () => {
    const state = fc.record({
      status: fc.constantFrom(...CLAIM_STATUSES),
      amount: fc.integer({ min: 1, max: 10_000_000 }),
      approved: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
      fundId: fc.constantFrom('fund-a', 'fund-b'),
    });
    type State = {
      status: ClaimStatus;
      amount: number;
      approved: number | undefined;
      fundId: string;
    };
    const asClaim = (x: State): ClaimAmounts => claim(x.status, x.amount, x.approved, x.fundId);

    it('the entries of every change of a claim add up to the sums of where it ended (fund moves too)', () => {
      fc.assert(
        fc.property(
          fc.array(fc.array(state, { minLength: 1, maxLength: 8 }), { maxLength: 5 }),
          (histories) => {
            let ledger: FundLedger = {};
            let n = 0;
            for (const history of histories) {
              let before: ClaimAmounts | undefined;
              for (const step of history) {
                const after = asClaim(step);
                for (const e of ledgerEntries(before, after, () => `e${++n}`))
                  ledger = postEntry(ledger, e);
                before = after;
              }
            }
            const finals = histories.map((h) => asClaim(h[h.length - 1]));
            const expected = ledgerOf(finals);
            assert.ok(
              finals.length === 0 || Object.keys(expected).length > 0,
              'the sums are compared where there are some',
            );
            for (const key of [ledgerKey('fund-a', 'EUR'), ledgerKey('fund-b', 'EUR')]) {
              const zero = { currency: 'EUR', claimed: 0, approved: 0, pending: 0, paid: 0 };
              assert.deepEqual(ledger[key] ?? zero, expected[key] ?? zero);
            }
          },
        ),
      );
    });

    it('a change that moves no sum makes no entry; each entry has its own id', () => {
      const submitted = claim('submitted', 1000);
      assert.deepEqual(
        ledgerEntries(submitted, claim('underReview', 1000), () => 'x'),
        [],
      );
      let n = 0;
      const moved = ledgerEntries(
        submitted,
        claim('submitted', 1000, undefined, 'other'),
        () => `id${++n}`,
      );
      assert.deepEqual(
        moved.map((e) => [e.id, e.fundId, e.claimed]),
        [
          ['id1', FUND.id, -1000],
          ['id2', 'other', 1000],
        ],
      );
    });
  });

  describe('readFund', () => {
    const input = {
      fundName: ' FY27 H1 ',
      allocated: '25.000,00',
      currency: 'eur',
      periodStart: '2026-07-01',
      periodEnd: '2026-12-31',
    };
    const NOW = '2026-06-01T08:00:00.000Z';

    function issues(values: Record<string, unknown>, locale = 'nl-NL'): string[] {
      try {
        readFund(values, actor(['incentivesAdmin']), locale, NOW, 'f1');
      } catch (e) {
        assert.ok(e instanceof AppError);
        assert.equal(e.code, 'INVALID_INPUT');
        return e.issues.map((i) => `${i.field}:${i.problem}`).sort();
      }
      return assert.fail('expected INVALID_INPUT');
    }

    it('reads a fund for an incentives admin or a global admin', () => {
      for (const roles of [['incentivesAdmin'], ['globalAdmin']] as Role[][]) {
        const fund = readFund(input, actor(roles), 'nl-NL', NOW, 'f1');
        assert.deepEqual(fund, {
          id: 'f1',
          tenantId: 'tenant-a',
          name: 'FY27 H1',
          periodStart: '2026-07-01',
          periodEnd: '2026-12-31',
          graceDays: 45,
          allocated: eur(2_500_000),
          createdBy: { id: 'u-1', name: 'Ada Admin' },
          createdAt: NOW,
        });
      }
    });

    it("reads the amount in the currency's own decimals", () => {
      const fund = readFund(
        { ...input, currency: 'JPY', allocated: '1,500,000' },
        actor(['globalAdmin']),
        'en-US',
        NOW,
        'f',
      );
      assert.deepEqual(fund.allocated, money(1_500_000, 'JPY'));
    });

    it('refuses anyone else before reading the input', () => {
      for (const roles of [['incentivesUser'], ['reviewer'], []] as Role[][]) {
        assert.throws(
          () => readFund({}, actor(roles), 'en-US', NOW, 'f1'),
          (e: unknown) => e instanceof AppError && e.code === 'NOT_ALLOWED',
        );
      }
    });

    it('refuses an unknown currency code', () => {
      for (const currency of ['XYZ', 'EURO', 'E1R', '€']) {
        assert.deepEqual(issues({ ...input, currency }), ['currency:currencyUnknown'], currency);
      }
      assert.deepEqual(issues({ ...input, currency: '  ' }), ['currency:required']);
    });

    it('refuses an end before the start, and accepts a one-day period', () => {
      assert.deepEqual(issues({ ...input, periodEnd: '2026-06-30' }), ['periodEnd:endBeforeStart']);
      const oneDay = readFund(
        { ...input, periodEnd: input.periodStart },
        actor(['incentivesAdmin']),
        'nl-NL',
        NOW,
        'f',
      );
      assert.equal(oneDay.periodEnd, oneDay.periodStart);
    });

    it('refuses bad amounts', () => {
      assert.deepEqual(issues({ ...input, allocated: '12a' }), ['allocated:amountFormat']);
      assert.deepEqual(issues({ ...input, allocated: '0' }), ['allocated:amountPositive']);
      assert.deepEqual(issues({ ...input, allocated: '-5' }), ['allocated:amountNegative']);
      assert.deepEqual(issues({ ...input, allocated: '1,234' }), ['allocated:amountDecimals']);
      assert.deepEqual(issues({ ...input, allocated: undefined }), ['allocated:required']);
    });

    it('reports every problem at once', () => {
      assert.deepEqual(
        issues({
          fundName: '',
          currency: 'EUR',
          allocated: 'lots',
          periodStart: '2026-02-30',
          periodEnd: '',
        }),
        [
          'allocated:amountFormat',
          'fundName:required',
          'periodEnd:required',
          'periodStart:dateInvalid',
        ],
      );
      assert.deepEqual(issues({ ...input, fundName: 'n'.repeat(81) }), ['fundName:tooLong']);
    });
  });

  describe('reserveEntries: approved + pending never above allocated', () => {
    const allocated = new Map([['f1', money(100_000, 'EUR')]]);
    const entry = (id: string, sums: Partial<LedgerEntry>): LedgerEntry => ({
      id,
      fundId: 'f1',
      currency: 'EUR',
      claimed: 0,
      approved: 0,
      pending: 0,
      ...sums,
    });
    const submit = (id: string, minor: number) => entry(id, { claimed: minor, pending: minor });
    const refusedWith = (run: () => unknown, remaining: number) =>
      assert.throws(
        run,
        (e: unknown) =>
          e instanceof FundExhaustedError &&
          e.code === 'FUND_EXHAUSTED' &&
          e.remaining.minor === remaining &&
          e.remaining.currency === 'EUR',
      );

    it('takes what fits to the last minor unit and refuses one more, naming what remains', () => {
      const seventy = reserveEntries({}, [submit('a', 70_000)], allocated);
      refusedWith(() => reserveEntries(seventy, [submit('b', 70_000)], allocated), 30_000);
      const full = reserveEntries(seventy, [submit('b', 30_000)], allocated);
      assert.equal(full[ledgerKey('f1', 'EUR')].pending, 100_000);
      refusedWith(() => reserveEntries(full, [submit('c', 1)], allocated), 0);
    });

    it('an approval below the claim frees the difference; a re-opened claim must fit again', () => {
      const full = reserveEntries({}, [submit('a', 100_000)], allocated);
      const approve = entry('b', { approved: 60_000, pending: -100_000 });
      assert.equal(commitsMore([approve]), false);
      const approved = reserveEntries(full, [approve], allocated);
      refusedWith(() => reserveEntries(approved, [submit('c', 50_000)], allocated), 40_000);
      const dispute = entry('d', { approved: -60_000, pending: 100_000 });
      assert.equal(commitsMore([dispute]), true);
      const withOther = reserveEntries(approved, [submit('c', 40_000)], allocated);
      refusedWith(() => reserveEntries(withOther, [dispute], allocated), 0);
    });

    it('money reserved by approved fund requests counts against the allocation until released', () => {
      const held = reserveEntries({}, [entry('r1', { reserved: 60_000 })], allocated);
      assert.equal(commitsMore([entry('r2', { reserved: 1 })]), true);
      refusedWith(() => reserveEntries(held, [submit('a', 50_000)], allocated), 40_000);
      refusedWith(
        () => reserveEntries(held, [entry('r2', { reserved: 40_001 })], allocated),
        40_000,
      );
      const released = reserveEntries(held, [entry('r1-used', { reserved: -60_000 })], allocated);
      assert.equal(released[ledgerKey('f1', 'EUR')].reserved, 0);
      const totals = totalsFrom(FUND, held);
      assert.deepEqual(totals.reserved, eur(0), 'another fund id: not this fund');
      const withClaim = reserveEntries(held, [submit('a', 10_000)], allocated);
      const own = totalsFrom({ ...FUND, id: 'f1' }, withClaim);
      assert.deepEqual(
        [own.reserved, own.pending, own.remaining],
        [eur(60_000), eur(10_000), eur(FUND.allocated.minor - 70_000)],
      );
      assert.deepEqual(negated(entry('x', { reserved: 5 })).reserved, -5);
    });

    it('a fund not known, or another currency than its own, has nothing to give', () => {
      refusedWith(() => reserveEntries({}, [{ ...submit('a', 1), fundId: 'f2' }], allocated), 0);
      assert.throws(
        () => reserveEntries({}, [{ ...submit('a', 1), currency: 'USD' }], allocated),
        FundExhaustedError,
      );
    });
  });
});
