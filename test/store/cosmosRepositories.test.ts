import type { CosmosDb } from '../../src/store/cosmos';
import { cosmosRepositories } from '../../src/store/cosmosRepositories';
import { CosmosInstanceRoll } from '../../src/store/instanceRoll';
import { CosmosJobLeases } from '../../src/store/jobLeases';
import { CosmosUploadRepository } from '../../src/store/uploads';
import { dropTestDatabase, openTestDatabase } from '../support/stack';
import { fundRepositoryContract } from './contract/funds.contract';
import { instanceRollContract } from './contract/instanceRoll.contract';
import { jobLeasesContract } from './contract/jobLeases.contract';
import { uploadRepositoryContract } from './contract/uploads.contract';
import { userRepositoryContract } from './contract/users.contract';

/** The small Cosmos repositories have nothing of their own to test beyond their contracts. */
describe('store/funds, users, uploads and job leases on the Cosmos emulator', function () {
  this.timeout(20_000);

  let db: CosmosDb;

  before(async function () {
    this.timeout(60_000);
    db = await openTestDatabase();
  });

  after(() => dropTestDatabase(db));

  fundRepositoryContract(() => cosmosRepositories(db).funds);
  userRepositoryContract(() => cosmosRepositories(db).users);
  uploadRepositoryContract(() => new CosmosUploadRepository(db));
  jobLeasesContract(() => new CosmosJobLeases(db));
  instanceRollContract(() => new CosmosInstanceRoll(db));
});
