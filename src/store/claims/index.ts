// The claim store: its port, its Cosmos DB implementation, and the narrow ports it is made of.
export * from './port';
export * from './reviewQueue';
export * from './search';
export { CosmosClaimRepository, ClaimStoreOptions } from './cosmosClaims';
