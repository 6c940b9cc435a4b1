import { AppError, invalidInput } from '../errors';
import { hadAHand } from '../fourEyes';
import type { Money } from '../money';
import type { Recipient } from '../notification';
import type { Actor } from '../roles';
import { Claim, approveChecked, authorize, checkApprovedAmount, inReview, person } from '../claim';
import { record } from '../claim/change';
import { TenantPolicy, approvalLimit, secondApprovalAbove } from './model';

/** What an Approve needs to know of the tenant besides the claim: its policy and its reviewers. */
export interface ApprovalContext {
  readonly policy: TenantPolicy;
  /** The tenant's reviewers: those without a hand are told a second approval is needed. */
  readonly reviewers: readonly Recipient[];
}

const above = (amount: Money, limit: Money | undefined): boolean =>
  limit !== undefined && amount.minor > limit.minor;

/**
 * Approve under the tenant's approval policy (a Submitted claim is taken into review by it). An amount above the tenant's Second approval above, or
 * above the approver's own limit, makes this Approve the first of two: the claim keeps its status,
 * records "Approval 1 of 2" and tells the other reviewers; its fund reservation stays as it is. The
 * second Approve, by another reviewer whose limit covers the amount, decides the claim (the fund's
 * reservation converts then, in the same ETag-checked write as every decision) for at most the
 * amount the first approved.
 */
export function approveWithPolicy(
  claim: Claim,
  actor: Actor,
  approved: Money,
  note: string,
  now: string,
  context: ApprovalContext,
  givenReason = '',
): Claim {
  authorize(actor, claim, 'approve');
  const reason = checkApprovedAmount(claim, approved, givenReason);
  const limit = approvalLimit(context.policy, actor.userId, approved.currency);
  const first = claim.firstApproval;
  if (first) {
    if (above(approved, limit)) {
      throw new AppError('OVER_APPROVAL_LIMIT', { number: claim.number });
    }
    if (approved.minor > first.amount.minor) {
      throw invalidInput([{ field: 'approvedAmount', problem: 'approvedOverFirst' }]);
    }
    const second = { ...claim, firstApproval: undefined };
    return approveChecked(second, actor, { approved, note, reason }, now);
  }
  const threshold = secondApprovalAbove(context.policy, approved.currency);
  if (!above(approved, threshold) && !above(approved, limit)) {
    return approveChecked(claim, actor, { approved, note, reason }, now);
  }
  return record(inReview(claim, actor, now), {
    actor,
    now,
    kind: 'approvalFirst',
    changes: {
      firstApproval: {
        by: person(actor),
        at: now,
        amount: approved,
        note,
        ...(reason ? { reason } : {}),
      },
    },
    ...(reason ? { item: reason } : {}),
    note,
    announce: [
      {
        kind: 'secondApprovalNeeded',
        to: context.reviewers.filter((r) => !hadAHand(claim, r.id)),
        note,
        details: { approved: JSON.stringify(approved) },
      },
    ],
  });
}

/**
 * Reject or Request information by either reviewer ends a round of two approvals: the first approval
 * is discarded, and history says so (whose it was), before the decision itself is recorded.
 */
export function endApprovalRound(claim: Claim, actor: Actor, now: string): Claim {
  const first = claim.firstApproval;
  if (!first) return claim;
  return record(claim, {
    actor,
    now,
    kind: 'approvalDiscarded',
    changes: { firstApproval: undefined },
    item: first.by.name,
  });
}
