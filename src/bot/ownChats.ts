import { BoundedMap } from '../domain/boundedMap';
import type { ConversationRepository } from '../store/conversations';

/** The id of a 1:1 chat between a user and a bot (Teams and the Agents Playground alike). */
const BOT_CHAT = /^a:/;

/**
 * Which `personal` conversation is a user's own chat with the bot. Teams calls a person-to-person
 * chat (`19:…@unq.gbl.spaces`) `personal` too: a card shared there from the message extension sends
 * card actions from it, although the bot is not in that chat. Only the user's own chat is private.
 */
export class OwnChats {
  /** Each user's chat with the bot as this process confirmed it, by tenant and user. */
  private readonly confirmed = new BoundedMap<string>(10_000);

  constructor(private readonly conversations: ConversationRepository) {}

  /** A chat the bot is in (a message or chat event came from it) is the user's own chat. */
  confirm(tenantId: string, userId: string, conversationId: string): void {
    this.confirmed.set(`${tenantId}|${userId}`, conversationId);
  }

  /**
   * The chat stored for the user, or with none stored, one of the bot's 1:1 chat ids. Confirmed
   * chats are kept, so a user's turns read nothing more than before; a kept one is always a chat the
   * bot had with that user, so another instance changing the stored one cannot make it wrong.
   */
  async isOwn(tenantId: string, userId: string, conversationId: string): Promise<boolean> {
    if (this.confirmed.get(`${tenantId}|${userId}`) === conversationId) return true;
    const stored = await this.conversations.get(tenantId, userId);
    const own = stored ? stored.conversationId === conversationId : BOT_CHAT.test(conversationId);
    if (own) this.confirm(tenantId, userId, conversationId);
    return own;
  }
}
