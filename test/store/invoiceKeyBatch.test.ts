import assert from 'node:assert/strict';
import type { Container, OperationInput } from '@azure/cosmos';
import { addDocument, removeDocument } from '../../src/domain/claim';
import { CosmosClaimRepository } from '../../src/store/claims';
import { CosmosDb, queryAll } from '../../src/store/cosmos';
import { suiteDatabase } from '../support/stack';
import { NOW, actor, builder, invoice, newTenant } from './contract/claimFixtures';

/**
 * The database as a process sees it that dies at the request writing a claim: once `armed`, that
 * request fails and so does every batch after it (the process is gone; nothing it meant to do
 * afterwards, such as putting a key back, happens).
 */
function dyingAtClaimWrite(db: CosmosDb): { db: CosmosDb; arm(): void; dead(): boolean } {
  let armed = false;
  let dead = false;
  const claims = db.container('claims');
  const items = new Proxy(claims.items, {
    get(target, property) {
      if (property !== 'batch') return Reflect.get(target, property);
      return (operations: OperationInput[], ...rest: unknown[]) => {
        const writesClaim = operations.some(
          (o) => 'resourceBody' in o && (o.resourceBody as { type?: string }).type === 'claim',
        );
        if (armed && writesClaim) dead = true;
        if (dead) return Promise.reject(new Error('the process died'));
        return (target.batch as (...a: unknown[]) => unknown)(operations, ...rest);
      };
    },
  });
  const container = new Proxy(claims, {
    get: (target, property) => (property === 'items' ? items : Reflect.get(target, property)),
  }) as Container;
  return {
    db: { ...db, container: (name) => (name === 'claims' ? container : db.container(name)) },
    arm: () => {
      armed = true;
    },
    dead: () => dead,
  };
}

/**
 * Issue 32: a claim's invoice-key items are written in the claim's own transactional batch (same
 * partition: the tenant's), so a process dying at the claim's write leaves neither a key without
 * its claim (the key was written just before the claim, and kept) nor a claim without its key (a
 * dropped key was deleted just before, and put back only if the process lived on).
 */
describe('store/claims: invoice keys in the claim’s batch (Cosmos emulator)', function () {
  this.timeout(30_000);
  const database = suiteDatabase();

  /** The key items stored for claim `number`. */
  const keysOf = (t: string, number: string) =>
    queryAll<{ key: string }>(
      database().container('claims'),
      "SELECT c.key FROM c WHERE c.tenantId = @t AND c.type = 'invoiceKey' AND c.number = @n",
      [
        { name: '@t', value: t },
        { name: '@n', value: number },
      ],
    );

  it('dying at the write that adds an invoice leaves no key; at the one that removes it, the key stays', async () => {
    const db = database();
    const t = newTenant();
    const by = actor(t, 'u-1');
    const sha = 'f'.repeat(64);
    const adding = dyingAtClaimWrite(db);
    const created = await new CosmosClaimRepository(adding.db).create(t, 'a', builder(by));
    adding.arm();
    await assert.rejects(
      new CosmosClaimRepository(adding.db).update(t, created.number, 'add', (c) =>
        addDocument(c, by, invoice('d-1', sha), NOW),
      ),
      /the process died/,
    );
    assert.ok(adding.dead());
    const afterAdd = await new CosmosClaimRepository(db).get(t, created.number);
    assert.equal(afterAdd?.documents.length, 0, 'the claim was not written');
    assert.deepEqual(await keysOf(t, created.number), [], 'nor its key');

    const repo = new CosmosClaimRepository(db);
    await repo.update(t, created.number, 'add-again', (c) =>
      addDocument(c, by, invoice('d-1', sha), NOW),
    );
    assert.deepEqual(await keysOf(t, created.number), [{ key: `f.${sha}` }]);
    const removing = dyingAtClaimWrite(db);
    removing.arm();
    await assert.rejects(
      new CosmosClaimRepository(removing.db).update(t, created.number, 'remove', (c) =>
        removeDocument(c, by, 'd-1', NOW),
      ),
      /the process died/,
    );
    const afterRemove = await new CosmosClaimRepository(db).get(t, created.number);
    assert.equal(afterRemove?.documents.length, 1, 'the claim still holds the invoice');
    assert.deepEqual(await keysOf(t, created.number), [{ key: `f.${sha}` }], 'and its key');

    await repo.update(t, created.number, 'remove-again', (c) => removeDocument(c, by, 'd-1', NOW));
    assert.deepEqual(await keysOf(t, created.number), []);
  });
});
