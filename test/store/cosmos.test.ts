import assert from 'node:assert/strict';
import { CosmosDb, openCosmos, queryAll } from '../../src/store/cosmos';
import { CountingProxy, startCountingProxy } from '../../testkit/countingProxy';
import { sharedStack } from '../support/stack';

describe('Cosmos access (on the emulator, counted at a proxy)', () => {
  const database = `cosmos-${process.pid}`;
  let proxy: CountingProxy;
  let db: CosmosDb;

  before(async () => {
    const stack = await sharedStack();
    proxy = await startCountingProxy(stack.cosmos.endpoint);
    db = await openCosmos({ endpoint: proxy.endpoint, key: stack.cosmos.key, database });
    const users = db.container('users');
    for (const [tenantId, id] of [
      ['t1', 'a'],
      ['t1', 'b'],
      ['t2', 'c'],
    ]) {
      await users.items.create({ id, tenantId, n: id });
    }
  });
  after(async () => {
    db.close();
    await proxy.stop();
  });

  const operations = (): Record<string, number> => ({ ...proxy.counts()[database]?.operations });

  it('sends a query within one tenant as one request, without a query plan', async () => {
    const before = operations();
    const rows = await queryAll<{ id: string }>(
      db.container('users'),
      'SELECT c.id FROM c WHERE c.tenantId = @t ORDER BY c.id DESC',
      [{ name: '@t', value: 't1' }],
    );
    assert.deepEqual(
      rows.map((r) => r.id),
      ['b', 'a'],
    );
    const after = operations();
    assert.equal((after['users.query'] ?? 0) - (before['users.query'] ?? 0), 1);
    assert.equal(after['users.queryPlan'] ?? 0, before['users.queryPlan'] ?? 0);
  });

  it('still asks for the plan of a query across tenants, and answers it', async () => {
    const before = operations();
    const rows = await queryAll<{ id: string }>(
      db.container('users'),
      "SELECT c.id FROM c WHERE c.id != 'x'",
      [],
    );
    assert.deepEqual(rows.map((r) => r.id).sort(), ['a', 'b', 'c']);
    const after = operations();
    assert.equal((after['users.queryPlan'] ?? 0) - (before['users.queryPlan'] ?? 0), 1);
  });
});
