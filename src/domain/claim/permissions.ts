import { AppError } from '../errors';
import { hadAHand, paymentConflict } from '../fourEyes';
import type { NotificationKind } from '../notification';
import {
  Actor,
  Person,
  canCreateClaims,
  canDispute,
  canRecordPayment,
  canReview,
  isTenantAdmin,
} from '../roles';
import { ClaimStatus, DECIDED_STATUSES, canTransition, isEditable } from '../status';
import type { Claim } from './model';
import { inResultsWindow } from './resultsWindow';

export const isOwner = (actor: Actor, claim: Claim): boolean => claim.owner.id === actor.userId;
/** An owner sees their claim while they may make claims: a revoked owner keeps nothing of it. */
const isActiveOwner = (actor: Actor, claim: Claim): boolean =>
  isOwner(actor, claim) && canCreateClaims(actor);
/** Contributors keep access until the claim is decided. */
export const isContributor = (actor: Actor, claim: Claim): boolean =>
  !DECIDED_STATUSES.includes(claim.status) && claim.contributors.some((p) => p.id === actor.userId);
/** Admins and active owners act for the claim as a whole (submit, ask colleagues). */
const ownsClaim = (actor: Actor, claim: Claim): boolean =>
  isTenantAdmin(actor) || isActiveOwner(actor, claim);
const isMember = (actor: Actor, claim: Claim): boolean =>
  ownsClaim(actor, claim) || isContributor(actor, claim);

export function canView(actor: Actor, claim: Claim): boolean {
  if (actor.tenantId !== claim.tenantId) return false;
  if (ownsClaim(actor, claim) || isContributor(actor, claim)) return true;
  return canReview(actor) && claim.status !== 'editing';
}

/** The notices that end a colleague's part: they find the claim already out of the colleague's sight. */
const ENDS_A_COLLEAGUES_PART: readonly NotificationKind[] = [
  'approved',
  'rejected',
  'uploadRequestCancelled',
];

/**
 * Whether a notification about the claim may reach this person now (their stored roles, the claim as
 * it is): whoever may see the claim, and a colleague asked to upload for the notice that ends their
 * part (the decision, a cancelled request). A revoked owner or reviewer is sent nothing of the claim.
 */
export function mayBeNotified(actor: Actor, claim: Claim, kind: NotificationKind): boolean {
  if (canView(actor, claim)) return true;
  if (actor.tenantId !== claim.tenantId) return false;
  const colleague =
    claim.contributors.some((p) => p.id === actor.userId) ||
    claim.uploadRequests.some((r) => r.to.id === actor.userId);
  return colleague && ENDS_A_COLLEAGUES_PART.includes(kind);
}

/** A type, not an interface: the card data takes it as a record of flags by name. */
export type ClaimPermissions = {
  readonly view: boolean;
  readonly edit: boolean;
  /** Adding documents: also colleagues asked to upload, who may not edit anything else. */
  readonly addDocuments: boolean;
  readonly submit: boolean;
  readonly comment: boolean;
  readonly requestUpload: boolean;
  /** Tell the other reviewers "I am on it": Submitted → Under review, the viewer as its reviewer. */
  readonly startReview: boolean;
  /** Reject and Request information; also Approve, unless `approve` says otherwise. A Submitted claim is taken into review by the decision itself. */
  readonly decide: boolean;
  /** Decide, except for the reviewer who gave the first of two approvals (they cannot give the second). */
  readonly approve: boolean;
  /** Feedback on single documents, without a status change. */
  readonly reviewItems: boolean;
  /** Incentives admins without a hand in the claim (four eyes). */
  readonly dispute: boolean;
  /** Incentives admins without a hand in the claim, and not its reviewer (see payment.ts). */
  readonly recordPayment: boolean;
  /** Ask for a later submit deadline: the owner, while none is asked for. */
  readonly requestExtension: boolean;
  /** Grant or decline an extension asked for: an Incentives admin who is not the owner. */
  readonly decideExtension: boolean;
  /** Add metrics: editors while editable, and the owner and admins for a while after the decision. */
  readonly addResults: boolean;
};

/**
 * Whether `actor` may add or change results on a decided claim at `now`: its owner (still an
 * Incentives user) or an Incentives admin, until RESULTS_OPEN_DAYS after the decision.
 */
export const resultsOpenAfterDecision = (actor: Actor, claim: Claim, now: string): boolean =>
  canView(actor, claim) && ownsClaim(actor, claim) && inResultsWindow(claim, now);

