import { sharedStack } from '../support/stack';
import { TeamsUser, Tenant } from '../support/teams';
import { World, addFund, createClaim, grant } from '../bot/world';
import { FileServer } from '../bot/fileServer';
import { FaultProxy } from './faultProxy';
import { startTrustWorld } from './kit';

/** A trust world whose Blob storage is reached through a FaultProxy, with a file drive and a claim. */
export interface BlobFaultWorld {
  readonly w: World;
  readonly proxy: FaultProxy;
  /** The app's storage connection string, through the proxy. */
  readonly connectionString: string;
  readonly drive: FileServer;
  readonly tenant: Tenant;
  /** An incentives user who owns the claim `number`. */
  readonly olivia: TeamsUser;
  readonly number: string;
  stop(): Promise<void>;
}

export async function startBlobFaultWorld(
  claimTitle: string,
  env: Record<string, string> = {},
): Promise<BlobFaultWorld> {
  const { storageConnectionString } = await sharedStack();
  const { proxy, connectionString } = await FaultProxy.inFrontOfBlob(storageConnectionString);
  const w = await startTrustWorld(
    // One retry, at once: the SDK's default four tries wait 16 s before the user hears of a fault.
    { STORAGE_CONNECTION_STRING: connectionString, STORAGE_MAX_TRIES: '2', ...env },
    { storage: 'emulators' },
  );
  const drive = await FileServer.start();
  const tenant = w.teams.tenant('contoso');
  const ada = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
  const olivia = w.teams.user(tenant, 'Olivia Owner');
  await grant(w, ada, w.teams.groupChat(tenant, [ada, olivia]), olivia, 'incentives user');
  await addFund(w, ada);
  const { number } = await createClaim(w, olivia, { Title: claimTitle });
  return {
    w,
    proxy,
    connectionString,
    drive,
    tenant,
    olivia,
    number,
    stop: async () => {
      await proxy.recover();
      await w.stop();
      await drive.stop();
      await proxy.stop();
    },
  };
}
