import assert from 'node:assert/strict';
import { FundExhaustedError, ledgerKey } from '../../../src/domain/fund';
import {
  FundRequest,
  approveRequest,
  declineRequest,
  expireRequest,
  newFundRequest,
  useRequest,
} from '../../../src/domain/fundRequest';
import type { Actor } from '../../../src/domain/roles';
import type { FundLedgerPort } from '../../../src/store/claims';
import type { FundRepository } from '../../../src/store/funds';
import type { FundRequestRepository } from '../../../src/store/fundRequests';
import { NOW, actor, fundOf, newTenant } from './claimFixtures';

/** A request store, with the claim store whose fund sums it reserves on, and the funds. */
export interface FundRequestStoreUnderTest {
  readonly requests: FundRequestRepository;
  readonly claims: FundLedgerPort;
  readonly funds: FundRepository;
}

const TODAY = NOW.slice(0, 10);

/** What every FundRequestRepository does; `make` gives the implementation under test. */
export function fundRequestRepositoryContract(make: () => FundRequestStoreUnderTest): void {
  describe('FundRequestRepository contract', () => {
    let s: FundRequestStoreUnderTest;
    before(() => {
      s = make();
    });

    /** A tenant with fund-1 of €1,000.00, a requester and an admin. */
    async function tenantWithFund(allocated = 100_000) {
      const tenantId = newTenant();
      const fund = await fundOf(s.funds, { tenantId, id: 'fund-1', allocated });
      return {
        tenantId,
        fund,
        user: actor(tenantId, 'u-ann'),
        admin: actor(tenantId, 'u-ada', ['incentivesAdmin']),
      };
    }

    const request = (
      t: Awaited<ReturnType<typeof tenantWithFund>>,
      formId: string,
      amount = '200.00',
      by: Actor = t.user,
    ): Promise<FundRequest> =>
      s.requests.create(t.tenantId, formId, (seq) =>
        newFundRequest({
          actor: by,
          seq,
          formId,
          input: {
            activity: `Activity ${formId}`,
            activityType: 'webinar',
            plannedStart: '2026-04-01',
            plannedEnd: '2026-04-02',
            plannedAmount: amount,
            fundId: 'fund-1',
          },
          fund: t.fund,
          locale: 'en-US',
          now: NOW,
          admins: [{ id: t.admin.userId, name: t.admin.name }],
        }),
      );

    const reserved = async (tenantId: string): Promise<number> =>
      (await s.claims.fundLedger(tenantId))[ledgerKey('fund-1', 'EUR')]?.reserved ?? 0;

    it('numbers requests per tenant; the same form twice is one request', async () => {
      const t = await tenantWithFund();
      const first = await request(t, 'form-a');
      const again = await request(t, 'form-a');
      const second = await request(t, 'form-b');
      assert.deepEqual(
        [first.number, again.number, second.number],
        ['REQ-0001', 'REQ-0001', 'REQ-0002'],
      );
      assert.deepEqual(await s.requests.get(t.tenantId, 'REQ-0001'), first);
      assert.equal(first.outbox.length, 1, 'the admin is told');
      assert.equal((await request(await tenantWithFund(), 'form-a')).number, 'REQ-0001');
      assert.equal(await s.requests.get(newTenant(), 'REQ-0001'), undefined);
      assert.equal(await s.requests.get(t.tenantId, 'REQ-0009'), undefined);
    });

    it('an approval reserves the amount; a decline reserves nothing', async () => {
      const t = await tenantWithFund();
      const a = await request(t, 'a');
      const b = await request(t, 'b');
      const approved = await s.requests.update(t.tenantId, a.number, 'act-1', (r) =>
        approveRequest(r, t.admin, NOW),
      );
      assert.equal(approved.status, 'approved');
      assert.equal(approved.expiresOn, '2026-05-02');
      await s.requests.update(t.tenantId, b.number, 'act-2', (r) =>
        declineRequest(r, t.admin, 'Not this quarter', NOW),
      );
      assert.equal(await reserved(t.tenantId), 20_000);
      assert.equal((await s.requests.get(t.tenantId, b.number))?.reason, 'Not this quarter');
    });

    it('an approval the fund cannot hold is refused with what remains, and nothing changes', async () => {
      const t = await tenantWithFund(30_000);
      const a = await request(t, 'a', '200.00');
      const b = await request(t, 'b', '150.00');
      await s.requests.update(t.tenantId, a.number, 'act-a', (r) =>
        approveRequest(r, t.admin, NOW),
      );
      await assert.rejects(
        s.requests.update(t.tenantId, b.number, 'act-b', (r) => approveRequest(r, t.admin, NOW)),
        (e: unknown) => e instanceof FundExhaustedError && e.remaining.minor === 10_000,
      );
      assert.equal((await s.requests.get(t.tenantId, b.number))?.status, 'requested');
      assert.equal(await reserved(t.tenantId), 20_000);
    });

    it('parallel approvals on one fund never reserve more than it holds', async () => {
      const t = await tenantWithFund(100_000);
      const made: FundRequest[] = [];
      for (let i = 0; i < 8; i++) made.push(await request(t, `p${i}`, '300.00'));
      const outcomes = await Promise.allSettled(
        made.map((r, i) =>
          s.requests.update(t.tenantId, r.number, `par-${i}`, (x) =>
            approveRequest(x, t.admin, NOW),
          ),
        ),
      );
      const approved = outcomes.filter((o) => o.status === 'fulfilled').length;
      assert.equal(approved, 3);
      for (const o of outcomes) {
        if (o.status === 'rejected')
          assert.ok(o.reason instanceof FundExhaustedError, String(o.reason));
      }
      assert.equal(await reserved(t.tenantId), 90_000);
      const stored = await Promise.all(made.map((r) => s.requests.get(t.tenantId, r.number)));
      assert.equal(stored.filter((r) => r?.status === 'approved').length, 3);
    });

    it('using a request releases its reservation once, however often it is pressed', async () => {
      const t = await tenantWithFund();
      const a = await request(t, 'a');
      await s.requests.update(t.tenantId, a.number, 'ap', (r) => approveRequest(r, t.admin, NOW));
      const use = (activityId: string) =>
        s.requests.update(t.tenantId, a.number, activityId, (r) =>
          useRequest(r, t.user, 'CLM-0007', NOW),
        );
      await Promise.all([use('u1'), use('u1'), use('u2')]);
      const used = await s.requests.get(t.tenantId, a.number);
      assert.equal(used?.status, 'used');
      assert.equal(used?.claimNumber, 'CLM-0007');
      assert.equal(used?.history.filter((e) => e.kind === 'used').length, 1);
      assert.equal(await reserved(t.tenantId), 0);
    });

    it('an approved request past its last day is open work; expiring it releases the money', async () => {
      const t = await tenantWithFund();
      const a = await request(t, 'a');
      await s.requests.update(t.tenantId, a.number, 'ap', (r) => approveRequest(r, t.admin, NOW));
      const key = { tenantId: t.tenantId, number: a.number };
      const later = '2026-05-03';
      const mine = async (day: string) =>
        (await s.requests.withOpenWork(day)).some(
          (k) => k.tenantId === key.tenantId && k.number === key.number,
        );
      // Its notifications are still owed: open either way until delivered; then only once due.
      const delivered = await s.requests.update(t.tenantId, a.number, 'delivered', (r) => ({
        ...r,
        outbox: r.outbox.map((n) => ({ ...n, state: 'delivered' as const })),
      }));
      assert.equal(delivered.outbox.length, 2);
      // Fund sums owed are open work too: posted (a read of the sums waits for that) before looking.
      assert.equal(await reserved(t.tenantId), 20_000);
      assert.equal(await mine(TODAY), false, 'not due yet');
      assert.equal(await mine(later), true, 'due after its last day');
      const expired = await s.requests.update(t.tenantId, a.number, 'expire', (r) =>
        expireRequest(r, `${later}T00:00:00.000Z`),
      );
      assert.equal(expired.status, 'expired');
      assert.equal(await reserved(t.tenantId), 0);
    });

    it('lists newest first, all of the tenant or one requester', async () => {
      const t = await tenantWithFund();
      await request(t, 'a');
      await request(t, 'b', '10.00', t.admin);
      await request(t, 'c');
      const all = await s.requests.list(t.tenantId, { size: 10 });
      assert.deepEqual(
        all.map((r) => r.number),
        ['REQ-0003', 'REQ-0002', 'REQ-0001'],
      );
      const anns = await s.requests.list(t.tenantId, { requesterId: t.user.userId, size: 1 });
      assert.deepEqual(
        anns.map((r) => r.number),
        ['REQ-0003'],
      );
      assert.deepEqual(await s.requests.list(newTenant(), { size: 10 }), []);
    });
  });
}
