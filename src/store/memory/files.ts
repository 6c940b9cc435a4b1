import { createHmac, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { checkUpload } from '../fileChecks';
import { FileMissingError, FileRejectedError, FileStore, StoredFile } from '../fileStore';

interface Blob {
  readonly bytes: Buffer;
  readonly createdOn: Date;
}

/**
 * Files in this process's memory: the twin of BlobFileStore, with the same checks on every upload
 * (fileChecks.ts). Its read links name the blob and their expiry, signed like a SAS, but lead
 * nowhere.
 */
export class MemoryFileStore implements FileStore {
  private readonly blobs = new Map<string, Blob>();
  private readonly signingKey = randomBytes(32);

  constructor(private readonly o: { readonly maxBytes: number }) {}

  async put(
    blobName: string,
    source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
    meta: { uploaderId: string; originalName: string },
  ): Promise<StoredFile> {
    const { contentType, body, totals } = await checkUpload(
      source,
      meta.originalName,
      this.o.maxBytes,
    );
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of body) chunks.push(chunk);
    } catch (error) {
      this.blobs.delete(blobName);
      throw error;
    }
    this.blobs.set(blobName, { bytes: Buffer.concat(chunks), createdOn: new Date() });
    return { blobName, size: totals.size, sha256: totals.sha256, contentType };
  }

  async read(blobName: string, maxBytes: number): Promise<Buffer> {
    const blob = this.blobs.get(blobName);
    if (!blob) throw new FileMissingError(blobName);
    if (blob.bytes.length > maxBytes) throw new FileRejectedError('tooLarge');
    return Buffer.from(blob.bytes);
  }

  async openRead(blobName: string): Promise<NodeJS.ReadableStream> {
    const blob = this.blobs.get(blobName);
    if (!blob) throw new FileMissingError(blobName);
    return Readable.from([Buffer.from(blob.bytes)]);
  }

  /** A file the bot made itself (an export), stored unchecked; its size in bytes. */
  async write(blobName: string, source: Readable): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const chunk of source) chunks.push(Buffer.from(chunk as Uint8Array));
    const bytes = Buffer.concat(chunks);
    this.blobs.set(blobName, { bytes, createdOn: new Date() });
    return bytes.length;
  }

  async readUrl(blobName: string, ttlSeconds: number): Promise<string> {
    const path = blobName.split('/').map(encodeURIComponent).join('/');
    const expires = new Date(Date.now() + ttlSeconds * 1000).toISOString();
    const sig = createHmac('sha256', this.signingKey)
      .update(`${path}\n${expires}`)
      .digest('base64');
    return `memory://files/${path}?se=${encodeURIComponent(expires)}&sig=${encodeURIComponent(sig)}`;
  }

  async delete(blobName: string): Promise<void> {
    this.blobs.delete(blobName);
  }

  async *list(prefix: string): AsyncIterable<{ blobName: string; createdOn: Date }> {
    const names = [...this.blobs.keys()].filter((n) => n.startsWith(prefix)).sort();
    for (const blobName of names) {
      const blob = this.blobs.get(blobName);
      if (blob) yield { blobName, createdOn: blob.createdOn };
    }
  }

  async ping(): Promise<void> {}
}
