import { DefaultAzureCredential } from '@azure/identity';
import type { Config } from './config';
import { LocalStack, startLocalStack } from './local/stack';
import { BlobFileStore } from './store/blobFileStore';
import { CosmosClaimSearch } from './store/claims';
import { CosmosConversationRepository } from './store/conversations';
import { openCosmos } from './store/cosmos';
import { cosmosRepositories } from './store/cosmosRepositories';
import { exportContainerOf, exportStore } from './store/exports';
import { sweepExpiredItems } from './store/expiry';
import { CosmosFundRequestRepository } from './store/fundRequests';
import { CosmosFundEndNoticeRepository } from './store/fundEndNotices';
import { CosmosInstanceRoll } from './store/instanceRoll';
import { CosmosJobLeases } from './store/jobLeases';
import type { Storage } from './store/storage';
import { wipeTenant } from './store/tenantWipe';
import { CosmosUploadRepository } from './store/uploads';

/** Storage on Cosmos DB and Blob storage, with the local emulators they need if any. */
export interface CosmosStorage extends Storage {
  /** The emulators this storage started (no Azure endpoints configured), else undefined. */
  readonly localStack: LocalStack | undefined;
}

/** Where Blob storage is, and the Cosmos DB settings: Azure's, or the local stack's. */
async function endpoints(config: Config) {
  let credential: DefaultAzureCredential | undefined;
  /** Managed identity in Azure (AZURE_CLIENT_ID picks the user-assigned one). */
  const entraCredential = (): DefaultAzureCredential => {
    credential ??= new DefaultAzureCredential(
      config.azureClientId ? { managedIdentityClientId: config.azureClientId } : {},
    );
    return credential;
  };
  const blob = config.storageConnectionString
    ? { connectionString: config.storageConnectionString }
    : config.storageAccountUrl
      ? { accountUrl: config.storageAccountUrl, credential: entraCredential() }
      : undefined;
  const localStack =
    config.cosmos && blob ? undefined : await startLocalStack({ dataDir: config.localDataDir });
  const cosmos = config.cosmos
    ? { ...config.cosmos, ...(config.cosmos.key ? {} : { credential: entraCredential() }) }
    : { ...localStack!.cosmos, database: config.cosmosDatabase };
  return {
    localStack,
    cosmos,
    blob: blob ?? { connectionString: localStack!.storageConnectionString },
  };
}

/**
 * The app's storage in production and `npm run dev`: Cosmos DB and Blob storage in Azure when their
 * endpoints are configured, else the local emulators (Cosmos DB emulator and Azurite), started here.
 */
export async function openCosmosStorage(config: Config): Promise<CosmosStorage> {
  const { localStack, cosmos, blob } = await endpoints(config);
  const db = await openCosmos(cosmos).catch(async (e: unknown) => {
    await localStack?.stop();
    throw e;
  });
  const blobStore = (containerName: string): BlobFileStore =>
    new BlobFileStore({
      connection: blob,
      containerName,
      maxBytes: config.maxUploadBytes,
      maxTries: config.storageMaxTries,
    });
  const files = blobStore(config.blobContainer);
  const exportFiles = blobStore(exportContainerOf(config.blobContainer));
  await Promise.all([files.init(), exportFiles.init()]);
  const { claims, funds, users, policy } = cosmosRepositories(db, {
    awaitPostings: config.scaleOut,
  });
  return {
    localStack,
    claims,
    claimSearch: new CosmosClaimSearch(db),
    funds,
    fundRequests: new CosmosFundRequestRepository(db, claims.ledgerGate()),
    fundEndNotices: new CosmosFundEndNoticeRepository(db),
    users,
    policy,
    conversations: new CosmosConversationRepository(db, { shared: config.scaleOut }),
    uploads: new CosmosUploadRepository(db),
    files,
    exports: exportStore(files, exportFiles),
    leases: new CosmosJobLeases(db),
    roll: new CosmosInstanceRoll(db),
    pingDatabase: () => db.ping(),
    wipeTenant: (tenantId, opts) => wipeTenant(db, tenantId, opts),
    sweepExpired: (now) => sweepExpiredItems(db, now),
    close: async () => {
      db.close();
      await localStack?.stop();
    },
  };
}
