import { log } from '../../log';
import type { ClaimRepository } from './port';

/**
 * The migration of claims stored in the older shape (every history event in the claim document):
 * moves the events beyond the newest out of each. Any change to such a claim does the same; this
 * runs once at start-up for the claims nobody changes. Safe to run on several instances at once.
 */
export async function compactLongHistories(
  claims: Pick<ClaimRepository, 'withLongHistory' | 'compactHistory'>,
): Promise<number> {
  const keys = await claims.withLongHistory();
  for (const k of keys) await claims.compactHistory(k.tenantId, k.number);
  if (keys.length) log.info({ claims: keys.length }, 'moved old history out of claim documents');
  return keys.length;
}
