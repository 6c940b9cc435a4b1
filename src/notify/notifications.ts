import type { AdaptiveCard } from '../../cards';
import type { Claim, PostedCard } from '../domain/claim';
import type { Notification } from '../domain/notification';
import type { ClaimRepository } from '../store/claims';
import type { ConversationRepository } from '../store/conversations';
import type { JobLeases } from '../store/jobLeases';
import { log } from '../log';
import type { FundRequest, RequestNotice } from '../domain/fundRequest';
import type { FundEndItem, FundEndNotice } from '../domain/fundEndNotice';
import type { FundRequestRepository } from '../store/fundRequests';
import { CardRefresher, RenderedView } from './cardRefresher';
import type { InstanceShare } from './instanceShare';
import type { Messenger } from './messenger';
import { OutboxDispatcher } from './outbox';
import {
  FundEndPayload,
  RequestPayload,
  claimOutbox,
  claimPayload,
  fundEndOutbox,
  fundEndPayload,
  requestOutbox,
  requestPayload,
} from './outboxes';
import type { RateLimiter } from './rateLimiter';
import type { FundPeriodEndsOptions } from './fundPeriodEnds';
import { Reminders, RemindersOptions } from './reminders';
import { Addressee, TeamsSender } from './teamsSender';

export interface NotificationsOptions {
  readonly claims: ClaimRepository;
  readonly conversations: ConversationRepository;
  readonly messenger: Messenger;
  /** The card for a notification, in the recipient's language. */
  readonly render: (n: Notification, claim: Claim, locale: string | undefined) => AdaptiveCard;
  /** The claim card a posted card shows now (its viewer's view, for its conversation). */
  readonly renderClaimFor: (claim: Claim, posted: PostedCard) => Promise<AdaptiveCard>;
  /** The fallback text posted where the request was made, mentioning the recipient. */
  readonly fallbackText: (n: Notification, claim: Claim, locale: string | undefined) => string;
  /** Whether the recipient may be sent this notification now, from their stored roles. */
  readonly mayReceive: (n: Notification, claim: Claim) => Promise<boolean>;
  /** Unique per process: the owner recorded on leases. */
  readonly instanceId: string;
  readonly clock?: () => Date;
  readonly maxAttempts?: number;
  readonly leaseMs?: number;
  readonly baseBackoffMs?: number;
  readonly conversationLimiter?: RateLimiter;
  readonly tenantLimiter?: RateLimiter;
  /** With several instances: the periodic sweep and reminders run where this lease is held. */
  readonly leases?: JobLeases;
  /** With several instances: this instance's share of Teams' limits (started and stopped here). */
  readonly share?: InstanceShare;
  /** False in the local loop (see TeamsSenderOptions.opensChats). */
  readonly opensChats?: boolean;
  /** Fund requests' notifications and expiry, when the app has fund requests. */
  readonly requests?: RequestPayload & { readonly requests: FundRequestRepository };
  /** Review deadlines (the tenants' policies and roles), when the app has them. */
  readonly reviews?: RemindersOptions['reviews'];
  /** Submit deadlines (the funds bounding them), when the app has them. */
  readonly deadlines?: RemindersOptions['deadlines'];
  /** Funds' period ends, when the app has them: queued once per fund, sent by the outbox engine. */
  readonly fundEnds?: Pick<FundPeriodEndsOptions, 'funds' | 'admins' | 'notices'> & FundEndPayload;
}

/** The job lease of the periodic sweep and reminders. */
export const SWEEP_JOB = 'notification-sweep';

const DEFAULT_MAX_ATTEMPTS = 6;
const DEFAULT_LEASE_MS = 60_000;
/** A send needs this much of its lease left, so that no other instance can have taken it over. */
const LEASE_SAFETY_MS = 5000;
/** Reminders are looked for every this many sweeps (an hour with the app's one-minute sweep). */
const REMIND_EVERY_SWEEPS = 60;

/**
 * Everything the bot sends on its own, wired together: the outbox (dispatcher), the posted cards
 * (card refresher), upload reminders, all through one sender that keeps Teams' limits, and the
 * periodic sweep that finds what a crash left undelivered.
 */
export class Notifications {
  readonly sender: TeamsSender;
  /** Claims' notifications. */
  readonly outbox: OutboxDispatcher<Claim, Notification>;
  readonly cards: CardRefresher;
  readonly reminders: Reminders;
  /** Fund requests' notices: the same engine with another payload. */
  readonly requests: OutboxDispatcher<FundRequest, RequestNotice> | undefined;
  /** Fund-end notices: the same engine with a third payload. */
  readonly fundEnds: OutboxDispatcher<FundEndNotice, FundEndItem> | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly periodic: { leases?: JobLeases; owner: string; clock: () => Date };
  private readonly share: InstanceShare | undefined;

