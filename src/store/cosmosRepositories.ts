import { CosmosClaimRepository, ClaimStoreOptions } from './claims/cosmosClaims';
import type { CosmosDb } from './cosmos';
import { CosmosFundRepository } from './funds';
import { CosmosPolicyRepository } from './policy';
import { CosmosUserRepository } from './users';

/**
 * The claim, fund, user and policy repositories of one database, sharing the tenant record: the fund and
 * role copies a process keeps are checked against its stamps (see TenantStamps).
 */
export function cosmosRepositories(
  db: CosmosDb,
  options: ClaimStoreOptions = {},
): {
  readonly claims: CosmosClaimRepository;
  readonly funds: CosmosFundRepository;
  readonly users: CosmosUserRepository;
  readonly policy: CosmosPolicyRepository;
} {
  const claims = new CosmosClaimRepository(db, options);
  return {
    claims,
    funds: new CosmosFundRepository({ db, stamps: claims.stamps }),
    users: new CosmosUserRepository({ db, stamps: claims.stamps }),
    policy: new CosmosPolicyRepository({ db, stamps: claims.stamps }),
  };
}
