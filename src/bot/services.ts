import type { AdaptiveCard } from '../../cards';
import type { Config } from '../config';
import type { Claim } from '../domain/claim';
import type { Person } from '../domain/roles';
import type { ClaimRepository } from '../store/claims';
import type { ClaimSearch } from '../store/claims';
import type { ConversationRepository } from '../store/conversations';
import type { FundRepository } from '../store/funds';
import type { FundRequestRepository } from '../store/fundRequests';
import type { ExportStore } from '../store/exports';
import type { FileStore } from '../store/fileStore';
import type { UploadRepository } from '../store/uploads';
import type { PolicyRepository } from '../store/policy';
import type { UserRepository } from '../store/users';

/** Everything a handler may use besides the turn itself. */
export interface Services {
  readonly claims: ClaimRepository;
  readonly claimSearch: ClaimSearch;
  readonly funds: FundRepository;
  readonly fundRequests: FundRequestRepository;
  readonly users: UserRepository;
  readonly policy: PolicyRepository;
  readonly conversations: ConversationRepository;
  readonly uploads: UploadRepository;
  readonly files: FileStore;
  readonly exports: ExportStore;
  readonly config: Pick<Config, 'bootstrapAdmins' | 'allowedDownloadHosts' | 'maxUploadBytes'>;
  readonly newId: () => string;
  /** Reads the totals of a claim's new invoices and CSRs in the background (see reading/). */
  readonly invoices: { readNew(claim: Claim): void };
  /** Starts delivery of a claim's queued notifications in the background. */
  readonly notifications: {
    kick(tenantId: string, number: string, saved?: Claim): void;
    /** Starts delivery of a fund request's queued notifications in the background. */
    kickRequest(tenantId: string, number: string): void;
    /** Brings posted claim cards up to date, except the one the change was made on. */
    cardsChanged(saved: Claim, except?: string): void;
    /** Sends a card to the user's own 1:1 chat with the bot now; false when it cannot be reached. */
    sendPrivately(tenantId: string, to: Person, card: AdaptiveCard): Promise<boolean>;
  };
  /** The local demo tenant, when the demo seed is on (only ever with the local emulators). */
  readonly demo?: {
    readonly tenantId: string;
    reset(services: Services, today: Date): Promise<{ readonly claims: number }>;
  };
}
