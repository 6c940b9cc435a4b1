import assert from 'node:assert/strict';
import { addDocument } from '../../src/domain/claim';
import { CosmosClaimRepository } from '../../src/store/claims';
import { suiteDatabase } from '../support/stack';
import { NOW, actor, builder, invoice, newTenant } from './contract/claimFixtures';

/** Past the second in which one instance's reads of the tenant record are shared (freshness.ts). */
const pastTheSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));

/**
 * A claim card's duplicate invoices are found with one query on the tenant's invoice keys, kept
 * while the tenant's `invoiceKeys` stamp stays (a card shown again makes no query; the emulator
 * would scan the container for it). Every write that changes a key counts the stamp, so another
 * instance's kept answer gives way to it.
 */
describe('store/claims: duplicate invoices kept per tenant stamp, on two instances (Cosmos emulator)', function () {
  this.timeout(30_000);
  const database = suiteDatabase();

  it('an invoice another instance adds to another claim shows once the stamp is read again', async () => {
    const [one, two] = [
      new CosmosClaimRepository(database()),
      new CosmosClaimRepository(database()),
    ];
    const t = newTenant();
    const by = actor(t, 'u-1');
    const sha = 'a'.repeat(64);
    const first = await one.create(t, 'a', builder(by));
    const second = await two.create(t, 'b', builder(by));
    const mine = await two.update(t, second.number, 'add-mine', (c) =>
      addDocument(c, by, invoice('d-1', sha), NOW),
    );
    assert.deepEqual(await two.duplicatesOf(mine), [], 'no other claim holds it yet');
    await one.update(t, first.number, 'add-theirs', (c) =>
      addDocument(c, by, invoice('d-2', sha), NOW),
    );
    await pastTheSecond();
    assert.deepEqual(
      (await two.duplicatesOf(mine)).map((h) => h.number),
      [first.number],
      'the other instance shows the duplicate, not what it kept',
    );
  });
});
