import { Container } from '@azure/cosmos';
import { CosmosDb, readDoc } from './cosmos';

/**
 * Where the bot can reach a user proactively: the serialized conversation reference of their 1:1
 * chat with the bot. Opaque to the store (the Teams edge owns its shape).
 */
export interface PersonalConversation {
  readonly id: string;
  readonly tenantId: string;
  readonly reference: Readonly<Record<string, unknown>>;
  readonly updatedAt: string;
}

export interface ConversationRepository {
  save(entry: PersonalConversation): Promise<void>;
  get(tenantId: string, userId: string): Promise<PersonalConversation | undefined>;
}

export class CosmosConversationRepository implements ConversationRepository {
  private readonly container: Container;
  /** What this process last wrote per user, so an unchanged reference costs no write. */
  private readonly written = new Map<string, string>();

  constructor(db: CosmosDb) {
    this.container = db.container('conversations');
  }

  async save(entry: PersonalConversation): Promise<void> {
    const key = `${entry.tenantId}|${entry.id}`;
    const fingerprint = JSON.stringify(entry.reference);
    if (this.written.get(key) === fingerprint) return;
    await this.container.items.upsert(entry);
    this.written.set(key, fingerprint);
  }

  async get(tenantId: string, userId: string): Promise<PersonalConversation | undefined> {
    return (await readDoc<PersonalConversation>(this.container, tenantId, userId))?.doc;
  }
}