  constructor(o: NotificationsOptions) {
    const clock = o.clock ?? (() => new Date());
    this.periodic = { leases: o.leases, owner: o.instanceId, clock };
    const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
    const baseBackoffMs = o.baseBackoffMs ?? 1000;
    this.share = o.share;
    this.sender = new TeamsSender({
      conversations: o.conversations,
      messenger: o.messenger,
      clock,
      baseBackoffMs,
      leaseSafetyMs: Math.min(LEASE_SAFETY_MS, leaseMs / 4),
      conversationLimiter: o.conversationLimiter,
      tenantLimiter: o.tenantLimiter,
      share: this.share?.fraction,
      opensChats: o.opensChats,
      pauses: this.share,
    });
    const engine = {
      sender: this.sender,
      instanceId: o.instanceId,
      clock,
      maxAttempts: o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      leaseMs,
      baseBackoffMs,
    };
    this.outbox = new OutboxDispatcher({
      ...engine,
      store: claimOutbox(o.claims),
      payload: claimPayload(o),
    });
    this.cards = new CardRefresher({
      claims: o.claims,
      sender: this.sender,
      renderClaimFor: o.renderClaimFor,
    });
    this.requests =
      o.requests &&
      new OutboxDispatcher({
        ...engine,
        store: requestOutbox(o.requests.requests),
        payload: requestPayload(o.requests),
      });
    this.fundEnds =
      o.fundEnds &&
      new OutboxDispatcher({
        ...engine,
        store: fundEndOutbox(o.fundEnds.notices),
        payload: fundEndPayload(o.fundEnds),
      });
    const fundEnds = this.fundEnds;
    this.reminders = new Reminders({
      claims: o.claims,
      clock,
      deliver: (tenantId, number) => this.outbox.kick(tenantId, number),
      reviews: o.reviews,
      deadlines: o.deadlines,
      fundEnds:
        o.fundEnds && o.leases && fundEnds
          ? {
              ...o.fundEnds,
              ledger: o.claims,
              leases: o.leases,
              deliver: (tenantId, number) => fundEnds.kick(tenantId, number),
            }
          : undefined,
    });
  }

  /** Starts delivery of a claim's queued notifications in the background. */
  kick(tenantId: string, number: string, saved?: Claim): void {
    this.outbox.kick(tenantId, number, saved);
  }

  /** Starts delivery of a fund request's queued notifications in the background. */
  kickRequest(tenantId: string, number: string): void {
    this.requests?.kick(tenantId, number);
  }

  /**
   * A user wrote to the bot or installed it in a chat the bot did not know: what was kept for them
   * (claims' notifications, fund requests' and fund-end notices) is delivered now.
   */
  async recipientAppeared(tenantId: string, userId: string): Promise<void> {
    await Promise.all([
      this.outbox.recipientAppeared(tenantId, userId),
      this.requests?.recipientAppeared(tenantId, userId),
      this.fundEnds?.recipientAppeared(tenantId, userId),
    ]);
  }

  cardsChanged(saved: Claim, except?: string, rendered?: RenderedView): void {
    this.cards.cardsChanged(saved, except, rendered);
  }

  sendPrivately(tenantId: string, to: Addressee, card: AdaptiveCard): Promise<boolean> {
    return this.sender.sendPrivately(tenantId, to, card);
  }

  /** The part of Teams' limits this instance keeps to: one over the instances running. */
  limitShare(): number {
    return this.share?.fraction() ?? 1;
  }

  /** Waits until every delivery started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([this.outbox.idle(), this.requests?.idle(), this.fundEnds?.idle()]);
  }

  /**
   * Sweeps now (what a crash of this instance left; fund requests past their last day) and every
   * `sweepEveryMs`; looks for due reminders every REMIND_EVERY_SWEEPS sweeps. With job leases, the
   * periodic work runs only on the instance holding the lease (renewed each time, so another takes
   * over within two periods when that one dies); the notifications themselves are leased one by one
   * in any case.
   */
  start(sweepEveryMs: number): void {
    void this.share?.start();
    const sweep = (): void => {
      void this.outbox
        .sweep()
        .catch((e: unknown) => log.error({ err: e }, 'notification sweep failed'));
      void this.requests
        ?.sweep()
        .catch((e: unknown) => log.error({ err: e }, 'fund request sweep failed'));
      void this.fundEnds
        ?.sweep()
        .catch((e: unknown) => log.error({ err: e }, 'fund-end notice sweep failed'));
    };
    sweep();
    let sweeps = 0;
    this.sweepTimer = setInterval(() => {
      void this.holdsPeriodicJobs(2 * sweepEveryMs).then((holds) => {
        if (!holds) return;
        sweep();
        sweeps += 1;
        if (sweeps % REMIND_EVERY_SWEEPS === 1) {
          void this.reminders
            .remind()
            .catch((e: unknown) => log.error({ err: e }, 'upload reminders failed'));
        }
      });
    }, sweepEveryMs);
    this.sweepTimer.unref();
  }

  private async holdsPeriodicJobs(forMs: number): Promise<boolean> {
    const { leases, owner, clock } = this.periodic;
    if (!leases) return true;
    try {
      return await leases.take(SWEEP_JOB, owner, { now: clock(), forMs });
    } catch (e) {
      log.error({ err: e }, 'the sweep lease could not be taken: this sweep is skipped');
      return false;
    }
  }

  async stop(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.cards.stop();
    await Promise.all([this.outbox.stop(), this.requests?.stop(), this.fundEnds?.stop()]);
    await this.share?.stop();
  }
}
