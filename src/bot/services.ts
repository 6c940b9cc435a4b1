import type { AdaptiveCard } from '../../cards';
import type { Config } from '../config';
import type { Claim } from '../domain/claim';
import type { Person } from '../domain/roles';
import type { LocalDocuments } from '../local/localDocuments';
import type { RenderedView } from '../notify/cardRefresher';
import type { StoragePorts } from '../store/storage';

/**
 * Everything a handler may use besides the turn itself: the storage ports (but the job leases and
 * the instance roll and the fund-end notices, which only the app's start-up and notifications use)
 * and more.
 */
export interface Services extends Omit<StoragePorts, 'leases' | 'roll' | 'fundEndNotices'> {
  readonly config: Pick<
    Config,
    'bootstrapAdmins' | 'allowedDownloadHosts' | 'maxUploadBytes' | 'localLoop'
  >;
  readonly newId: () => string;
  /** Reads the totals of a claim's new invoices and CSRs in the background (see reading/). */
  readonly invoices: { readNew(claim: Claim): void };
  /** Starts delivery of a claim's queued notifications in the background. */
  readonly notifications: {
    kick(tenantId: string, number: string, saved?: Claim): void;
    /** Starts delivery of a fund request's queued notifications in the background. */
    kickRequest(tenantId: string, number: string): void;
    /** Brings posted claim cards up to date, except the one the change was made on. */
    cardsChanged(saved: Claim, except?: string, rendered?: RenderedView): void;
    /** Sends a card to the user's own 1:1 chat with the bot now; false when it cannot be reached. */
    sendPrivately(tenantId: string, to: Person, card: AdaptiveCard): Promise<boolean>;
  };
  /** The files `attach` offers, in the local loop only (config.localLoop). */
  readonly localDocuments?: LocalDocuments;
  /** The local demo tenant, when the demo seed is on (only ever with the local emulators). */
  readonly demo?: {
    readonly tenantId: string;
    reset(services: Services, today: Date): Promise<{ readonly claims: number }>;
  };
}
