import {
  Claim,
  DuplicateFlag,
  canView,
  duplicateFlags,
  invoiceKeys,
  isOwner,
} from '../../domain/claim';
import { Actor, canReview } from '../../domain/roles';
import type { Services } from '../services';

/** Other claims read to name them (each a point read): more are counted as "other claims". */
const CLAIMS_READ = 5;

/**
 * The duplicate invoice flags the claim's owner and reviewers see: the claims sharing an invoice
 * from the tenant's invoice keys (one query), each read to decide from stored data whether the
 * viewer may see it, and to drop a key the other claim no longer holds.
 */
export async function duplicateFlagsFor(
  services: Services,
  actor: Actor,
  claim: Claim,
): Promise<DuplicateFlag[]> {
  if (!isOwner(actor, claim) && !canReview(actor)) return [];
  if (!claim.documents.some((d) => d.type === 'invoice')) return [];
  const hits = await services.claims.duplicatesOf(claim);
  if (!hits.length) return [];
  const numbers = [...new Set(hits.map((h) => h.number))];
  const read = await Promise.all(
    numbers.slice(0, CLAIMS_READ).map((n) => services.claims.get(claim.tenantId, n)),
  );
  const others = new Map(read.flatMap((c) => (c ? [[c.number, c] as const] : [])));
  const live = hits.filter((h) => {
    const other = others.get(h.number);
    // Beyond those read: counted, never named.
    if (!numbers.slice(0, CLAIMS_READ).includes(h.number)) return true;
    return other !== undefined && invoiceKeys(other).some((k) => k.key === h.key);
  });
  return duplicateFlags(claim, live, (n) => {
    const other = others.get(n);
    return other !== undefined && canView(actor, other);
  });
}
