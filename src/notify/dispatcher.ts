import type { AdaptiveCard } from '../../cards';
import {
  Claim,
  notificationFailed,
  notificationWaiting,
  updateNotification,
} from '../domain/claim';
import type { Notification } from '../domain/notification';
import { ClaimRepository, claimKey } from '../store/claims';
import { KeyedQueue } from '../async';
import { log } from '../log';
import { DeliveryError } from './messenger';
import { LeaseLost, TeamsSender } from './teamsSender';

/** What became of a notification that was sent, or was not as its recipient may not see the claim. */
type Outcome = 'delivered' | 'awaitingInstall' | 'skipped';

export interface DispatcherOptions {
  readonly claims: ClaimRepository;
  readonly sender: TeamsSender;
  /** The card for a notification, in the recipient's language. */
  readonly render: (n: Notification, claim: Claim, locale: string | undefined) => AdaptiveCard;
  /** The fallback text posted where the request was made, mentioning the recipient. */
  readonly fallbackText: (n: Notification, claim: Claim, locale: string | undefined) => string;
  /** Whether the recipient may be sent this notification now, from their stored roles. */
  readonly mayReceive: (n: Notification, claim: Claim) => Promise<boolean>;
  /** Unique per process: the owner recorded on leases. */
  readonly instanceId: string;
  readonly clock: () => Date;
  readonly maxAttempts: number;
  readonly leaseMs: number;
  readonly baseBackoffMs: number;
}

/**
 * Delivers the outbox of claims: one path for every notification. A notification is leased in the
 * claim document (conditional write) before it is sent, so several instances never send one twice;
 * failures are retried with backoff and jitter, honouring Retry-After, within Teams' rate limits,
 * and given up after bounded attempts with the failure written to the claim's history.
 */
export class Dispatcher {
  private readonly running = new KeyedQueue();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly o: DispatcherOptions) {}

  /**
   * Delivers a claim's due notifications in the background; never blocks the caller's reply. `saved`
   * is the claim as just written, which saves reading it again unless a delivery is under way.
   */
  kick(tenantId: string, number: string, saved?: Claim): void {
    if (this.stopped) return;
    const key = claimKey(tenantId, number);
    const known = this.running.busy(key) ? undefined : saved;
    void this.running
      .run(key, () => this.deliverClaim(tenantId, number, known))
      .catch((e: unknown) => log.error({ err: e, claim: number }, 'notification delivery failed'));
  }

  /** Waits until every delivery started so far has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.running.idle();
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
        `wake:${userId}:${this.o.clock().getTime()}`,
        (c) => {
          const waiting = c.outbox.filter(
            (n) => n.to.id === userId && n.state === 'awaitingInstall',
          );
          return waiting.reduce(
            (acc, n) =>
              updateNotification(acc, n.id, (x) => ({
                ...x,
                state: 'pending',
                nextAttemptAt: this.o.clock().toISOString(),
              })),
            c,
          );
        },
      );
      this.kick(tenantId, k.number);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
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
    const now = this.o.clock();
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
        Math.max(0, nextRetry - this.o.clock().getTime()),
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
    let outcome: Outcome;
    try {
      outcome = await this.send(tenantId, claim, n);
    } catch (e) {
      // Another instance may hold it now; look again once a lease taken now would have run out.
      if (e instanceof LeaseLost) return this.o.clock().getTime() + this.o.leaseMs;
      return this.failedAttempt(tenantId, number, n, e);
    }
    // Sent (or skipped): a failure to record it must not send it again.
    try {
      if (outcome === 'awaitingInstall') {
        await this.o.claims.update(tenantId, number, `waiting:${leased.token}`, (c) =>
          notificationWaiting(c, id, this.o.clock().toISOString()),
        );
      } else {
        await this.settle(tenantId, number, id, (x) => ({
          ...x,
          state: outcome,
          lease: undefined,
          attempts: x.attempts + 1,
          // A notice skipped (its recipient may no longer see the claim) was never delivered.
          ...(outcome === 'delivered' ? { deliveredAt: this.o.clock().toISOString() } : {}),
        }));
      }
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
    if (!err.transient || attempts >= this.o.maxAttempts) {
      await this.o.claims.update(tenantId, number, `failed:${id}`, (c) =>
        notificationFailed(c, id, err.code, this.o.clock().toISOString()),
      );
      return undefined;
    }
    const backoff =
      err.retryAfterMs ?? this.o.baseBackoffMs * 2 ** (attempts - 1) * (0.5 + Math.random());
    const retryAt = this.o.clock().getTime() + backoff;
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
  ): Promise<{ claim: Claim; notification: Notification; token: string } | undefined> {
    const now = this.o.clock();
    const token = `lease:${id}:${this.o.instanceId}:${now.getTime()}:${Math.random()}`;
    const saved = await this.o.claims.update(tenantId, number, token, (c) => {
      const n = c.outbox.find((x) => x.id === id);
      const held = n?.lease && Date.parse(n.lease.until) > now.getTime();
      if (!n || n.state !== 'pending' || held) return c;
      const until = new Date(now.getTime() + this.o.leaseMs).toISOString();
      return updateNotification(c, id, (x) => ({ ...x, lease: { owner: token, until } }));
    });
    const n = saved.outbox.find((x) => x.id === id);
    return n?.lease?.owner === token ? { claim: saved, notification: n, token } : undefined;
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
      `settle:${id}:${this.o.clock().getTime()}:${Math.random()}`,
      (c) => updateNotification(c, id, change),
    );
  }

  /**
   * Sends through the stored 1:1 chat, else opens one, else falls back to a mention where it was asked;
   * nothing at all to someone who may not see the claim as it is now (a revoked owner, say).
   */
  private async send(tenantId: string, claim: Claim, n: Notification): Promise<Outcome> {
    if (!(await this.o.mayReceive(n, claim))) return 'skipped';
    const originServiceUrl = (n.origin as { serviceUrl?: string } | undefined)?.serviceUrl;
    const delivered = await this.o.sender.toPersonalChat(tenantId, n.to, {
      card: (locale) => this.o.render(n, claim, locale),
      serviceUrl: originServiceUrl,
      leaseUntil: n.lease ? Date.parse(n.lease.until) : undefined,
    });
    if (delivered) return 'delivered';
    // Not installed for them: say so where the request was made, and deliver when they show up.
    if (n.origin && n.to.channelUserId) {
      await this.o.sender.mention(
        tenantId,
        n.origin,
        { channelUserId: n.to.channelUserId, name: n.to.name },
        this.o.fallbackText(n, claim, undefined),
      );
    }
    return 'awaitingInstall';
  }
}
