import assert from 'node:assert/strict';
import { CosmosDb, openCosmos } from '../../src/store/cosmos';
import { CosmosUploadRepository } from '../../src/store/uploads';
import { testConfig } from '../support/stack';
import { uploadRepositoryContract } from './contract/uploads.contract';

describe('store/uploads on the Cosmos emulator', function () {
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

  uploadRepositoryContract(() => new CosmosUploadRepository(db));
});
