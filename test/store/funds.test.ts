import assert from 'node:assert/strict';
import { CosmosDb, openCosmos } from '../../src/store/cosmos';
import { CosmosFundRepository } from '../../src/store/funds';
import { testConfig } from '../support/stack';
import { fundRepositoryContract } from './contract/funds.contract';

describe('store/funds on the Cosmos emulator', function () {
  this.timeout(20_000);

  let db: CosmosDb;

  before(async function () {
    this.timeout(60_000);
    const config = await testConfig();
    assert.ok(config.cosmos);
    db = await openCosmos(config.cosmos);
  });

  after(async () => {
    if (!db) return;
    await db.database.delete();
    db.close();
  });

  fundRepositoryContract(() => new CosmosFundRepository(db));
});
