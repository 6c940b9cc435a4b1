import type { AdaptiveCard } from '../../cards';
import { BoundedMap } from '../domain/boundedMap';
import {
  Claim,
  PostedCard,
  REMIND_DAYS_BEFORE_DUE,
  forgetCard,
  notificationFailed,
  remindOpenRequests,
  updateNotification,
} from '../domain/claim';
import { addDays, isoDay } from '../domain/text';
import type { Notification } from '../domain/notification';
import type { ClaimRepository } from '../store/claims';
import type { ConversationRepository } from '../store/conversations';
import { log } from '../log';
import { DeliveryError, Messenger } from './messenger';
import { RateLimiter, TEAMS_CONVERSATION_LIMITS, TEAMS_TENANT_LIMITS } from './rateLimiter';

export interface DispatcherOptions {
  readonly claims: ClaimRepository;
  readonly conversations: ConversationRepository;
  readonly messenger: Messenger;
  /** The card for a notification, in the recipient's language. */
  readonly render: (n: Notification, claim: Claim, locale: string | undefined) => AdaptiveCard;
  /**
   * The claim card a posted card shows now: its viewer's view, for the conversation it is in (a group
   * chat's card is updated for everybody in it).
   */
  readonly renderClaimFor: (claim: Claim, posted: PostedCard) => Promise<AdaptiveCard>;
  /** The fallback text posted where the request was made, mentioning the recipient. */
  readonly fallbackText: (n: Notification, claim: Claim, locale: string | undefined) => string;
  /** Unique per process: the owner recorded on leases. */
  readonly instanceId: string;
  readonly clock?: () => Date;
  readonly maxAttempts?: number;
  readonly leaseMs?: number;
  readonly baseBackoffMs?: number;
  readonly conversationLimiter?: RateLimiter;
  readonly tenantLimiter?: RateLimiter;
}

const DEFAULT_MAX_ATTEMPTS = 6;
/** A send needs this much of its lease left, so that no other instance can have taken it over. */
const LEASE_SAFETY_MS = 5000;

/** The lease ran out while waiting for a rate-limit slot: the notification is not sent here. */
class LeaseLost extends Error {}
/** Reminders are looked for every this many sweeps (an hour with the app's one-minute sweep). */
const REMIND_EVERY_SWEEPS = 60;

/**
 * Delivers the outbox of claims: one path for every proactive message. A notification is leased in
 * the claim document (conditional write) before it is sent, so several instances never send one
 * twice; failures are retried with backoff and jitter, honouring Retry-After, within Teams' rate
 * limits, and given up after bounded attempts with the failure written to the claim's history.
 */
