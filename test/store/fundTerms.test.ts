import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Fund } from '../../src/domain/fund';
import { money } from '../../src/domain/money';
import { cosmosRepositories } from '../../src/store/cosmosRepositories';
import { suiteDatabase } from '../support/stack';

/**
 * `edit fund` (issue 32): funds were never changed, so each process kept a fund read once for its
 * life. A change on one instance is read by another at once (the funds stamp).
 */
describe('store/funds: a fund changed on one instance is read changed on another (Cosmos emulator)', function () {
  this.timeout(20_000);
  const db = suiteDatabase();

  it('the other instance’s kept copy and list give way to the change', async () => {
    const tenantId = `tenant-${randomUUID()}`;
    const fund: Fund = {
      id: 'f1',
      tenantId,
      name: 'Half fund',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      allocated: money(1_000_000, 'USD'),
      createdBy: { id: 'a', name: 'Ada' },
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    const [one, two] = [cosmosRepositories(db()).funds, cosmosRepositories(db()).funds];
    await one.create(fund);
    assert.deepEqual(await two.get(tenantId, 'f1'), fund);
    assert.deepEqual(await two.list(tenantId), [fund]);
    const capped = await one.update(tenantId, 'f1', (f) => ({
      ...f,
      capPerClaim: money(40_000, 'USD'),
    }));
    assert.deepEqual(await two.get(tenantId, 'f1'), capped);
    assert.deepEqual(await two.list(tenantId), [capped]);
  });
});
