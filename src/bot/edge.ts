import type { Request, Response } from 'restify';
import type { AdaptiveCard } from '../../cards';
import type { BotSdk } from '../config';
import type { Messenger } from '../notify/messenger';

/**
 * The Teams edge as the bot sees it, whatever SDK carries the activities: a Bot Framework activity
 * as plain JSON in, messages, updates and an invoke answer out, and proactive messages through the
 * Messenger. One implementation per SDK: `botbuilder/` (Bot Framework SDK) and `agents/`
 * (Microsoft 365 Agents SDK); `BOT_SDK` chooses (config.ts, edges.ts).
 */

export interface ChannelAccount {
  readonly id: string;
  readonly name?: string;
  readonly aadObjectId?: string;
}

export interface Attachment {
  readonly contentType?: string;
  readonly contentUrl?: string;
  readonly name?: string;
  readonly content?: unknown;
}

export interface Mention {
  readonly type?: string;
  readonly text?: string;
  readonly mentioned?: { readonly id: string; readonly name?: string };
}

/** An incoming activity: the fields of the Bot Framework schema the bot reads. */
export interface InboundActivity {
  readonly type: string;
  readonly id?: string;
  readonly name?: string;
  readonly timestamp?: unknown;
  readonly channelId: string;
  readonly serviceUrl: string;
  /** Set over by the local loop's language (LOCAL_LOCALE) before the bot reads it. */
  locale?: string;
  readonly text?: string;
  readonly value?: unknown;
  readonly replyToId?: string;
  readonly from: ChannelAccount;
  readonly recipient: ChannelAccount;
  readonly conversation: {
    readonly id: string;
    readonly tenantId?: string;
    readonly conversationType?: string;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly channelData?: any;
  readonly entities?: readonly Mention[];
  readonly attachments?: readonly Attachment[];
  readonly membersAdded?: readonly ChannelAccount[];
}

/** The HTTP answer to an invoke (a card action, a search). */
export interface InvokeAnswer {
  readonly status: number;
  readonly body?: unknown;
}

/** A member of a chat or team as Teams' roster returns it. */
export interface RosterMember {
  readonly id: string;
  readonly name?: string;
  readonly aadObjectId?: string;
}

/** One turn on the edge: the activity and what the bot may do in its chat. */
export interface EdgeTurn {
  readonly activity: InboundActivity;
  /** Posts a card or a text into the turn's chat; the new message's id. */
  send(message: AdaptiveCard | string): Promise<string | undefined>;
  /** Replaces a message the bot posted in the turn's chat. */
  update(activityId: string, card: AdaptiveCard): Promise<void>;
  /** Looks a member up in the turn's team or chat (Teams user id or Entra object id). */
  member(id: string): Promise<RosterMember>;
}

/** The bot's logic for one turn; an invoke's answer, or nothing for other activities. */
export type TurnLogic = (turn: EdgeTurn) => Promise<InvokeAnswer | undefined>;

export interface BotEdge {
  readonly sdk: BotSdk;
  /**
   * Answers one POST /api/messages (its JSON body already read): checks the token (401 without a
   * valid one), runs `logic` on the activity and writes the answer (an invoke's, or 200).
   */
  process(req: Request, res: Response, logic: TurnLogic): Promise<void>;
  /** Proactive messages: sends, updates, 1:1 chats opened; 429 and Retry-After as DeliveryErrors. */
  readonly messenger: Messenger;
}

/** The adaptive card attachment of a message. */
export const CARD = 'application/vnd.microsoft.card.adaptive';
export const cardAttachment = (card: AdaptiveCard): { contentType: string; content: unknown } => ({
  contentType: CARD,
  content: card,
});

/**
 * Where an activity came from, for replies later: Bot Framework's ConversationReference (the same
 * shape on both SDKs, so a reference stored under one is used by the other).
 */
export function conversationReference(a: InboundActivity): Record<string, unknown> {
  return {
    activityId: a.id,
    user: { ...a.from },
    bot: { ...a.recipient },
    conversation: { ...a.conversation },
    channelId: a.channelId,
    locale: a.locale,
    serviceUrl: a.serviceUrl,
  };
}
