import type { PendingUpload, UploadRepository } from '../uploads';
import { stored } from './stored';

/** Uploads under way in this process's memory: the twin of CosmosUploadRepository. */
export class MemoryUploadRepository implements UploadRepository {
  private readonly uploads = new Map<string, PendingUpload>();

  async get(tenantId: string, userId: string): Promise<PendingUpload | undefined> {
    const upload = this.uploads.get(`${tenantId}|${userId}`);
    return upload && stored(upload);
  }

  async save(upload: PendingUpload): Promise<void> {
    this.uploads.set(`${upload.tenantId}|${upload.id}`, stored(upload));
  }

  async clear(tenantId: string, userId: string): Promise<void> {
    this.uploads.delete(`${tenantId}|${userId}`);
  }
}
