import { Container } from '@azure/cosmos';
import { BoundedMap } from '../domain/boundedMap';
import { CosmosDb, readDoc, statusOf } from './cosmos';

/**
 * Where the bot can reach a user proactively: the serialized conversation reference of their 1:1
 * chat with the bot. Opaque to the store (the Teams edge owns its shape).
 */
export interface PersonalConversation {
  readonly id: string;
  readonly tenantId: string;
  /** The 1:1 conversation's id, the key of Teams' per-conversation rate limits. */
  readonly conversationId: string;
  /** The user's language as their client last reported it. */
  readonly locale?: string;
  readonly reference: Readonly<Record<string, unknown>>;
  readonly updatedAt: string;
}

export interface ConversationRepository {
  /** Stores the reference; true when it was new or changed (false: stored so already). */
  save(entry: PersonalConversation): Promise<boolean>;
  get(tenantId: string, userId: string): Promise<PersonalConversation | undefined>;
  /**
   * Drops the reference when it still points at `conversationId`: the chat service said that chat
   * is gone (the app was removed, the Playground restarted as another person), so the user's next
   * message or install stores a new one and delivers what waits for them.
   */
  forget(tenantId: string, userId: string, conversationId: string): Promise<void>;
}

/** What makes a saved reference worth writing again when it changes. */
export const conversationFingerprint = (entry: PersonalConversation): string =>
  JSON.stringify([entry.reference, entry.locale]);

/**
 * References are written only when they change. When instances share the database, another may
 * have written a newer one (the user's language changed there), so a reference this process wrote
 * before is compared with the stored one (a point read, cheaper than a write) rather than trusted.
 */
export class CosmosConversationRepository implements ConversationRepository {
  private readonly container: Container;
  /** What this process last wrote per user: only then can a read spare the write. */
  private readonly written = new BoundedMap<string>(10_000);

  constructor(
    db: CosmosDb,
    private readonly options: { readonly shared: boolean } = { shared: true },
  ) {
    this.container = db.container('conversations');
  }

  async save(entry: PersonalConversation): Promise<boolean> {
    const key = `${entry.tenantId}|${entry.id}`;
    const fingerprint = conversationFingerprint(entry);
    if (this.written.get(key) === fingerprint) {
      if (!this.options.shared) return false;
      const stored = await this.get(entry.tenantId, entry.id);
      if (stored && conversationFingerprint(stored) === fingerprint) return false;
    }
    await this.container.items.upsert(entry);
    this.written.set(key, fingerprint);
    return true;
  }

  async get(tenantId: string, userId: string): Promise<PersonalConversation | undefined> {
    return (await readDoc<PersonalConversation>(this.container, tenantId, userId))?.doc;
  }

  async forget(tenantId: string, userId: string, conversationId: string): Promise<void> {
    this.written.delete(`${tenantId}|${userId}`);
    const stored = await readDoc<PersonalConversation>(this.container, tenantId, userId);
    if (stored?.doc.conversationId !== conversationId) return;
    try {
      await this.container
        .item(userId, tenantId)
        .delete({ accessCondition: { type: 'IfMatch', condition: stored.etag } });
    } catch (e) {
      // Written again in between (the user wrote) or gone already: the newer state stands.
      if (statusOf(e) !== 404 && statusOf(e) !== 412) throw e;
    }
  }
}
