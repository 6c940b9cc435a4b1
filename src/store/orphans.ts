import { DECIDED_STATUSES } from '../domain/status';
import type { ClaimRepository } from './claims';
import type { FileStore } from './fileStore';

/** A blob this young may still be on its way to its claim (a file streaming, a retried write). */
export const ORPHAN_GRACE_MS = 60 * 60_000;

/**
 * Removes blobs whose document record was never written or was removed (a crash between the blob
 * and the claim write, a removal whose blob delete failed). Blob names are
 * `{tenant}/{claim}/{document}/{file}`; a blob is kept while its claim lists it.
 */
export async function sweepOrphanBlobs(
  files: FileStore,
  claims: ClaimRepository,
  now: Date,
): Promise<string[]> {
  const removed: string[] = [];
  const known = new Map<string, Set<string> | undefined>();
  for await (const blob of files.list('')) {
    if (now.getTime() - blob.createdOn.getTime() < ORPHAN_GRACE_MS) continue;
    const [tenantId, number] = blob.blobName.split('/');
    const key = `${tenantId}/${number}`;
    let names = known.get(key);
    if (!known.has(key)) {
      const claim = tenantId && number ? await claims.get(tenantId, number) : undefined;
      // A decided claim's blobs are proof under retention: never removed, listed or not.
      names =
        claim && DECIDED_STATUSES.includes(claim.status)
          ? undefined
          : new Set(claim?.documents.map((d) => d.blobName) ?? []);
      known.set(key, names);
    }
    if (names && !names.has(blob.blobName)) {
      await files.delete(blob.blobName);
      removed.push(blob.blobName);
    }
  }
  return removed;
}
