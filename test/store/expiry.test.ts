import assert from 'node:assert/strict';
import { addComment } from '../../src/domain/claim';
import { CosmosDb, queryAll } from '../../src/store/cosmos';
import { cosmosRepositories } from '../../src/store/cosmosRepositories';
import { APPLIED_KEPT_MS, PAUSE_KEPT_MS, sweepExpiredItems } from '../../src/store/expiry';
import { CosmosInstanceRoll } from '../../src/store/instanceRoll';
import { dropTestDatabase, openTestDatabase } from '../support/stack';
import { actor, builder, newTenant } from './contract/claimFixtures';

/**
 * Issue 30: applied-activity items and 429 pauses do not stay forever. The emulator has no time to
 * live, so the app removes them with an explicit sweep (run under a job lease); this is that sweep
 * against the emulator.
 */
describe('store/expiry on the Cosmos emulator: applied activities and pauses past their time', function () {
  this.timeout(30_000);
  let db: CosmosDb;

  before(async function () {
    this.timeout(60_000);
    db = await openTestDatabase();
  });
  after(() => dropTestDatabase(db));

  const appliedIn = async (tenantId: string): Promise<number> =>
    (
      await queryAll<{ id: string }>(
        db.container('claims'),
        "SELECT c.id FROM c WHERE c.tenantId = @t AND c.type = 'appliedActivity'",
        [{ name: '@t', value: tenantId }],
      )
    ).length;

  it('keeps what is younger than its keeping time and removes what is older', async () => {
    const { claims } = cosmosRepositories(db);
    const t = newTenant();
    const ann = actor(t, 'u-ann');
    const { number } = await claims.create(t, 'form-1', builder(ann));
    for (let i = 0; i < 3; i++) {
      await claims.update(t, number, `turn-${i}`, (c) =>
        addComment(c, ann, `Note ${i}`, new Date().toISOString()),
      );
    }
    assert.equal(await appliedIn(t), 3);
    const roll = new CosmosInstanceRoll(db);
    const now = Date.now();
    await roll.pause('conversation-over', new Date(now - PAUSE_KEPT_MS - 1000));
    await roll.pause('conversation-on', new Date(now + 60_000));

    await sweepExpiredItems(db, new Date(now));
    assert.equal(await appliedIn(t), 3, 'fresh applied activities are kept');
    assert.equal(await roll.pausedUntil('conversation-over'), undefined, 'a pause long over goes');
    assert.equal(await roll.pausedUntil('conversation-on'), now + 60_000, 'a running pause stays');

    // A week and a day later, the same items are past their keeping time.
    await sweepExpiredItems(db, new Date(now + APPLIED_KEPT_MS + 86_400_000));
    assert.equal(await appliedIn(t), 0);
    assert.equal(await roll.pausedUntil('conversation-on'), undefined);
    // The claim itself and its history are untouched.
    const claim = await claims.get(t, number);
    assert.equal(claim?.history.filter((e) => e.kind === 'commented').length, 3);
  });
});
