import type { Container } from '@azure/cosmos';
import type { ClaimStatus } from '../../domain/status';
import { HISTORY_MOST } from '../../domain/claim';
import { queryAll } from '../cosmos';
import type { ClaimKey } from './port';

/*
 * The queries of the background work (reminders, the outbox sweep, history compaction): across every
 * tenant, for the claims one sweep has to visit.
 */

/** Claims whose history has outgrown the document (compaction moves the oldest out). */
export const withLongHistory = (container: Container): Promise<ClaimKey[]> =>
  queryAll<ClaimKey>(
    container,
    "SELECT c.tenantId, c.number FROM c WHERE c.type = 'claim' AND ARRAY_LENGTH(c.history) > @most",
    [{ name: '@most', value: HISTORY_MOST }],
  );

/** Claims with notifications to deliver: all of them, or those for one recipient. */
export function withOpenNotifications(
  container: Container,
  recipient?: { tenantId: string; userId: string },
): Promise<ClaimKey[]> {
  if (!recipient) {
    return queryAll<ClaimKey>(
      container,
      "SELECT c.tenantId, c.number FROM c WHERE c.type = 'claim' AND c.openOutbox = true",
      [],
    );
  }
  return queryAll<ClaimKey>(
    container,
    "SELECT c.tenantId, c.number FROM c WHERE c.tenantId = @t AND c.type = 'claim' AND ARRAY_CONTAINS(c.openRecipients, @u)",
    [
      { name: '@t', value: recipient.tenantId },
      { name: '@u', value: recipient.userId },
    ],
  );
}

/** Claims with an upload request due on or before `day`. */
export const withRequestsDueBy = (container: Container, day: string): Promise<ClaimKey[]> =>
  queryAll<ClaimKey>(
    container,
    "SELECT c.tenantId, c.number FROM c WHERE c.type = 'claim' AND c.nextRequestDue <= @day",
    [{ name: '@day', value: day }],
  );

/** Claims in one of `statuses`. */
export function inStatuses(
  container: Container,
  statuses: readonly ClaimStatus[],
): Promise<ClaimKey[]> {
  const list = statuses.map((st) => `'${st}'`).join(', ');
  return queryAll<ClaimKey>(
    container,
    `SELECT c.tenantId, c.number FROM c WHERE c.type = 'claim' AND c.status IN (${list})`,
    [],
  );
}
