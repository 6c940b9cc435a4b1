import type { AdaptiveCard } from '../../cards';
import type { Notification } from '../domain/notification';
import { KeyedQueue, raceTimeout } from '../async';
import { log } from '../log';
import { DeliveryError } from './messenger';
import { LeaseLost, TeamsSender } from './teamsSender';

/** What every outbox item is, whatever it is about: a recipient and the state of its delivery. */
export type OutboxItem = Omit<Notification, 'kind' | 'details' | 'note' | 'from' | 'createdAt'>;

/** A document holding an outbox (a claim, a fund request), as the sweep finds it. */
export interface OutboxKey {
  readonly tenantId: string;
  readonly number: string;
}

/**
 * The small port between the engine and one kind of document with an outbox: how the document is
 * read and written, how one item in it changes, and what a change of state records besides.
 */
export interface OutboxStore<D, N extends OutboxItem> {
  /** For the log: `claim`, `request`. */
  readonly name: string;
  get(tenantId: string, number: string): Promise<D | undefined>;
  /** Applies `change` in one conditional write; a key already applied changes nothing. */
  update(tenantId: string, number: string, key: string, change: (doc: D) => D): Promise<D>;
  items(doc: D): readonly N[];
  /** The document with one item changed (a lease, the outcome of an attempt). */
  withItem(doc: D, id: string, change: (n: N) => N): D;
  /** The item given up on with `code`, and what the document records of that (else just the item). */
  failed?(doc: D, id: string, code: string, now: string): D;
  /**
   * The item kept for a person the chat service does not know yet, and what the document records
   * of that (else just the item).
   */
  waiting?(doc: D, id: string, now: string): D;
  /** Documents, in every tenant, owing items or other work a crash may have left (the sweep). */
  withOpenWork(now: Date): Promise<OutboxKey[]>;
  /** The tenant's documents with items kept for `userId` until they write to the bot. */
  awaitingFor(tenantId: string, userId: string): Promise<OutboxKey[]>;
  /**
   * Work a crash may have left on a document read afresh, done before its items go out (fund sums
   * not posted, a request past its last day); returns the document to deliver from.
   */
  catchUp?(doc: D, now: Date): Promise<D>;
}

/** What is sent for an item, and whether its recipient may still be sent it. */
export interface OutboxPayload<D, N extends OutboxItem> {
  /** The card for an item, in the recipient's language. */
  render(n: N, doc: D): Promise<(locale: string | undefined) => AdaptiveCard>;
  /** The text posted where the change was made, mentioning a recipient who cannot be reached. */
  fallbackText?(n: N, doc: D): string;
  /** Whether the recipient may be sent this item now, from their stored roles. */
  mayReceive(n: N, doc: D): Promise<boolean>;
}

export interface OutboxOptions<D, N extends OutboxItem> {
  readonly store: OutboxStore<D, N>;
  readonly payload: OutboxPayload<D, N>;
  readonly sender: TeamsSender;
  /** Unique per process: the owner recorded on leases. */
  readonly instanceId: string;
  readonly clock: () => Date;
  readonly maxAttempts: number;
  readonly leaseMs: number;
  readonly baseBackoffMs: number;
}

/**
 * How long a stopping dispatcher waits for a send already on the wire. Past it the item stays leased
 * and is sent again once the lease runs out (a crash's case); one not yet sent is given back at once.
 */
const STOP_GRACE_MS = 500;

/** What became of an item that was sent, or was not as its recipient may no longer see it. */
type Outcome = 'delivered' | 'awaitingInstall' | 'skipped';

/**
 * The one outbox engine, generic over what it sends (claims' notifications, fund requests'
 * notices). An item is leased in its document (conditional write) before it is sent, so several
 * instances never send one twice; failures are retried on a timer with backoff and jitter,
 * honouring Retry-After, within Teams' limits, and given up after bounded attempts; an item for a
 * person the chat service does not know yet is kept until they write; one for a person who may no
 * longer see the document is skipped.
 */
export class OutboxDispatcher<D, N extends OutboxItem> {
  private readonly running = new KeyedQueue();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private stopped = false;
  /** Aborted by stop(): sends waiting for a slot within Teams' limits give up. */
  private readonly stopping = new AbortController();

  constructor(private readonly o: OutboxOptions<D, N>) {}

  /**
   * Delivers a document's due items in the background; never blocks the caller's reply. `saved` is
   * the document as just written, which saves reading it again unless a delivery is under way.
   */
  kick(tenantId: string, number: string, saved?: D): void {
    if (this.stopped) return;
    const key = `${tenantId}|${number}`;
    const known = this.running.busy(key) ? undefined : saved;
    void this.running
      .run(key, () => this.deliver(tenantId, number, known))
      .catch((e: unknown) =>
        log.error({ err: e, [this.o.store.name]: number }, 'notification delivery failed'),
      );
  }

