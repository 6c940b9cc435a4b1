import assert from 'node:assert/strict';
import type { Claim } from '../../src/domain/claim';
import { ledgerKey, ledgerOf } from '../../src/domain/fund';
import { CosmosClaimRepository } from '../../src/store/claims';
import { TeamsUser } from '../support/teams';
import { addFund, createClaim, grant, seedReady } from '../bot/world';
import { TwoInstances, startTwoInstances } from './twoInstances';

const CLAIMS = 6;

/**
 * The two-step approval (issue 31) on two instances behind the round-robin balancer: the second
 * approval clicked by two reviewers at once, on the two instances, decides each claim once and
 * converts its reservation once.
 */
describe('scale: two approvals with parallel clicks on two instances (issue 31)', function () {
  this.timeout(180_000);
  let two: TwoInstances;

  before(async () => {
    two = await startTwoInstances();
  });
  after(async () => {
    await two?.stop();
  });

  it(`${CLAIMS} claims above Second approval above: parallel second approvals never double-count`, async () => {
    const { w, first } = two;
    const tenant = w.teams.tenant('Two steps');
    const admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: first.bootstrapAdmins[0] });
    const olga = w.teams.user(tenant, 'Olga of Two steps');
    const [rita, ravi, rosa] = ['Rita', 'Ravi', 'Rosa'].map((n) =>
      w.teams.user(tenant, `${n} of Two steps`),
    );
    const group = w.teams.groupChat(tenant, [admin, olga, rita, ravi, rosa]);
    await grant(w, admin, group, olga, 'incentives user');
    for (const r of [rita, ravi, rosa]) await grant(w, admin, group, r, 'reviewer');
    await addFund(w, admin, { Name: 'Two steps', 'Allocated amount': '10,000.00' });
    const [fund] = await w.app.services.funds.list(tenant.id);
    await w.app.services.policy.change(tenant.id, (current) => ({
      record: { ...current, policy: { ...current.policy, secondApprovalAbove: { USD: 100_00 } } },
      changes: [
        {
          by: { id: admin.aadObjectId, name: admin.name },
          at: new Date().toISOString(),
          rule: 'secondApprovalAbove',
          currency: 'USD',
          to: 100_00,
        },
      ],
    }));
    const invoke = (u: TeamsUser, verb: string, data: Record<string, string>) =>
      w.teams.invoke(u, u.personal, verb, data);
    const numbers: string[] = [];
    for (let i = 0; i < CLAIMS; i++) {
      const { number } = await createClaim(w, olga, { Title: `Two steps ${i}`, Amount: '200.00' });
      await seedReady(w, olga, number);
      assert.match((await invoke(olga, 'submit', { claim: number })).text, /Submitted\./);
      await invoke(rita, 'startReview', { claim: number });
      numbers.push(number);
    }
    const firsts = await Promise.all(
      numbers.map((n) => invoke(rita, 'approve', { claim: n, approvedAmount: '200.00' })),
    );
    for (const r of firsts) assert.match(r.text, /Approval 1 of 2/);

    // Ravi and Rosa press Approve on every claim at once: the balancer spreads the clicks over both.
    const seconds = await Promise.all(
      numbers.flatMap((n) =>
        [ravi, rosa].map((u) => invoke(u, 'approve', { claim: n, approvedAmount: '200.00' })),
      ),
    );
    for (const r of seconds) {
      assert.equal(r.invokeStatus, 200);
      assert.match(
        r.text,
        /Approved|This cannot be done while the claim is Approved/,
        r.text.slice(0, 300),
      );
    }
    const claims = (await Promise.all(
      numbers.map((n) => w.app.services.claims.get(tenant.id, n)),
    )) as Claim[];
    for (const c of claims) {
      assert.equal(c.status, 'approved', c.number);
      assert.equal(
        c.history.filter((e) => e.kind === 'approved').length,
        1,
        `${c.number}: one decision`,
      );
      assert.equal(c.history.filter((e) => e.kind === 'approvalFirst').length, 1);
      assert.ok([ravi.aadObjectId, rosa.aadObjectId].includes(c.decidedBy?.id ?? ''));
    }
    const sums = ledgerOf(claims)[ledgerKey(fund.id, 'USD')];
    assert.equal(sums.approved, CLAIMS * 200_00);
    assert.equal(sums.pending, 0);
    await Promise.all(numbers.map((n) => w.app.services.claims.postLedgerEntries(tenant.id, n)));
    const recorded = (await new CosmosClaimRepository(two.db).fundLedger(tenant.id))[
      ledgerKey(fund.id, 'USD')
    ];
    assert.deepEqual(
      recorded,
      sums,
      'the stored sums, as any instance reads them, equal the claims',
    );
  });
});
