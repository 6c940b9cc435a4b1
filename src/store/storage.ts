import type { ClaimRepository, ClaimSearch } from './claims';
import type { ConversationRepository } from './conversations';
import type { ExportStore } from './exports';
import type { FileStore } from './fileStore';
import type { FundEndNoticeRepository } from './fundEndNotices';
import type { FundRequestRepository } from './fundRequests';
import type { FundRepository } from './funds';
import type { InstanceRoll } from './instanceRoll';
import type { JobLeases } from './jobLeases';
import type { PolicyRepository } from './policy';
import type { UploadRepository } from './uploads';
import type { UserRepository } from './users';

/** Every storage port the app uses: one set on Cosmos DB and Blob storage, one in memory. */
export interface StoragePorts {
  readonly claims: ClaimRepository;
  readonly claimSearch: ClaimSearch;
  readonly funds: FundRepository;
  readonly fundRequests: FundRequestRepository;
  readonly fundEndNotices: FundEndNoticeRepository;
  readonly users: UserRepository;
  readonly policy: PolicyRepository;
  readonly conversations: ConversationRepository;
  readonly uploads: UploadRepository;
  readonly files: FileStore;
  readonly exports: ExportStore;
  readonly leases: JobLeases;
  readonly roll: InstanceRoll;
}

/** The ports with what the app needs of their storage as a whole. */
export interface Storage extends StoragePorts {
  /** Throws when the database is unreachable (for /readyz). */
  pingDatabase(): Promise<void>;
  /**
   * The local demo's `reset demo` (Cosmos DB only, see tenantWipe.ts): removes a tenant's claims,
   * fund requests, pending uploads and funds (except `keepFundIds`) and its fund sums.
   */
  readonly wipeTenant?: (
    tenantId: string,
    opts: { keepFundIds: readonly string[] },
  ) => Promise<void>;
  /**
   * Removes applied-activity items and 429 pauses past their keeping time (Cosmos DB only, see
   * expiry.ts; in memory nothing outlives the process); returns how many went.
   */
  readonly sweepExpired?: (now: Date) => Promise<number>;
  /** Closes the clients (and stops the local emulators when this storage started them). */
  close(): Promise<void>;
}
