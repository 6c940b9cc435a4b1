import { Container } from '@azure/cosmos';
import type { DocumentType } from '../domain/claim';
import { CosmosDb, readDoc } from './cosmos';

/** A file Teams handed to the bot: where to download it from (never taken from card data). */
export interface IncomingFile {
  readonly name: string;
  readonly downloadUrl: string;
}

/**
 * What a user is in the middle of uploading, kept in Cosmos (not in memory) so any instance can
 * finish it: the claim, type and explanation chosen so far, and files that arrived before them.
 */
export interface PendingUpload {
  readonly id: string;
  readonly tenantId: string;
  readonly claim?: string;
  readonly documentType?: DocumentType;
  readonly explanation?: string;
  /** The document the next file replaces (Replace file), if any. */
  readonly replaces?: string;
  readonly files: readonly IncomingFile[];
  readonly createdAt: string;
}

export interface UploadRepository {
  get(tenantId: string, userId: string): Promise<PendingUpload | undefined>;
  save(upload: PendingUpload): Promise<void>;
  clear(tenantId: string, userId: string): Promise<void>;
}

export class CosmosUploadRepository implements UploadRepository {
  private readonly container: Container;

  constructor(db: CosmosDb) {
    this.container = db.container('uploads');
  }

  async get(tenantId: string, userId: string): Promise<PendingUpload | undefined> {
    return (await readDoc<PendingUpload>(this.container, tenantId, userId))?.doc;
  }

  async save(upload: PendingUpload): Promise<void> {
    await this.container.items.upsert(upload);
  }

  async clear(tenantId: string, userId: string): Promise<void> {
    try {
      await this.container.item(userId, tenantId).delete();
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
}