/**
 * What `actor` may see and do on the claim at `now`: an action checks it once (authorize), and the
 * claim card shows its buttons from one result of it (`can`), never from a copy of its flags.
 */
export function permissions(
  actor: Actor,
  claim: Claim,
  now = new Date().toISOString(),
): ClaimPermissions {
  const view = canView(actor, claim);
  const member = view && isMember(actor, claim);
  const editable = isEditable(claim.status);
  const reviewer = view && canReview(actor) && !hadAHand(claim, actor.userId);
  const owns = ownsClaim(actor, claim);
  const decide =
    reviewer &&
    (canTransition(claim.status, 'approve') || canTransition(claim.status, 'startReview'));
  // A colleague asked to upload may add documents and comments; editing the rest of the claim
  // takes the Incentives user role as well (product.md's role table).
  const editor = member && (owns || canCreateClaims(actor));
  const submittable = canTransition(claim.status, 'submit');
  const edit = editor && editable;
  return {
    view,
    edit,
    addDocuments: member && editable,
    submit: view && owns && submittable,
    comment: view,
    requestUpload: member && editable && owns,
    startReview: reviewer && canTransition(claim.status, 'startReview'),
    decide,
    approve: decide && claim.firstApproval?.by.id !== actor.userId,
    reviewItems:
      reviewer &&
      claim.documents.length > 0 &&
      ['submitted', 'underReview', 'disputed'].includes(claim.status),
    dispute:
      view &&
      canDispute(actor) &&
      !hadAHand(claim, actor.userId) &&
      // A payment is final: a claim partly paid is no longer disputed.
      !claim.payments?.length &&
      canTransition(claim.status, 'dispute'),
    recordPayment:
      view &&
      canRecordPayment(actor) &&
      !paymentConflict(claim, actor.userId) &&
      canTransition(claim.status, 'recordPayment'),
    requestExtension: view && isActiveOwner(actor, claim) && submittable && !claim.extensionRequest,
    decideExtension:
      view &&
      isTenantAdmin(actor) &&
      !isOwner(actor, claim) &&
      submittable &&
      claim.extensionRequest !== undefined,
    addResults: edit || (view && owns && inResultsWindow(claim, now)),
  };
}

/** A status in which each action is possible, to tell "not now" from "not you". */
const STATUS_WHERE_ALLOWED: Readonly<Record<keyof ClaimPermissions, ClaimStatus>> = {
  view: 'submitted',
  edit: 'editing',
  addDocuments: 'editing',
  submit: 'editing',
  comment: 'editing',
  requestUpload: 'editing',
  startReview: 'submitted',
  decide: 'underReview',
  approve: 'underReview',
  reviewItems: 'underReview',
  dispute: 'approved',
  recordPayment: 'approved',
  requestExtension: 'editing',
  decideExtension: 'editing',
  addResults: 'editing',
};

const REVIEW_ACTIONS: readonly (keyof ClaimPermissions)[] = [
  'startReview',
  'decide',
  'approve',
  'reviewItems',
];

/**
 * Not visible → "not found" (never reveal that it exists); allowed in another status → STATUS_FORBIDS
 * naming the current status; otherwise NOT_ALLOWED.
 */
export function authorize(actor: Actor, claim: Claim, action: keyof ClaimPermissions): void {
  const p = permissions(actor, claim);
  if (!p.view) throw new AppError('CLAIM_NOT_FOUND', { number: claim.number });
  if (p[action]) return;
  if (permissions(actor, { ...claim, status: STATUS_WHERE_ALLOWED[action] })[action]) {
    throw new AppError('STATUS_FORBIDS', { status: claim.status, action });
  }
  if (action === 'approve' && p.decide) throw new AppError('SAME_APPROVER');
  if (REVIEW_ACTIONS.includes(action) && canReview(actor) && hadAHand(claim, actor.userId)) {
    throw new AppError('HAD_A_HAND');
  }
  if (action === 'dispute' && canDispute(actor) && hadAHand(claim, actor.userId)) {
    throw new AppError('HAD_A_HAND_DISPUTE');
  }
  if (action === 'recordPayment' && canRecordPayment(actor)) {
    throw new AppError('HAD_A_HAND_PAYMENT');
  }
  throw new AppError('NOT_ALLOWED', { action });
}

export const person = (actor: Actor): Person => ({
  id: actor.userId,
  name: actor.name,
  ...(actor.channelUserId ? { channelUserId: actor.channelUserId } : {}),
});
