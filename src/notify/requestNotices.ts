import type { AdaptiveCard } from '../../cards';
import {
  FundRequest,
  RequestNotice,
  expireRequest,
  updateRequestNotice,
} from '../domain/fundRequest';
import type { Person } from '../domain/roles';
import type { FundRequestRepository } from '../store/fundRequests';
import { KeyedQueue } from '../async';
import { log } from '../log';
import { DeliveryError } from './messenger';
import { LeaseLost, TeamsSender } from './teamsSender';

export interface RequestNoticesOptions {
  readonly requests: FundRequestRepository;
  readonly sender: TeamsSender;
  /** The request card as the recipient sees it (their buttons), in their language. */
  readonly render: (
    request: FundRequest,
    notice: RequestNotice,
    to: Person,
  ) => Promise<(locale: string | undefined) => AdaptiveCard>;
  readonly instanceId: string;
  readonly clock: () => Date;
  readonly maxAttempts: number;
  readonly leaseMs: number;
  readonly baseBackoffMs: number;
}

/**
 * Delivers fund requests' notifications (to the admins on a new request, to the requester on a
 * decision or expiry) the way the claims' dispatcher does: leased in the request document before
 * it is sent, so two instances never send one twice; a failure is tried again by the next sweep,
 * a bounded number of times. The sweep also expires approved requests past their last day.
 */
export class RequestNotices {
  private readonly running = new KeyedQueue();
  private stopped = false;

  constructor(private readonly o: RequestNoticesOptions) {}

  kick(tenantId: string, number: string): void {
    if (this.stopped) return;
    void this.running
      .run(`${tenantId}|${number}`, () => this.deliver(tenantId, number))
      .catch((e: unknown) => log.error({ err: e, request: number }, 'request notice failed'));
  }

  idle(): Promise<void> {
    return this.running.idle();
  }

  /** Expires what is past its last day, posts fund sums a crash left, delivers what is owed. */
  async sweep(): Promise<void> {
    const now = this.o.clock();
    const { requests } = this.o;
    for (const k of await requests.withOpenWork(now.toISOString().slice(0, 10))) {
      await requests.update(k.tenantId, k.number, `expire:${k.number}`, (r) =>
        expireRequest(r, now.toISOString()),
      );
      await requests.postLedgerEntries(k.tenantId, k.number);
      this.kick(k.tenantId, k.number);
    }
    await this.idle();
  }

  /** A user who could not be reached talks to the bot: deliver the notices kept for them. */
  async recipientAppeared(tenantId: string, userId: string): Promise<void> {
    const now = this.o.clock().toISOString();
    for (const k of await this.o.requests.awaitingFor(tenantId, userId)) {
      await this.o.requests.update(tenantId, k.number, `wake:${userId}:${now}`, (r) =>
        r.outbox
          .filter((n) => n.to.id === userId && n.state === 'awaitingInstall')
          .reduce(
            (acc, n) =>
              updateRequestNotice(acc, n.id, (x) => ({
                ...x,
                state: 'pending',
                nextAttemptAt: now,
              })),
            r,
          ),
      );
      this.kick(tenantId, k.number);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  private async deliver(tenantId: string, number: string): Promise<void> {
    const request = await this.o.requests.get(tenantId, number);
    const now = this.o.clock().getTime();
    for (const n of request?.outbox ?? []) {
      if (n.state === 'pending' && Date.parse(n.nextAttemptAt) <= now) {
        await this.deliverOne(tenantId, number, n.id);
      }
    }
  }

  private async deliverOne(tenantId: string, number: string, id: string): Promise<void> {
    const now = this.o.clock();
    const token = `lease:${id}:${this.o.instanceId}:${now.getTime()}:${Math.random()}`;
    const until = new Date(now.getTime() + this.o.leaseMs).toISOString();
    const leased = await this.o.requests.update(tenantId, number, token, (r) => {
      const n = r.outbox.find((x) => x.id === id);
      const held = n?.lease && Date.parse(n.lease.until) > now.getTime();
      if (!n || n.state !== 'pending' || held) return r;
      return updateRequestNotice(r, id, (x) => ({ ...x, lease: { owner: token, until } }));
    });
    const n = leased.outbox.find((x) => x.id === id);
    if (n?.lease?.owner !== token) return;
    let outcome: Partial<RequestNotice>;
    try {
      const card = await this.o.render(leased, n, n.to);
      const sent = await this.o.sender.toPersonalChat(tenantId, n.to, {
        card,
        leaseUntil: Date.parse(until),
      });
      // Not reachable until they write or install: kept for them (recipientAppeared).
      outcome = sent
        ? { state: 'delivered', deliveredAt: this.o.clock().toISOString() }
        : { state: 'awaitingInstall' };
    } catch (e) {
      if (e instanceof LeaseLost) return;
      outcome = this.failed(n, e);
    }
    await this.o.requests.update(tenantId, number, `settle:${token}`, (r) =>
      updateRequestNotice(r, id, (x) => ({
        ...x,
        ...outcome,
        attempts: x.attempts + 1,
        lease: undefined,
      })),
    );
  }

  /** Tried again by a later sweep after a backoff, or given up after bounded attempts. */
  private failed(n: RequestNotice, e: unknown): Partial<RequestNotice> {
    const err = e instanceof DeliveryError ? e : new DeliveryError(String(e), undefined, undefined);
    log.warn({ notification: n.id, code: err.code }, 'a request notice was not delivered');
    if (!err.transient || n.attempts + 1 >= this.o.maxAttempts) {
      return { state: 'failed', lastError: err.code };
    }
    const backoff = err.retryAfterMs ?? this.o.baseBackoffMs * 2 ** n.attempts;
    return {
      lastError: err.code,
      nextAttemptAt: new Date(this.o.clock().getTime() + backoff).toISOString(),
    };
  }
}
