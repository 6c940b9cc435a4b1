import { Readable } from 'node:stream';
import type { Claim, ClaimDocument } from '../src/domain/claim';
import type { Person } from '../src/domain/roles';
import type { ClaimRepository } from '../src/store/claims';
import type { FileStore } from '../src/store/fileStore';

export interface StoredDocumentFile {
  readonly fileName: string;
  readonly bytes: () => Buffer | Readable;
}

/**
 * Stores files in Blob storage and lists them as documents of a claim in one write, as an upload
 * would leave them, past the domain's checks (a claim of 200 documents for the export benchmark).
 */
export async function storeDocuments(o: {
  readonly files: FileStore;
  readonly claims: ClaimRepository;
  readonly tenantId: string;
  readonly number: string;
  readonly uploader: Person;
  readonly documents: readonly StoredDocumentFile[];
}): Promise<Claim> {
  const at = new Date().toISOString();
  const documents: ClaimDocument[] = [];
  for (const [i, d] of o.documents.entries()) {
    const id = `stored-${i}-${Date.now()}`;
    const blobName = `${o.tenantId}/${o.number}/${id}/${d.fileName}`;
    const bytes = d.bytes();
    const source = Buffer.isBuffer(bytes) ? Readable.from([bytes]) : bytes;
    const stored = await o.files.put(blobName, source, {
      uploaderId: o.uploader.id,
      originalName: d.fileName,
    });
    documents.push({
      id,
      type: i % 2 ? 'poe' : 'invoice',
      fileName: d.fileName,
      blobName,
      size: stored.size,
      contentType: stored.contentType,
      sha256: stored.sha256,
      explanation: `Document ${i + 1}`,
      uploadedBy: o.uploader,
      uploadedAt: at,
      feedback: [],
    });
  }
  return o.claims.update(o.tenantId, o.number, `store-documents-${at}`, (claim) => ({
    ...claim,
    documents: [...claim.documents, ...documents],
  }));
}
