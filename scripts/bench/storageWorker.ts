import { CosmosEmulator, startCosmosEmulator } from '../../src/local/cosmosEmulator';
import { CountingProxy, startCountingProxy } from '../../testkit/countingProxy';
import { serve } from './rpc';

/**
 * Worker thread: the Cosmos DB emulator (as src/local starts it, in memory) and the counting proxy
 * in front of it, on their own event loop, like a storage service the bot reaches over the network.
 */

let emulator: CosmosEmulator | undefined;
let proxy: CountingProxy | undefined;

const api = {
  async start(): Promise<{ emulator: string; proxy: string; key: string }> {
    emulator = await startCosmosEmulator({});
    proxy = await startCountingProxy(emulator.endpoint);
    return { emulator: emulator.endpoint, proxy: proxy.endpoint, key: emulator.key };
  },
  counts: () => {
    if (!proxy) throw new Error('storage not started');
    return proxy.counts();
  },
  async stop(): Promise<void> {
    await proxy?.stop();
    await emulator?.stop();
  },
};

export type StorageApi = typeof api;

serve(api);
