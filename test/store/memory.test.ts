import { MemoryClaimRepository } from '../../src/store/memory/claims';
import { MemoryClaimSearch } from '../../src/store/memory/claimSearch';
import { MemoryConversationRepository } from '../../src/store/memory/conversations';
import { MemoryFileStore } from '../../src/store/memory/files';
import { MemoryFundRepository } from '../../src/store/memory/funds';
import { MemoryInstanceRoll } from '../../src/store/memory/instanceRoll';
import { MemoryJobLeases } from '../../src/store/memory/jobLeases';
import { MemoryUploadRepository } from '../../src/store/memory/uploads';
import { MemoryUserRepository } from '../../src/store/memory/users';
import type { ClaimStoreUnderTest } from './contract/claimFixtures';
import { claimFundsContract } from './contract/claimFunds.contract';
import { claimHistoryContract } from './contract/claimHistory.contract';
import { claimRecordContract } from './contract/claimRecord.contract';
import { invoiceKeysContract } from './contract/invoiceKeys.contract';
import { claimSearchContract } from './contract/claimSearch.contract';
import { claimListsContract } from './contract/claimLists.contract';
import { claimRepositoryContract } from './contract/claims.contract';
import { conversationRepositoryContract } from './contract/conversations.contract';
import { exportStoreContract } from './contract/exports.contract';
import { MB, fileStoreContract } from './contract/files.contract';
import { exportStore } from '../../src/store/exports';
import { fundRepositoryContract } from './contract/funds.contract';
import { fundRequestRepositoryContract } from './contract/fundRequests.contract';
import { MemoryFundRequestRepository } from '../../src/store/memory/fundRequests';
import { instanceRollContract } from './contract/instanceRoll.contract';
import { jobLeasesContract } from './contract/jobLeases.contract';
import { uploadRepositoryContract } from './contract/uploads.contract';
import { userRepositoryContract } from './contract/users.contract';
import { claimVisibilityContract } from './contract/claimVisibility.contract';

describe('store/memory: the in-memory twins keep every storage contract', () => {
  const claimStore = (): ClaimStoreUnderTest => {
    const funds = new MemoryFundRepository();
    return { funds, claims: new MemoryClaimRepository({ funds }) };
  };
  claimRepositoryContract(claimStore);
  claimHistoryContract(claimStore);
  claimRecordContract(claimStore);
  invoiceKeysContract(claimStore);
  claimSearchContract(() => {
    const claims = new MemoryClaimRepository({ funds: new MemoryFundRepository() });
    return { claims, search: new MemoryClaimSearch(claims) };
  });
  claimListsContract(claimStore);
  claimVisibilityContract(() => {
    const funds = new MemoryFundRepository();
    const claims = new MemoryClaimRepository({ funds });
    return { funds, claims, search: new MemoryClaimSearch(claims) };
  });
  claimFundsContract(claimStore);
  fundRepositoryContract(() => new MemoryFundRepository());
  fundRequestRepositoryContract(() => {
    const funds = new MemoryFundRepository();
    const claims = new MemoryClaimRepository({ funds });
    return { funds, claims, requests: new MemoryFundRequestRepository({ claims, funds }) };
  });
  userRepositoryContract(() => new MemoryUserRepository());
  conversationRepositoryContract(() => new MemoryConversationRepository());
  uploadRepositoryContract(() => new MemoryUploadRepository());
  fileStoreContract(() => new MemoryFileStore({ maxBytes: MB }));
  exportStoreContract(() => {
    const documents = new MemoryFileStore({ maxBytes: MB });
    const kept = new MemoryFileStore({ maxBytes: MB });
    return { documents, exports: exportStore(documents, kept) };
  });
  jobLeasesContract(() => new MemoryJobLeases());
  instanceRollContract(() => new MemoryInstanceRoll());
});
