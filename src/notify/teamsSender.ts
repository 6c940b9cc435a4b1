import { setTimeout as delay } from 'node:timers/promises';
import type { AdaptiveCard } from '../../cards';
import { BoundedMap } from '../domain/boundedMap';
import type { ConversationRepository } from '../store/conversations';
import { log } from '../log';
import { DeliveryError, Messenger } from './messenger';
import { RateLimiter, TEAMS_CONVERSATION_LIMITS, TEAMS_TENANT_LIMITS } from './rateLimiter';

export interface TeamsSenderOptions {
  readonly conversations: ConversationRepository;
  readonly messenger: Messenger;
  readonly clock: () => Date;
  /** How long a conversation pauses after a 429 without Retry-After. */
  readonly baseBackoffMs: number;
  /** A send needs this much of its lease left, so that no other instance can have taken it over. */
  readonly leaseSafetyMs: number;
  readonly conversationLimiter?: RateLimiter;
  readonly tenantLimiter?: RateLimiter;
  /** This instance's share of Teams' limits, which hold for all instances together. */
  readonly share?: () => number;
  /**
   * False in the local loop: the Agents Playground accepts a chat opened with a person who is not
   * at its keyboard but never shows it, so what they are owed waits until they write instead.
   */
  readonly opensChats?: boolean;
  /** Pauses after a 429, shared with the other instances (see InstanceShare). */
  readonly pauses?: SharedPauses;
}

/** A conversation's pause after a 429, held by every instance. */
export interface SharedPauses {
  pausedFor(conversation: string): Promise<number>;
  pauseEverywhere(conversation: string, ms: number): Promise<void>;
}

/** A person the bot writes to: the stored user id, and the Teams id when the bot has seen it. */
export interface Addressee {
  readonly id: string;
  readonly channelUserId?: string;
}

/** The lease ran out while waiting for a rate-limit slot: the notification is not sent here. */
export class LeaseLost extends Error {}

const conversationIdOf = (reference: Readonly<Record<string, unknown>>): string =>
  String((reference.conversation as { id?: string } | undefined)?.id ?? '');

/**
 * Every message the bot sends on its own (not as a turn's reply) goes through here: within Teams'
 * per-conversation and per-tenant limits, to a stored conversation or a person's 1:1 chat.
 */
export class TeamsSender {
  private readonly conversationLimiter: RateLimiter;
  private readonly tenantLimiter: RateLimiter;
  /** Service URLs per tenant, to open 1:1 chats; bounded (a dropped one is learnt again). */
  private readonly serviceUrls = new BoundedMap<string>(10_000);

  constructor(private readonly o: TeamsSenderOptions) {
    const share = { share: o.share };
    this.conversationLimiter =
      o.conversationLimiter ?? new RateLimiter(TEAMS_CONVERSATION_LIMITS, share);
    this.tenantLimiter = o.tenantLimiter ?? new RateLimiter(TEAMS_TENANT_LIMITS, share);
  }

  learnServiceUrl(tenantId: string, serviceUrl: string | undefined): void {
    if (serviceUrl) this.serviceUrls.set(tenantId, serviceUrl);
  }

  /** Puts `card` in place of a message the bot posted earlier. */
  async replaceCard(
    tenantId: string,
    reference: Readonly<Record<string, unknown>>,
    activityId: string,
    card: AdaptiveCard,
  ): Promise<void> {
    await this.limited(tenantId, conversationIdOf(reference), () =>
      this.o.messenger.update(reference, activityId, card),
    );
  }

  /** Mentions a person where a request was made (when their 1:1 chat cannot be reached). */
  async mention(
    tenantId: string,
    reference: Readonly<Record<string, unknown>>,
    person: { readonly channelUserId: string; readonly name: string },
    text: string,
  ): Promise<void> {
    await this.limited(tenantId, conversationIdOf(reference), () =>
      this.o.messenger.mention(reference, person, text),
    );
  }

