import {
  Claim,
  ClaimPermissions,
  canView,
  mayBeNotified,
  parseClaimNumber,
  permissions,
} from '../../domain/claim';
import { AppError } from '../../domain/errors';
import type { Notification, Recipient } from '../../domain/notification';
import type { Actor } from '../../domain/roles';
import { awayNow, redirected } from '../../domain/policy';
import { storedActor } from '../actor';
import type { Services } from '../services';

/** The claim number from card data or a command, or "not found" for anything else. */
export function claimNumberFrom(value: unknown): string {
  const number = typeof value === 'string' ? parseClaimNumber(value) : undefined;
  if (!number) {
    const shown = typeof value === 'string' ? value.slice(0, 40) : '';
    throw new AppError('CLAIM_NOT_FOUND', { number: shown });
  }
  return number;
}

/** The stored claim if this actor may see it; other tenants' and invisible claims are "not found". */
export async function visibleClaim(
  services: Services,
  actor: Actor,
  number: string,
): Promise<Claim> {
  const claim = await services.claims.get(actor.tenantId, number);
  if (!claim || !canView(actor, claim)) throw new AppError('CLAIM_NOT_FOUND', { number });
  return claim;
}

/**
 * What the viewer may see and do on the claim, decided once for the cards that show it: none is
 * rendered for a viewer who may not see the claim ("not found", as for every other action).
 */
export function viewerRights(actor: Actor, claim: Claim, now?: Date): ClaimPermissions {
  const can = permissions(actor, claim, now?.toISOString());
  if (!can.view) throw new AppError('CLAIM_NOT_FOUND', { number: claim.number });
  return can;
}

/** Whether a notification may go to its recipient now: decided from their stored roles. */
export async function mayReceive(
  services: Services,
  n: Notification,
  claim: Claim,
): Promise<boolean> {
  const actor = await storedActor(services, claim.tenantId, n.to);
  return mayBeNotified(actor, claim, n.kind);
}

/**
 * Reviewers of the tenant, as recipients of "submitted" notifications; a reviewer away is replaced
 * by who covers for them.
 */
export async function reviewersOf(
  services: Services,
  tenantId: string,
  now = new Date(),
): Promise<Recipient[]> {
  const [reviewers, cover] = await Promise.all([
    services.users.withRole(tenantId, 'reviewer'),
    coverOf(services, tenantId, now),
  ]);
  return cover(
    reviewers.map((u) => ({
      id: u.id,
      name: u.name,
      ...(u.channelUserId ? { channelUserId: u.channelUserId } : {}),
    })),
  );
}

/** Replaces each person away (`away until`) by who covers for them, as the tenant's policy says. */
export async function coverOf(
  services: Services,
  tenantId: string,
  now = new Date(),
): Promise<(people: readonly Recipient[]) => Recipient[]> {
  const absences = awayNow(await services.policy.get(tenantId), now);
  return (people) => redirected(people, absences);
}
