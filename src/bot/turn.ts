import type { AdaptiveCard } from '../../cards';
import type { Person } from '../domain/roles';
import type { Texts } from '../i18n/i18n';

export type Scope = 'personal' | 'groupChat' | 'channel';

/**
 * One incoming activity as the handlers see it: who, where, in which language — with nothing of
 * botbuilder in it, so handlers move with the app to another Teams SDK unchanged.
 */
export interface Turn {
  /**
   * The activity's id scoped by chat and sender (hex): what the turn writes is keyed by it, so two
   * people sending the same message id never share a key, and a Teams retry finds its first try.
   */
  readonly activityId: string;
  /** The card a button was pressed on, for invokes: Teams replaces it with the answer itself. */
  readonly replyToId?: string;
  readonly tenantId: string;
  /** The user's Microsoft Entra object id and display name. */
  readonly user: Person;
  readonly scope: Scope;
  readonly texts: Texts;
  readonly now: Date;
  /** People @mentioned in the message, the bot left out, in the order they were mentioned. */
  readonly mentions: readonly { readonly id: string; readonly name: string }[];
  /** Where this activity came from, opaque: for replies later (a fallback mention). */
  readonly origin: Readonly<Record<string, unknown>>;
  /** Looks a user up by Teams user id (29:…) or Entra object id in this conversation or tenant. */
  resolveMember(channelUserId: string): Promise<Person | undefined>;
  /** The turn's one message for how far slow work has come; the answer then takes its place. */
  readonly progress: ProgressMessage;
}

/**
 * A message posted on the first show and updated in place after that. Best effort and never waits:
 * a show is dropped (false) while the previous one is still on its way or the chat's rate limits
 * leave no room right now. Where there is no chat to write to (card actions), every show is dropped.
 */
export interface ProgressMessage {
  show(text: string): boolean;
  /**
   * The turn may show progress before it answers (it streams files): its answer then takes its
   * place in the chat's rate limits like the shows, even when the turn ends before any show. Files
   * dropped together arrive as a burst of such turns in one chat.
   */
  expect(): void;
}

export const NO_PROGRESS: ProgressMessage = { show: () => false, expect: () => undefined };

/**
 * A card or a text; a claim card names its claim, so a posted one is kept up to date. In a group
 * chat or channel `forEveryone` is the card all members see where it differs from `card`, the user's
 * own view: Teams shows an invoke's answer to the user who pressed the button alone, but a message
 * the bot posts or updates to everybody.
 */
export type Reply =
  | {
      readonly card: AdaptiveCard;
      readonly claim?: string;
      readonly forEveryone?: AdaptiveCard;
      /**
       * The answer to a card action comes as a new message and the clicked card stays (a list the
       * user opened a claim from); Teams then shows this short text beside the clicked card.
       */
      readonly asNewMessage?: string;
    }
  | { readonly text: string };

export const cardReply = (
  card: AdaptiveCard,
  claim?: string,
  forEveryone?: AdaptiveCard,
): Reply => ({
  card,
  ...(claim ? { claim } : {}),
  ...(forEveryone ? { forEveryone } : {}),
});
