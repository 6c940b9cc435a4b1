// The fund request store: its port, its Cosmos DB implementation.
export * from './port';
export { CosmosFundRequestRepository } from './cosmosFundRequests';