export class Dispatcher {
  private readonly clock: () => Date;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly baseBackoffMs: number;
  private readonly conversationLimiter: RateLimiter;
  private readonly tenantLimiter: RateLimiter;
  /** Service URLs seen per tenant, to open 1:1 chats with people the bot has not talked to. */
  /** Per tenant; bounded (a dropped one is learnt again from the next activity). */
  private readonly serviceUrls = new BoundedMap<string>(10_000);
  private readonly running = new Map<string, Promise<void>>();
  /** Card updates under way per claim (best effort: never awaited on stop). */
  private readonly cardUpdates = new Map<string, { again: boolean; except: string | undefined }>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly o: DispatcherOptions) {
    this.clock = o.clock ?? (() => new Date());
    this.maxAttempts = o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.leaseMs = o.leaseMs ?? 60_000;
    this.baseBackoffMs = o.baseBackoffMs ?? 1000;
    this.conversationLimiter = o.conversationLimiter ?? new RateLimiter(TEAMS_CONVERSATION_LIMITS);
    this.tenantLimiter = o.tenantLimiter ?? new RateLimiter(TEAMS_TENANT_LIMITS);
  }

  learnServiceUrl(tenantId: string, serviceUrl: string | undefined): void {
    if (serviceUrl) this.serviceUrls.set(tenantId, serviceUrl);
  }

  /**
   * Delivers a claim's due notifications in the background; never blocks the caller's reply. `saved`
   * is the claim as just written, which saves reading it again unless a delivery is under way.
   */
  kick(tenantId: string, number: string, saved?: Claim): void {
    if (this.stopped) return;
    const key = `${tenantId}|${number}`;
    const previous = this.running.get(key);
    const known = previous ? undefined : saved;
    const next = (previous ?? Promise.resolve())
      .then(() => this.deliverClaim(tenantId, number, known))
      .catch((e: unknown) => log.error({ err: e, claim: number }, 'notification delivery failed'));
    this.running.set(key, next);
    void next.finally(() => {
      if (this.running.get(key) === next) this.running.delete(key);
    });
  }

  /**
   * Brings the claim cards posted earlier up to date (each in its viewer's view), in the background,
   * within the rate limits; a card Teams no longer has is forgotten. Best effort: the next change or
   * a Universal Actions refresh corrects a missed update.
   */
  cardsChanged(saved: Claim, except?: string): void {
    if (this.stopped) return;
    const { tenantId, number } = saved;
    const key = `${tenantId}|${number}`;
    const waiting = this.cardUpdates.get(key);
    if (waiting) {
      // Changes made while an update runs are folded into one more pass, which reads the claim
      // afresh; a card is skipped only if every folded change was made on that very card.
      waiting.again = true;
      if (waiting.except !== except) waiting.except = undefined;
      return;
    }
    const state = { again: false, except };
    this.cardUpdates.set(key, state);
    void (async () => {
      try {
        let claim: Claim | undefined = saved;
        do {
          state.again = false;
          await this.updateCards(
            claim ?? (await this.o.claims.get(tenantId, number)),
            state.except,
          );
          claim = undefined;
        } while (state.again && !this.stopped);
      } catch (e) {
        // Best effort: a refresh or the next change corrects the card; at shutdown, say nothing.
        if (!this.stopped) log.error({ err: e, claim: number }, 'updating the claim cards failed');
      } finally {
        this.cardUpdates.delete(key);
      }
    })();
  }

  private async updateCards(claim: Claim | undefined, except?: string): Promise<void> {
    if (!claim) return;
    const { tenantId, number } = claim;
    for (const posted of claim.postedCards ?? []) {
      if (posted.activityId === except || this.stopped) continue;
      const conversation = String((posted.conversation.conversation as { id?: string })?.id ?? '');
      try {
        const card = await this.o.renderClaimFor(claim, posted);
        await this.limited(tenantId, conversation, () =>
          this.o.messenger.update(posted.conversation, posted.activityId, card),
        );
      } catch (e) {
        if (!(e instanceof DeliveryError) || e.status !== 404) throw e;
        await this.o.claims.update(tenantId, number, `forget:${posted.activityId}`, (c) =>
          forgetCard(c, posted.activityId),
        );
      }
    }
  }

  /**
   * Puts `card` in place of a card the bot showed earlier, within the rate limits: the answer to a
   * card action that took too long to give in the invoke response.
   */
  async replaceCard(
    tenantId: string,
    reference: Readonly<Record<string, unknown>>,
    activityId: string,
    card: AdaptiveCard,
  ): Promise<void> {
    const conversation = String((reference.conversation as { id?: string } | undefined)?.id ?? '');
    await this.limited(tenantId, conversation, () =>
      this.o.messenger.update(reference, activityId, card),
    );
  }

  /** Waits until every delivery started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()]);
  }

  /** Delivers everything still owed: at start-up (a crash between write and delivery) and periodically. */
  async sweep(): Promise<void> {
    const keys = await this.o.claims.withOpenNotifications();
    for (const k of keys) this.kick(k.tenantId, k.number);
    await this.idle();
  }

  /** A user who could not be reached talks to the bot: deliver what waits for them. */
  async recipientAppeared(tenantId: string, userId: string): Promise<void> {
    const keys = await this.o.claims.withOpenNotifications({ tenantId, userId });
    for (const k of keys) {
      await this.o.claims.update(
        tenantId,
        k.number,
        `wake:${userId}:${this.clock().getTime()}`,
        (c) => {
          const waiting = c.outbox.filter(
            (n) => n.to.id === userId && n.state === 'awaitingInstall',
          );
          return waiting.reduce(
            (acc, n) =>
              updateNotification(acc, n.id, (x) => ({
                ...x,
                state: 'pending',
                nextAttemptAt: this.clock().toISOString(),
              })),
            c,
          );
        },
      );
      this.kick(tenantId, k.number);
    }
  }

  /** Queues today's reminders for upload requests due within a day or overdue, and delivers them. */
  async remind(): Promise<void> {
    const now = this.clock();
    const soon = addDays(isoDay(now), REMIND_DAYS_BEFORE_DUE);
    for (const k of await this.o.claims.withRequestsDueBy(soon)) {
      const saved = await this.o.claims.update(k.tenantId, k.number, `remind:${isoDay(now)}`, (c) =>
        remindOpenRequests(c, now.toISOString()),
      );
      if (saved.outbox.some((n) => n.state === 'pending')) this.kick(k.tenantId, k.number);
    }
  }

  start(sweepEveryMs: number): void {
    void this.sweep().catch((e: unknown) => log.error({ err: e }, 'notification sweep failed'));
    let sweeps = 0;
    this.sweepTimer = setInterval(() => {
      void this.sweep().catch((e: unknown) => log.error({ err: e }, 'notification sweep failed'));
      sweeps += 1;
      if (sweeps % REMIND_EVERY_SWEEPS === 1) {
        void this.remind().catch((e: unknown) => log.error({ err: e }, 'upload reminders failed'));
      }
    }, sweepEveryMs);
    this.sweepTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const t of this.retryTimers) clearTimeout(t);
    await this.idle();
  }

  private async deliverClaim(tenantId: string, number: string, known?: Claim): Promise<void> {
    const claim = known ?? (await this.o.claims.get(tenantId, number));
    if (!claim) return;
    // Fund sums a crash left unposted (the claim store posts them after each write) are found here.
    if (!known && claim.ledgerEntries?.length) {
      await this.o.claims.postLedgerEntries(tenantId, number);
    }
    const now = this.clock();
    let nextRetry: number | undefined;
    for (const n of claim.outbox) {
      if (n.state !== 'pending') continue;
      const due = Date.parse(n.nextAttemptAt);
      if (due > now.getTime()) {
        nextRetry = Math.min(nextRetry ?? Infinity, due);
        continue;
      }
      const retryAt = await this.deliverOne(tenantId, number, n.id);
      if (retryAt !== undefined) nextRetry = Math.min(nextRetry ?? Infinity, retryAt);
    }
    if (nextRetry !== undefined && !this.stopped) {
      const timer = setTimeout(
        () => {
          this.retryTimers.delete(timer);
          this.kick(tenantId, number);
        },
        Math.max(0, nextRetry - this.clock().getTime()),
      );
      timer.unref();
      this.retryTimers.add(timer);
    }
  }

  /** Leases, sends and settles one notification; returns when to retry it, if it should be. */
  private async deliverOne(
    tenantId: string,
    number: string,
    id: string,
  ): Promise<number | undefined> {
    const leased = await this.lease(tenantId, number, id);
    if (!leased) return undefined;
    const { claim, notification: n } = leased;
    let outcome: 'delivered' | 'awaitingInstall';
    try {
      outcome = await this.send(tenantId, claim, n);
    } catch (e) {
      // Another instance may hold it now; look again once a lease taken now would have run out.
      if (e instanceof LeaseLost) return this.clock().getTime() + this.leaseMs;
      return this.failedAttempt(tenantId, number, n, e);
    }
    // Sent: a failure to record it must not send it again.
    try {
      await this.settle(tenantId, number, id, (x) => ({
        ...x,
        state: outcome,
        lease: undefined,
        attempts: x.attempts + 1,
        ...(outcome === 'delivered' ? { deliveredAt: this.clock().toISOString() } : {}),
      }));
    } catch (e) {
      log.error(
        { err: e, notification: id },
        'a notification was delivered but could not be marked so',
      );
    }
    return undefined;
  }

  /** Schedules a retry with backoff (Retry-After first), or gives up after bounded attempts. */
  private async failedAttempt(
    tenantId: string,
    number: string,
    n: Notification,
    e: unknown,
  ): Promise<number | undefined> {
    const id = n.id;
    const err = e instanceof DeliveryError ? e : new DeliveryError(String(e), undefined, undefined);
    const attempts = n.attempts + 1;
    log.warn(
      { notification: id, claim: number, attempts, code: err.code, detail: err.message },
      'a notification was not delivered',
    );
    if (!err.transient || attempts >= this.maxAttempts) {
      await this.o.claims.update(tenantId, number, `failed:${id}`, (c) =>
        notificationFailed(c, id, err.code, this.clock().toISOString()),
      );
      return undefined;
    }
    const backoff =
      err.retryAfterMs ?? this.baseBackoffMs * 2 ** (attempts - 1) * (0.5 + Math.random());
    const retryAt = this.clock().getTime() + backoff;
    await this.settle(tenantId, number, id, (x) => ({
      ...x,
      attempts,
      lease: undefined,
      lastError: err.code,
      nextAttemptAt: new Date(retryAt).toISOString(),
    }));
    return retryAt;
  }

  private async lease(
    tenantId: string,
    number: string,
    id: string,
  ): Promise<{ claim: Claim; notification: Notification } | undefined> {
    const now = this.clock();
    const token = `lease:${id}:${this.o.instanceId}:${now.getTime()}:${Math.random()}`;
    const saved = await this.o.claims.update(tenantId, number, token, (c) => {
      const n = c.outbox.find((x) => x.id === id);
      const held = n?.lease && Date.parse(n.lease.until) > now.getTime();
      if (!n || n.state !== 'pending' || held) return c;
      const until = new Date(now.getTime() + this.leaseMs).toISOString();
      return updateNotification(c, id, (x) => ({ ...x, lease: { owner: token, until } }));
    });
    const n = saved.outbox.find((x) => x.id === id);
    return n?.lease?.owner === token ? { claim: saved, notification: n } : undefined;
  }

  private async settle(
    tenantId: string,
    number: string,
    id: string,
    change: (n: Notification) => Notification,
  ): Promise<void> {
    await this.o.claims.update(
      tenantId,
      number,
      `settle:${id}:${this.clock().getTime()}:${Math.random()}`,
      (c) => updateNotification(c, id, change),
    );
  }

  /** Sends through the stored 1:1 chat, else opens one, else falls back to a mention where it was asked. */
  private async send(
    tenantId: string,
    claim: Claim,
    n: Notification,
  ): Promise<'delivered' | 'awaitingInstall'> {
    const originServiceUrl = (n.origin as { serviceUrl?: string } | undefined)?.serviceUrl;
    const delivered = await this.toPersonalChat(tenantId, n.to, {
      card: (locale) => this.o.render(n, claim, locale),
      serviceUrl: originServiceUrl,
      leaseUntil: n.lease ? Date.parse(n.lease.until) : undefined,
    });
    if (delivered) return 'delivered';
    // Not installed for them: say so where the request was made, and deliver when they show up.
    if (n.origin && n.to.channelUserId) {
      const originConversation = (n.origin.conversation as { id?: string } | undefined)?.id ?? '';
      await this.limited(tenantId, originConversation, () =>
        this.o.messenger.mention(
          n.origin as Readonly<Record<string, unknown>>,
          { channelUserId: n.to.channelUserId as string, name: n.to.name },
          this.o.fallbackText(n, claim, undefined),
        ),
      );
    }
    return 'awaitingInstall';
  }

  /**
   * Sends a card to one user's own 1:1 chat with the bot, now and within the rate limits, without
   * retries: false when the bot cannot reach that chat. For answers meant for that user alone, such
   * as a document's link asked for in a group chat (the user asks again rather than waiting).
   */
  async sendPrivately(
    tenantId: string,
    to: { readonly id: string; readonly channelUserId?: string },
    card: AdaptiveCard,
  ): Promise<boolean> {
    try {
      return await this.toPersonalChat(tenantId, to, { card: () => card });
    } catch (e) {
      if (!(e instanceof DeliveryError)) throw e;
      log.warn({ err: e }, 'could not send a card to a 1:1 chat');
      return false;
    }
  }

  /** Sends through the stored 1:1 chat, else opens one; false when neither is possible. */
  private async toPersonalChat(
    tenantId: string,
    to: { readonly id: string; readonly channelUserId?: string },
    o: {
      card: (locale: string | undefined) => AdaptiveCard;
      serviceUrl?: string;
      leaseUntil?: number;
    },
  ): Promise<boolean> {
    const personal = await this.o.conversations.get(tenantId, to.id);
    if (personal) {
      const card = o.card(personal.locale);
      await this.limited(
        tenantId,
        String(personal.conversationId),
        () => this.o.messenger.send(personal.reference, card),
        o.leaseUntil,
      );
      return true;
    }
    const serviceUrl = o.serviceUrl ?? this.serviceUrls.get(tenantId);
    const userId = to.channelUserId ?? to.id;
    if (!serviceUrl) return false;
    try {
      const reference = await this.limited(
        tenantId,
        `create:${userId}`,
        () => this.o.messenger.createPersonal({ tenantId, userId, serviceUrl }, o.card(undefined)),
        o.leaseUntil,
      );
      await this.o.conversations.save({
        id: to.id,
        tenantId,
        conversationId: String((reference.conversation as { id?: string } | undefined)?.id ?? ''),
        reference,
        updatedAt: this.clock().toISOString(),
      });
      return true;
    } catch (e) {
      if (!(e instanceof DeliveryError) || (e.status !== 403 && e.status !== 404)) throw e;
      return false;
    }
  }

  /**
   * Sends within Teams' limits. A lease that ran out while waiting for a slot is given up (another
   * instance may hold it now); a 429 pauses the conversation for its Retry-After.
   */
  private async limited<T>(
    tenantId: string,
    conversation: string,
    send: () => Promise<T>,
    leaseUntil?: number,
  ): Promise<T> {
    await this.tenantLimiter.acquire(tenantId);
    await this.conversationLimiter.acquire(conversation);
    const safety = Math.min(LEASE_SAFETY_MS, this.leaseMs / 4);
    if (leaseUntil !== undefined && this.clock().getTime() > leaseUntil - safety) {
      throw new LeaseLost();
    }
    try {
      return await send();
    } catch (e) {
      if (e instanceof DeliveryError && e.status === 429) {
        this.conversationLimiter.pause(conversation, e.retryAfterMs ?? this.baseBackoffMs);
      }
      throw e;
    }
  }
}
