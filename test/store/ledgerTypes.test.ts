import assert from 'node:assert/strict';
import { ledgerKey, typeKey } from '../../src/domain/fund';
import { lacksTypeSums } from '../../src/domain/ledgerTypes';
import { CosmosClaimRepository } from '../../src/store/claims';
import type { CosmosDb } from '../../src/store/cosmos';
import { dropTestDatabase, openTestDatabase } from '../support/stack';
import { actor, builder, fundOf, newTenant } from './contract/claimFixtures';
import { cosmosRepositories } from '../../src/store/cosmosRepositories';

/**
 * Issue 33 on a database written before it: a tenant's ledger without sums per activity type gets
 * them once from its claims, keeping its fund sums and the ids of the entries it posted.
 */
describe('store: a ledger stored before issue 33 gets its sums per activity type (Cosmos emulator)', function () {
  this.timeout(60_000);
  let db: CosmosDb;

  before(async () => {
    db = await openTestDatabase();
  });
  after(() => dropTestDatabase(db));

  it('the first read adds them from the claims; fund sums and posted ids stay', async () => {
    const t = newTenant();
    const by = actor(t, 'u-1');
    await fundOf(cosmosRepositories(db).funds, { tenantId: t, id: 'fund-1', allocated: 10_000_00 });
    const repo = new CosmosClaimRepository(db);
    const claim = await repo.create(t, 'f', builder(by));
    await repo.update(t, claim.number, 'submit', (c) => ({
      ...c,
      status: 'submitted',
      submittedAt: '2026-02-11T09:00:00.000Z',
    }));
    const now = await repo.fundLedger(t);
    assert.equal(now[typeKey('fund-1', 'EUR', 'webinar')]?.pending, 150000);

    // The record as a version before issue 33 wrote it: the fund's sums, none per activity type.
    const record = db.container('claims').item('counter', t);
    const { resource } = await record.read<{
      ledger: { funds: Record<string, unknown>; posted: string[] };
    }>();
    assert.ok(resource);
    const old = { [ledgerKey('fund-1', 'EUR')]: now[ledgerKey('fund-1', 'EUR')] };
    await record.replace({ ...resource, ledger: { ...resource.ledger, funds: old } });

    const fresh = new CosmosClaimRepository(db);
    const upgraded = await fresh.fundLedger(t);
    assert.equal(lacksTypeSums(upgraded), false);
    assert.deepEqual(upgraded, now);
    const stored = (await record.read<{ ledger: { funds: unknown; posted: string[] } }>()).resource;
    assert.deepEqual(stored?.ledger.funds, now, 'written back: made once');
    assert.deepEqual(stored?.ledger.posted, resource.ledger.posted);
  });
});