  /**
   * Sends a card to one user's own 1:1 chat with the bot, now and within the rate limits, without
   * retries: false when the bot cannot reach that chat. For answers meant for that user alone, such
   * as a document's link asked for in a group chat (the user asks again rather than waiting).
   */
  async sendPrivately(tenantId: string, to: Addressee, card: AdaptiveCard): Promise<boolean> {
    try {
      return await this.toPersonalChat(tenantId, to, { card: () => card });
    } catch (e) {
      if (!(e instanceof DeliveryError)) throw e;
      log.warn({ err: e }, 'could not send a card to a 1:1 chat');
      return false;
    }
  }

  /**
   * Sends through the stored 1:1 chat, else opens one; false when neither is possible or the person
   * cannot be reached until they write (DeliveryError.unreachable). With
   * `leaseUntil`, throws LeaseLost rather than send once the lease is about to run out; with
   * `signal`, stops waiting for a slot and sends nothing once it aborts (throws its reason).
   */
  async toPersonalChat(
    tenantId: string,
    to: Addressee,
    o: {
      card: (locale: string | undefined) => AdaptiveCard;
      serviceUrl?: string;
      leaseUntil?: number;
      signal?: AbortSignal;
    },
  ): Promise<boolean> {
    const personal = await this.o.conversations.get(tenantId, to.id);
    if (personal) {
      const card = o.card(personal.locale);
      try {
        await this.limited(
          tenantId,
          String(personal.conversationId),
          () => this.o.messenger.send(personal.reference, card),
          o,
        );
      } catch (e) {
        if (!(e instanceof DeliveryError) || !e.unreachable) throw e;
        // That chat is gone: their next message or install stores a new one.
        await this.o.conversations.forget(tenantId, to.id, personal.conversationId);
        return false;
      }
      return true;
    }
    const serviceUrl = o.serviceUrl ?? this.serviceUrls.get(tenantId);
    const userId = to.channelUserId ?? to.id;
    if (!serviceUrl || this.o.opensChats === false) return false;
    try {
      const reference = await this.limited(
        tenantId,
        `create:${userId}`,
        () => this.o.messenger.createPersonal({ tenantId, userId, serviceUrl }, o.card(undefined)),
        o,
      );
      await this.o.conversations.save({
        id: to.id,
        tenantId,
        conversationId: conversationIdOf(reference),
        reference,
        updatedAt: this.o.clock().toISOString(),
      });
      return true;
    } catch (e) {
      if (!(e instanceof DeliveryError) || !e.unreachable) throw e;
      return false;
    }
  }

  /**
   * Sends within Teams' limits. A lease that ran out while waiting for a slot is given up (another
   * instance may hold it now), and so is a send whose `signal` aborted while it waited; a 429 pauses
   * the conversation for its Retry-After, on every instance.
   */
  private async limited<T>(
    tenantId: string,
    conversation: string,
    send: () => Promise<T>,
    { leaseUntil, signal }: { leaseUntil?: number; signal?: AbortSignal } = {},
  ): Promise<T> {
    // Read before a slot is granted: the limits count a send when its slot is, not when it leaves.
    const paused = (await this.o.pauses?.pausedFor(conversation)) ?? 0;
    if (paused > 0) await delay(paused, undefined, { signal });
    await this.tenantLimiter.acquire(tenantId, signal);
    await this.conversationLimiter.acquire(conversation, signal);
    if (leaseUntil !== undefined && this.o.clock().getTime() > leaseUntil - this.o.leaseSafetyMs) {
      throw new LeaseLost();
    }
    try {
      return await send();
    } catch (e) {
      if (e instanceof DeliveryError && e.status === 429) {
        const ms = e.retryAfterMs ?? this.o.baseBackoffMs;
        this.conversationLimiter.pause(conversation, ms);
        await this.o.pauses?.pauseEverywhere(conversation, ms);
      }
      throw e;
    }
  }
}
