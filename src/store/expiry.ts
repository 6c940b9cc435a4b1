import { CosmosDb, deleteIfThere, queryAll } from './cosmos';
import { INSTANCES } from './instanceRoll';

/**
 * How long an applied-activity item is kept. Teams retries an activity within minutes; a week also
 * covers a retry replayed after an outage. Older items only grow the tenant's partition.
 */
export const APPLIED_KEPT_MS = 7 * 24 * 60 * 60_000;
/** A 429 pause is removed this long after it ran out (nobody reads it after its end). */
export const PAUSE_KEPT_MS = 60 * 60_000;

interface ItemKey {
  readonly id: string;
  readonly tenantId: string;
}

/**
 * Removes the items that would otherwise stay forever: applied-activity items older than
 * APPLIED_KEPT_MS (by the time Cosmos DB stamped them, `_ts`) and 429 pauses over for PAUSE_KEPT_MS.
 * An explicit sweep rather than Cosmos DB's time to live, which the local emulator does not
 * implement; the app runs it on one instance at a time (a job lease). Returns how many went.
 */
export async function sweepExpiredItems(db: CosmosDb, now: Date): Promise<number> {
  const claims = db.container('claims');
  const leases = db.container('leases');
  const applied = await queryAll<ItemKey>(
    claims,
    "SELECT c.id, c.tenantId FROM c WHERE c.type = 'appliedActivity' AND c._ts < @before",
    [{ name: '@before', value: Math.floor((now.getTime() - APPLIED_KEPT_MS) / 1000) }],
  );
  const pauses = await queryAll<ItemKey>(
    leases,
    "SELECT c.id, c.tenantId FROM c WHERE c.tenantId = @t AND c.type = 'pause' AND c.until < @before",
    [
      { name: '@t', value: INSTANCES },
      { name: '@before', value: now.getTime() - PAUSE_KEPT_MS },
    ],
  );
  for (const item of applied) await deleteIfThere(claims, item);
  for (const item of pauses) await deleteIfThere(leases, item);
  return applied.length + pauses.length;
}