  /** Waits until every delivery started so far has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.running.idle();
  }

  /** Delivers everything still owed: at start-up (a crash between write and delivery) and periodically. */
  async sweep(): Promise<void> {
    for (const k of await this.o.store.withOpenWork(this.o.clock()))
      this.kick(k.tenantId, k.number);
    await this.idle();
  }

  /** A user who could not be reached talks to the bot: deliver what waits for them. */
  async recipientAppeared(tenantId: string, userId: string): Promise<void> {
    const { store, clock } = this.o;
    for (const k of await store.awaitingFor(tenantId, userId)) {
      const now = clock().toISOString();
      await store.update(tenantId, k.number, `wake:${userId}:${clock().getTime()}`, (doc) =>
        store
          .items(doc)
          .filter((n) => n.to.id === userId && n.state === 'awaitingInstall')
          .reduce(
            (acc, n) =>
              store.withItem(acc, n.id, (x) => ({ ...x, state: 'pending', nextAttemptAt: now })),
            doc,
          ),
      );
      this.kick(tenantId, k.number);
    }
  }

  /**
   * Stops promptly: no new delivery starts, one waiting for a slot within Teams' limits gives its
   * item back (the next start's sweep, or another instance, sends it), and a send already under way
   * gets STOP_GRACE_MS to finish.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    for (const t of this.retryTimers) clearTimeout(t);
    await raceTimeout(this.idle(), STOP_GRACE_MS);
  }

  private async deliver(tenantId: string, number: string, known?: D): Promise<void> {
    if (this.stopped) return;
    const { store } = this.o;
    const read = known ?? (await store.get(tenantId, number));
    if (read === undefined) return;
    // Read afresh: first what a crash may have left on it.
    const doc =
      known === undefined && store.catchUp ? await store.catchUp(read, this.o.clock()) : read;
    const now = this.o.clock().getTime();
    let nextRetry: number | undefined;
    for (const n of store.items(doc)) {
      if (this.stopped) break;
      if (n.state !== 'pending') continue;
      const due = Date.parse(n.nextAttemptAt);
      const retryAt = due > now ? due : await this.deliverOne(tenantId, number, n.id);
      if (retryAt !== undefined) nextRetry = Math.min(nextRetry ?? Infinity, retryAt);
    }
    if (nextRetry !== undefined) this.retryAt(tenantId, number, nextRetry);
  }

  private retryAt(tenantId: string, number: string, at: number): void {
    if (this.stopped) return;
    const timer = setTimeout(
      () => {
        this.retryTimers.delete(timer);
        this.kick(tenantId, number);
      },
      Math.max(0, at - this.o.clock().getTime()),
    );
    timer.unref();
    this.retryTimers.add(timer);
  }

  /** Leases, sends and settles one item; returns when to retry it, if it should be. */
  private async deliverOne(
    tenantId: string,
    number: string,
    id: string,
  ): Promise<number | undefined> {
    const leased = await this.lease(tenantId, number, id);
    if (!leased) return undefined;
    const { doc, item: n } = leased;
    let outcome: Outcome;
    try {
      outcome = await this.send(tenantId, doc, n);
    } catch (e) {
      if (this.stopped) return this.giveBack(tenantId, number, id, leased.token);
      // Another instance may hold it now; look again once a lease taken now would have run out.
      if (e instanceof LeaseLost) return this.o.clock().getTime() + this.o.leaseMs;
      return this.failedAttempt(tenantId, number, n, e);
    }
    // Sent (or skipped): a failure to record it must not send it again.
    try {
      await this.settled(tenantId, number, id, outcome, leased.token);
    } catch (e) {
      log.error(
        { err: e, notification: id },
        'a notification was delivered but could not be marked so',
      );
    }
    return undefined;
  }

  /** Releases the lease of an item a stopping instance did not send, so that it goes out at once elsewhere. */
  private async giveBack(
    tenantId: string,
    number: string,
    id: string,
    token: string,
  ): Promise<undefined> {
    const { store } = this.o;
    await store
      .update(tenantId, number, `release:${token}`, (doc) =>
        store.withItem(doc, id, (x) => (x.lease?.owner === token ? { ...x, lease: undefined } : x)),
      )
      .catch((e: unknown) =>
        log.warn({ err: e, notification: id }, 'a lease was not given back: it runs out'),
      );
    return undefined;
  }

