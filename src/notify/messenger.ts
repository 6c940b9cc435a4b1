import type { AdaptiveCard } from '../../cards';

export type ConversationReference = Readonly<Record<string, unknown>>;

/** A send that failed: the HTTP status when there was one, and how long Teams asked us to wait. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryAfterMs: number | undefined,
    /** The chat service's own error code (`UserNotFound`, `ConversationNotFound`), when it said one. */
    readonly serviceCode?: string,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }

  /**
   * The person cannot be reached until they write to the bot or install it: Teams' 403 (app not
   * installed, or removed), 404 (no such chat or user), the Agents Playground's 500 `UserNotFound`
   * (a person who is not at its keyboard). Kept for them, not retried.
   */
  get unreachable(): boolean {
    return (
      this.status === 403 ||
      this.status === 404 ||
      (this.status === 500 && this.serviceCode === 'UserNotFound')
    );
  }

  /**
   * What is kept in the claim about a failure: a code (`http-503`, `unreachable`), never the
   * error's text, which may carry URLs, ids or a dependency's wording; the text goes to the log.
   */
  get code(): string {
    return this.status === undefined ? 'unreachable' : `http-${this.status}`;
  }

  /** Worth another attempt later: throttling, server trouble, network errors. */
  get transient(): boolean {
    if (this.unreachable) return false;
    return this.status === undefined || [408, 412, 429, 500, 502, 503, 504].includes(this.status);
  }
}

/** The port through which notifications leave the app (implemented at the Teams edge). */
export interface Messenger {
  /** Sends a card into an existing conversation; returns the new activity's id. */
  send(reference: ConversationReference, card: AdaptiveCard): Promise<string | undefined>;
  /** Opens the 1:1 chat with a user and sends the card there; returns that chat's reference. */
  createPersonal(
    target: { tenantId: string; userId: string; serviceUrl: string },
    card: AdaptiveCard,
  ): Promise<ConversationReference>;
  /** Replaces an activity the bot posted earlier (a card brought up to date). */
  update(reference: ConversationReference, activityId: string, card: AdaptiveCard): Promise<void>;
  /** Posts a text mentioning a user in a conversation (the fallback when their chat cannot be opened). */
  mention(
    reference: ConversationReference,
    user: { channelUserId: string; name: string },
    text: string,
  ): Promise<void>;
}

/**
 * What `act` returns inside the conversation `open` gives it. An SDK's continueConversation swallows
 * what its callback throws, so the outcome is carried out of the callback; a failure inside it or
 * outside it comes back through `toError`.
 */
export async function resultInConversation<C, T>(
  open: (inside: (context: C) => Promise<void>) => Promise<unknown>,
  act: (context: C) => Promise<T>,
  toError: (e: unknown) => DeliveryError,
): Promise<T> {
  let outcome: { value: T } | undefined;
  let failure: unknown;
  try {
    await open(async (context) => {
      try {
        outcome = { value: await act(context) };
      } catch (e) {
        failure = e;
      }
    });
  } catch (e) {
    failure = e;
  }
  if (failure || !outcome) throw toError(failure ?? new Error('not sent'));
  return outcome.value;
}
