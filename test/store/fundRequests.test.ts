import assert from 'node:assert/strict';
import { CosmosClaimRepository } from '../../src/store/claims';
import { CosmosDb, openCosmos } from '../../src/store/cosmos';
import { CosmosFundRepository } from '../../src/store/funds';
import { CosmosFundRequestRepository } from '../../src/store/fundRequests';
import { testConfig } from '../support/stack';
import { fundRequestRepositoryContract } from './contract/fundRequests.contract';

/** Fund requests beside the claims, reserving through the claims' fund gate, on the emulator. */
describe('store/fundRequests on the Cosmos emulator', function () {
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

  fundRequestRepositoryContract(() => {
    const claims = new CosmosClaimRepository(db);
    return {
      claims,
      funds: new CosmosFundRepository(db),
      requests: new CosmosFundRequestRepository(db, claims.ledgerGate()),
    };
  });
});
