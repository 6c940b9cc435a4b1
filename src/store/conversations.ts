import { Container } from '@azure/cosmos';
import { BoundedMap } from '../domain/boundedMap';
import { CosmosDb, readDoc } from './cosmos';

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
}
