import {
  ConversationRepository,
  PersonalConversation,
  conversationFingerprint,
} from '../conversations';
import { stored } from './stored';

/** Users' 1:1 conversation references in this process's memory: the twin of the Cosmos one. */
export class MemoryConversationRepository implements ConversationRepository {
  private readonly entries = new Map<string, PersonalConversation>();

  async save(entry: PersonalConversation): Promise<boolean> {
    const key = `${entry.tenantId}|${entry.id}`;
    const known = this.entries.get(key);
    if (known && conversationFingerprint(known) === conversationFingerprint(entry)) return false;
    this.entries.set(key, stored(entry));
    return true;
  }

  async get(tenantId: string, userId: string): Promise<PersonalConversation | undefined> {
    const entry = this.entries.get(`${tenantId}|${userId}`);
    return entry && stored(entry);
  }

  async forget(tenantId: string, userId: string, conversationId: string): Promise<void> {
    const key = `${tenantId}|${userId}`;
    if (this.entries.get(key)?.conversationId === conversationId) this.entries.delete(key);
  }
}
