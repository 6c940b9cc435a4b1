import { exportStore } from '../exports';
import type { Storage } from '../storage';
import { MemoryClaimRepository } from './claims';
import { MemoryClaimSearch } from './claimSearch';
import { MemoryConversationRepository } from './conversations';
import { MemoryFileStore } from './files';
import { MemoryFundEndNoticeRepository } from './fundEndNotices';
import { MemoryFundRequestRepository } from './fundRequests';
import { MemoryFundRepository } from './funds';
import { MemoryInstanceRoll } from './instanceRoll';
import { MemoryJobLeases } from './jobLeases';
import { MemoryUploadRepository } from './uploads';
import { MemoryPolicyRepository } from './policy';
import { MemoryUserRepository } from './users';

/**
 * Every storage port in this process's memory, for fast tests of everything above the store: each
 * twin keeps the contract its Cosmos DB or Blob implementation keeps (test/store/contract/). Its
 * file links lead nowhere, and it has no tenant wipe (the local demo runs on the emulators).
 */
export function memoryStorage(o: { readonly maxUploadBytes: number }): Storage {
  const funds = new MemoryFundRepository();
  const claims = new MemoryClaimRepository({ funds });
  const files = new MemoryFileStore({ maxBytes: o.maxUploadBytes });
  const exportFiles = new MemoryFileStore({ maxBytes: o.maxUploadBytes });
  return {
    claims,
    claimSearch: new MemoryClaimSearch(claims),
    funds,
    fundRequests: new MemoryFundRequestRepository({ claims, funds }),
    fundEndNotices: new MemoryFundEndNoticeRepository(),
    users: new MemoryUserRepository(),
    policy: new MemoryPolicyRepository(),
    conversations: new MemoryConversationRepository(),
    uploads: new MemoryUploadRepository(),
    files,
    exports: exportStore(files, exportFiles),
    leases: new MemoryJobLeases(),
    roll: new MemoryInstanceRoll(),
    pingDatabase: async () => {},
    close: async () => {},
  };
}
