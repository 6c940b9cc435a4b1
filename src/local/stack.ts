import path from 'node:path';
import { startAzurite } from './azurite';
import { startCosmosEmulator } from './cosmosEmulator';

export interface LocalStack {
  readonly cosmos: { readonly endpoint: string; readonly key: string };
  readonly storageConnectionString: string;
  stop(): Promise<void>;
}

/**
 * The local default: the Cosmos DB emulator in this process and Azurite as a child process, both on
 * loopback and reached through the real SDKs. With a data folder both keep their data across restarts.
 */
export async function startLocalStack(opts: { dataDir: string | undefined }): Promise<LocalStack> {
  const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : undefined;
  const [cosmos, azurite] = await Promise.all([
    startCosmosEmulator({ dataFile: dataDir && path.join(dataDir, 'cosmos', 'documents.json') }),
    startAzurite({ dataDir: dataDir && path.join(dataDir, 'azurite') }),
  ]);
  return {
    cosmos: { endpoint: cosmos.endpoint, key: cosmos.key },
    storageConnectionString: azurite.connectionString,
    stop: async () => {
      await Promise.all([cosmos.stop(), azurite.stop()]);
    },
  };
}
