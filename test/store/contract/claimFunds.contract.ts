import assert from 'node:assert/strict';
import type { Claim } from '../../../src/domain/claim';
import { FundExhaustedError, ledgerKey, ledgerOf, totalsFrom } from '../../../src/domain/fund';
import { money } from '../../../src/domain/money';
import type { ClaimStatus } from '../../../src/domain/status';
import {
  ClaimStoreUnderTest,
  actor,
  builder,
  fundOf,
  fundRecord,
  newTenant,
  claimStoreInTests,
} from './claimFixtures';

/**
 * What every ClaimRepository does with the fund sums: a change that adds to a fund's approved +
 * pending is refused past the allocation, however many run at once; the sums equal the claims'.
 */
export function claimFundsContract(make: () => ClaimStoreUnderTest): void {
  describe('ClaimRepository contract: fund sums and reservations', () => {
    const under = claimStoreInTests(make);
    const { seed } = under;

    describe('fund reservations', () => {
      const submitted = (c: Claim): Claim => ({ ...c, status: 'submitted' });
      const key = ledgerKey('small', 'EUR');

      /** A tenant with a fund `small` of 4,000.00 EUR and `count` claims of 1,500.00 EUR on it. */
      async function smallFund(count: number): Promise<{ t: string; claims: Claim[] }> {
        const t = newTenant();
        await fundOf(under.store.funds, { tenantId: t, id: 'small', allocated: 400000 });
        const by = actor(t, 'u-1');
        const claims: Claim[] = [];
        for (let i = 0; i < count; i++) {
          claims.push(await under.repo.create(t, `small-${i}`, builder(by, `S${i}`, 'small')));
        }
        return { t, claims };
      }

      /** The stored sums equal what the tenant's claims add up to. */
      async function assertSumsMatchClaims(t: string): Promise<void> {
        const page = await under.repo.list(t, { kind: 'tenant' }, { size: 100 });
        assert.deepEqual((await under.repo.fundLedger(t))[key], ledgerOf(page.items)[key]);
      }

      it('a change that does not fit is refused naming what remains, and writes nothing', async () => {
        const { t, claims } = await smallFund(3);
        await under.repo.update(t, claims[0].number, 'submit-0', submitted);
        await under.repo.update(t, claims[1].number, 'submit-1', submitted);
        const before = await under.repo.get(t, claims[2].number);
        await assert.rejects(
          under.repo.update(t, claims[2].number, 'submit-2', submitted),
          (e: unknown) =>
            e instanceof FundExhaustedError &&
            e.remaining.minor === 100000 &&
            e.remaining.currency === 'EUR',
        );
        assert.deepEqual(await under.repo.get(t, claims[2].number), before);
        await assertSumsMatchClaims(t);
        assert.equal((await under.repo.fundLedger(t))[key]?.pending, 300000);
      });

      it('parallel submits never take a fund past its allocation', async () => {
        const { t, claims } = await smallFund(5);
        const outcomes = await Promise.allSettled(
          claims.map((c) => under.repo.update(t, c.number, `submit-${c.number}`, submitted)),
        );
        const refused = outcomes.filter((o) => o.status === 'rejected');
        assert.equal(outcomes.length - refused.length, 2);
        for (const r of refused) assert.ok(r.reason instanceof FundExhaustedError, r.reason);
        await assertSumsMatchClaims(t);
        assert.equal((await under.repo.fundLedger(t))[key]?.pending, 300000);
      });

      it('an approval frees what it does not approve; a rejection frees all', async () => {
        const { t, claims } = await smallFund(3);
        for (const c of claims.slice(0, 2))
          await under.repo.update(t, c.number, 'submit', submitted);
        await under.repo.update(t, claims[0].number, 'approve', (c) => ({
          ...c,
          status: 'approved',
          approvedAmount: money(50000, 'EUR'),
        }));
        await under.repo.update(t, claims[1].number, 'reject', (c) => ({
          ...c,
          status: 'rejected',
        }));
        await under.repo.update(t, claims[2].number, 'submit', submitted);
        assert.deepEqual((await under.repo.fundLedger(t))[key], {
          currency: 'EUR',
          claimed: 300000,
          approved: 50000,
          pending: 150000,
          paid: 0,
        });
        await assertSumsMatchClaims(t);
      });

      it('a claim on an unknown fund cannot be submitted', async () => {
        const t = newTenant();
        const claim = await under.repo.create(
          t,
          'f',
          builder(actor(t, 'u-1'), 'Lost', 'no-such-fund'),
        );
        await assert.rejects(
          under.repo.update(t, claim.number, 'submit', submitted),
          (e: unknown) => e instanceof FundExhaustedError && e.remaining.minor === 0,
        );
        assert.equal((await under.repo.get(t, claim.number))?.status, 'editing');
      });
    });

    describe('fundLedger', () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      const statuses: ClaimStatus[] = [
        'editing',
        'submitted',
        'underReview',
        'approved',
        'disputed',
        'submitted',
        'actionRequired',
        'rejected',
      ];

      before(async () => {
        for (const [i, status] of statuses.entries()) {
          await seed(t, by, `f${i + 1}`, {
            status,
            ...(status === 'approved' ? { approvedAmount: money(90000, 'EUR') } : {}),
            ...(i === 5 ? { fundId: 'fund-2' } : {}),
          });
        }
        const o = newTenant();
        await seed(o, actor(o, 'u-1'), 'elsewhere', { status: 'submitted' });
      });

      const fund1 = fundRecord({ tenantId: t, id: 'fund-1', allocated: 10_000_000 });

      it('the sums of every claim past Editing, per fund, this tenant only', async () => {
        const ledger = await under.repo.fundLedger(t);
        // Each fund's sums, and beside them its sums per activity type (issue 33).
        assert.deepEqual(Object.keys(ledger).sort(), [
          'fund-1 EUR',
          'fund-1 EUR webinar',
          'fund-2 EUR',
          'fund-2 EUR webinar',
        ]);
        const totals = totalsFrom(fund1, ledger);
        assert.equal(totals.claimed.minor, 5 * 150000);
        assert.equal(totals.pending.minor, 4 * 150000);
        assert.equal(totals.approved.minor, 90000);
        assert.deepEqual(ledger[ledgerKey('fund-2', 'EUR')], {
          currency: 'EUR',
          claimed: 150000,
          approved: 0,
          pending: 150000,
          paid: 0,
        });
        const page = await under.repo.list(t, { kind: 'tenant' }, { size: 100 });
        const claims = await Promise.all(page.items.map((c) => under.repo.get(t, c.number)));
        assert.deepEqual(
          ledger,
          ledgerOf(claims.filter((c) => c !== undefined)),
          'the ledger equals the sums counted from the claims',
        );
        const open = (await under.repo.withOpenNotifications()).filter((k) => k.tenantId === t);
        assert.deepEqual(open, [], 'every entry is posted and cleared from its claim');
        for (const c of page.items) {
          assert.deepEqual((await under.repo.get(t, c.number))?.ledgerEntries ?? [], []);
        }
      });

      it('a decision moves the sums at once; a lower approval frees the difference', async () => {
        const submitted = await seed(t, by, 'ledger-1', { status: 'submitted' });
        const before = totalsFrom(fund1, await under.repo.fundLedger(t));
        await under.repo.update(t, submitted.number, 'approve-low', (c) => ({
          ...c,
          status: 'approved',
          approvedAmount: money(100000, 'EUR'),
        }));
        const after = totalsFrom(fund1, await under.repo.fundLedger(t));
        assert.equal(after.pending.minor, before.pending.minor - 150000);
        assert.equal(after.approved.minor, before.approved.minor + 100000);
        assert.equal(after.remaining.minor, before.remaining.minor + 50000);
      });

      it('a tenant without claims has no sums', async () => {
        assert.deepEqual(await under.repo.fundLedger(newTenant()), {});
      });
    });
  });
}
