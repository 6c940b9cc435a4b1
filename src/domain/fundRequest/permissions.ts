import { AppError } from '../errors';
import { Actor, canCreateClaims, isTenantAdmin } from '../roles';
import type { FundRequest, RequestStatus } from './model';

export const isRequester = (actor: Actor, request: FundRequest): boolean =>
  request.requester.id === actor.userId;

/**
 * The tenant's admins see a request, and its requester while they may make claims (as an owner sees
 * a claim): a revoked requester keeps nothing of it. Nobody of another tenant does.
 */
export const canViewRequest = (actor: Actor, request: FundRequest): boolean =>
  actor.tenantId === request.tenantId &&
  (isTenantAdmin(actor) || (isRequester(actor, request) && canCreateClaims(actor)));

/**
 * What `fund requests` lists, as canViewRequest decides: every request of the tenant for its admins,
 * one's own while one may make claims, else none (undefined).
 */
export function listedRequests(actor: Actor): { readonly requesterId?: string } | undefined {
  if (isTenantAdmin(actor)) return {};
  return canCreateClaims(actor) ? { requesterId: actor.userId } : undefined;
}

export interface RequestPermissions {
  readonly view: boolean;
  /** Approve or Decline: an admin who did not ask for it (four eyes). */
  readonly decide: boolean;
  /** Create claim: the requester, once approved. */
  readonly createClaim: boolean;
  /** Withdraw an approval (its reservation goes back to the fund): an admin, while approved. */
  readonly withdraw: boolean;
}

const STATUS_WHERE_ALLOWED: Readonly<Record<keyof RequestPermissions, RequestStatus>> = {
  view: 'requested',
  decide: 'requested',
  createClaim: 'approved',
  withdraw: 'approved',
};

/** Every button on a request card is shown from this, and every action re-checks it. */
export function requestPermissions(actor: Actor, request: FundRequest): RequestPermissions {
  const view = canViewRequest(actor, request);
  return {
    view,
    decide:
      view &&
      isTenantAdmin(actor) &&
      !isRequester(actor, request) &&
      request.status === 'requested',
    createClaim:
      view &&
      isRequester(actor, request) &&
      canCreateClaims(actor) &&
      request.status === 'approved',
    withdraw: view && isTenantAdmin(actor) && request.status === 'approved',
  };
}

/**
 * Not visible → "not found"; allowed in another status → REQUEST_STATUS_FORBIDS; the requester as
 * an admin deciding their own → HAD_A_HAND_REQUEST; otherwise NOT_ALLOWED.
 */
export function authorizeRequest(
  actor: Actor,
  request: FundRequest,
  action: keyof RequestPermissions,
): void {
  const p = requestPermissions(actor, request);
  if (!p.view) throw new AppError('REQUEST_NOT_FOUND', { number: request.number });
  if (p[action]) return;
  const elsewhere = { ...request, status: STATUS_WHERE_ALLOWED[action] };
  if (requestPermissions(actor, elsewhere)[action]) {
    throw new AppError('REQUEST_STATUS_FORBIDS', { requestStatus: request.status, action });
  }
  if (action === 'decide' && isTenantAdmin(actor)) throw new AppError('HAD_A_HAND_REQUEST');
  throw new AppError('NOT_ALLOWED', { action });
}
