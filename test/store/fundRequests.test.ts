import assert from 'node:assert/strict';
import type { CosmosDb } from '../../src/store/cosmos';
import { cosmosRepositories } from '../../src/store/cosmosRepositories';
import { CosmosFundRequestRepository } from '../../src/store/fundRequests';
import { FundExhaustedError, ledgerKey } from '../../src/domain/fund';
import { approveRequest, newFundRequest } from '../../src/domain/fundRequest';
import { money } from '../../src/domain/money';
import { dropTestDatabase, openTestDatabase } from '../support/stack';
import { NOW, actor, builder, fundOf, newTenant } from './contract/claimFixtures';
import { fundRequestRepositoryContract } from './contract/fundRequests.contract';

/** Fund requests beside the claims, reserving through the claims' fund gate, on the emulator. */
describe('store/fundRequests on the Cosmos emulator', function () {
  this.timeout(20_000);

  let db: CosmosDb;

  before(async function () {
    this.timeout(60_000);
    db = await openTestDatabase();
  });

  after(() => dropTestDatabase(db));

  it('two instances approving requests and submitting claims on one fund never over-commit it', async () => {
    // As with SCALE_OUT: each instance's turn waits for its postings.
    const instances = [0, 1].map(() => {
      const { claims, funds } = cosmosRepositories(db, { awaitPostings: true });
      return { claims, funds, requests: new CosmosFundRequestRepository(db, claims.ledgerGate()) };
    });
    const [a] = instances;
    const t = newTenant();
    const funds = a.funds;
    const fund = await fundOf(funds, { tenantId: t, id: 'fund-1', allocated: 100_000 });
    const user = actor(t, 'u-ann');
    const admin = actor(t, 'u-ada', ['incentivesAdmin']);
    const requests: string[] = [];
    for (let i = 0; i < 4; i++) {
      const made = await a.requests.create(t, `form-${i}`, (seq) =>
        newFundRequest({
          actor: user,
          seq,
          formId: `form-${i}`,
          input: {
            activity: `Activity ${i}`,
            activityType: 'event',
            plannedStart: '2026-04-01',
            plannedEnd: '2026-04-02',
            plannedAmount: '300.00',
            fundId: 'fund-1',
          },
          fund,
          locale: 'en-US',
          now: NOW,
          admins: [],
        }),
      );
      requests.push(made.number);
    }
    const claims: string[] = [];
    for (let i = 0; i < 4; i++) {
      const made = await a.claims.create(t, `claim-${i}`, (seq) => ({
        ...builder(user, `Claim ${i}`)(seq),
        amount: money(30_000, 'EUR'),
      }));
      claims.push(made.number);
    }
    const outcomes = await Promise.allSettled([
      ...requests.map((n, i) =>
        instances[i % 2].requests.update(t, n, `approve-${i}`, (r) =>
          approveRequest(r, admin, NOW),
        ),
      ),
      ...claims.map((n, i) =>
        instances[(i + 1) % 2].claims.update(t, n, `submit-${i}`, (c) => ({
          ...c,
          status: 'submitted',
        })),
      ),
    ]);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    for (const o of refused) assert.ok(o.reason instanceof FundExhaustedError, String(o.reason));
    assert.equal(outcomes.length - refused.length, 3, 'three of 300.00 fit in 1,000.00');
    const fresh = cosmosRepositories(db).claims;
    await Promise.all(instances.map((i) => i.claims.fundLedger(t)));
    const sums = (await fresh.fundLedger(t))[ledgerKey('fund-1', 'EUR')];
    const approved = await Promise.all(requests.map((n) => a.requests.get(t, n)));
    const submitted = await Promise.all(claims.map((n) => fresh.get(t, n)));
    const held = approved.filter((r) => r?.status === 'approved').length * 30_000;
    const pending = submitted.filter((c) => c?.status === 'submitted').length * 30_000;
    assert.deepEqual([sums.reserved ?? 0, sums.pending], [held, pending], 'the record matches');
    assert.equal(held + pending, 90_000);
  });

  fundRequestRepositoryContract(() => {
    const { claims, funds } = cosmosRepositories(db);
    return {
      claims,
      funds,
      requests: new CosmosFundRequestRepository(db, claims.ledgerGate()),
    };
  });
});