  private async settled(
    tenantId: string,
    number: string,
    id: string,
    outcome: Outcome,
    token: string,
  ): Promise<void> {
    const { store, clock } = this.o;
    if (outcome === 'awaitingInstall') {
      await store.update(tenantId, number, `waiting:${token}`, (doc) =>
        store.waiting
          ? store.waiting(doc, id, clock().toISOString())
          : store.withItem(doc, id, (x) => ({
              ...x,
              state: 'awaitingInstall',
              attempts: x.attempts + 1,
              lease: undefined,
            })),
      );
      return;
    }
    await store.update(tenantId, number, `settle:${token}`, (doc) =>
      store.withItem(doc, id, (x) => ({
        ...x,
        state: outcome,
        lease: undefined,
        attempts: x.attempts + 1,
        // An item skipped (its recipient may no longer see the document) was never delivered.
        ...(outcome === 'delivered' ? { deliveredAt: clock().toISOString() } : {}),
      })),
    );
  }

  /** Schedules a retry with backoff and jitter (Retry-After first), or gives up after bounded attempts. */
  private async failedAttempt(
    tenantId: string,
    number: string,
    n: N,
    e: unknown,
  ): Promise<number | undefined> {
    const { store, clock } = this.o;
    const err = e instanceof DeliveryError ? e : new DeliveryError(String(e), undefined, undefined);
    const attempts = n.attempts + 1;
    log.warn(
      { notification: n.id, [store.name]: number, attempts, code: err.code, detail: err.message },
      'a notification was not delivered',
    );
    if (!err.transient || attempts >= this.o.maxAttempts) {
      await store.update(tenantId, number, `failed:${n.id}`, (doc) =>
        store.failed
          ? store.failed(doc, n.id, err.code, clock().toISOString())
          : store.withItem(doc, n.id, (x) => ({
              ...x,
              state: 'failed',
              lastError: err.code,
              attempts,
              lease: undefined,
            })),
      );
      return undefined;
    }
    const backoff =
      err.retryAfterMs ?? this.o.baseBackoffMs * 2 ** (attempts - 1) * (0.5 + Math.random());
    const retryAt = clock().getTime() + backoff;
    const key = `retry:${n.id}:${clock().getTime()}:${Math.random()}`;
    await store.update(tenantId, number, key, (doc) =>
      store.withItem(doc, n.id, (x) => ({
        ...x,
        attempts,
        lease: undefined,
        lastError: err.code,
        nextAttemptAt: new Date(retryAt).toISOString(),
      })),
    );
    return retryAt;
  }

  private async lease(
    tenantId: string,
    number: string,
    id: string,
  ): Promise<{ doc: D; item: N; token: string } | undefined> {
    const { store } = this.o;
    const now = this.o.clock();
    const token = `lease:${id}:${this.o.instanceId}:${now.getTime()}:${Math.random()}`;
    const until = new Date(now.getTime() + this.o.leaseMs).toISOString();
    const saved = await store.update(tenantId, number, token, (doc) => {
      const n = store.items(doc).find((x) => x.id === id);
      const held = n?.lease && Date.parse(n.lease.until) > now.getTime();
      if (!n || n.state !== 'pending' || held) return doc;
      return store.withItem(doc, id, (x) => ({ ...x, lease: { owner: token, until } }));
    });
    const n = store.items(saved).find((x) => x.id === id);
    return n?.lease?.owner === token ? { doc: saved, item: n, token } : undefined;
  }

  /**
   * Sends through the stored 1:1 chat, else opens one, else falls back to a mention where the change
   * was made; nothing at all to someone who may not see the document as it is now (a revoked owner).
   */
  private async send(tenantId: string, doc: D, n: N): Promise<Outcome> {
    const { payload, sender } = this.o;
    if (!(await payload.mayReceive(n, doc))) return 'skipped';
    const delivered = await sender.toPersonalChat(tenantId, n.to, {
      card: await payload.render(n, doc),
      serviceUrl: (n.origin as { serviceUrl?: string } | undefined)?.serviceUrl,
      leaseUntil: n.lease ? Date.parse(n.lease.until) : undefined,
      signal: this.stopping.signal,
    });
    if (delivered) return 'delivered';
    // Not reachable: say so where the change was made, and deliver when they show up.
    if (n.origin && n.to.channelUserId && payload.fallbackText) {
      await sender.mention(
        tenantId,
        n.origin,
        { channelUserId: n.to.channelUserId, name: n.to.name },
        payload.fallbackText(n, doc),
      );
    }
    return 'awaitingInstall';
  }
}
