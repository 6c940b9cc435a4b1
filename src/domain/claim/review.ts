import { AppError, invalidInput } from '../errors';
import type { Money } from '../money';
import type { Recipient } from '../notification';
import type { Actor } from '../roles';
import { transition } from '../status';
import { reimbursableOf } from '../reimbursement';
import { UnmetRequirement, unmetRequirements } from '../requirements';
import { ownerAndContributors, record } from './change';
import { withMoreFeedback } from './feedbackWindow';
import { Claim, ClaimDocument } from './model';
import { authorize, person } from './permissions';
import { documentOf } from './documents';

export class RequirementsUnmetError extends AppError {
  constructor(readonly unmet: readonly UnmetRequirement[]) {
    super('REQUIREMENTS_UNMET', { count: unmet.length });
  }
}

/** Submit (or resubmit after Action required) once every core requirement is met. */
export function submit(
  claim: Claim,
  actor: Actor,
  context: { remaining: Money; reviewers: readonly Recipient[]; deadline?: string },
  now: string,
): Claim {
  authorize(actor, claim, 'submit');
  const unmet = unmetRequirements(claim, context.remaining, now.slice(0, 10), context.deadline);
  if (unmet.length) throw new RequirementsUnmetError(unmet);
  const status = transition(claim.status, 'submit');
  return record(claim, {
    actor,
    now,
    kind: 'submitted',
    changes: { status, submittedAt: now },
    announce: [
      {
        kind: 'submitted',
        to: context.reviewers,
        details: { amount: JSON.stringify(claim.amount) },
      },
    ],
  });
}

/** A Submitted claim taken into review by `actor`, who is allowed to (the caller authorized them). */
const takeIntoReview = (claim: Claim, actor: Actor, now: string): Claim =>
  record(claim, {
    actor,
    now,
    kind: 'reviewStarted',
    changes: { status: transition(claim.status, 'startReview'), reviewer: person(actor) },
  });

export function startReview(claim: Claim, actor: Actor, now: string): Claim {
  authorize(actor, claim, 'startReview');
  return takeIntoReview(claim, actor, now);
}

/**
 * A reviewer's first decision on a Submitted claim starts its review: the claim goes through Under
 * review (history says who started it) in the same write as the decision. Any other claim is as is.
 * For a decision already authorized: it checks nothing itself.
 */
export const inReview = (claim: Claim, actor: Actor, now: string): Claim =>
  claim.status === 'submitted' ? takeIntoReview(claim, actor, now) : claim;

/**
 * An approved amount in the fund's currency, not negative and not above the reimbursable amount;
 * below it, only with a Reason. The reason kept: empty when the whole amount is approved.
 */
export function checkApprovedAmount(claim: Claim, approved: Money, reason = ''): string {
  const due = reimbursableOf(claim);
  if (
    !due ||
    approved.currency !== due.currency ||
    approved.minor < 0 ||
    approved.minor > due.minor
  ) {
    throw invalidInput([{ field: 'approvedAmount', problem: 'approvedOverClaimed' }]);
  }
  if (approved.minor === due.minor) return '';
  if (!reason) throw invalidInput([{ field: 'approveReason', problem: 'reasonWhenLess' }]);
  return reason;
}

/** Decides the claim for `approved` (fund currency); less than its reimbursable amount takes a reason. */
export function approve(
  claim: Claim,
  actor: Actor,
  approved: Money,
  note: string,
  now: string,
  givenReason = '',
): Claim {
  authorize(actor, claim, 'approve');
  const reason = checkApprovedAmount(claim, approved, givenReason);
  return approveChecked(claim, actor, { approved, note, reason }, now);
}

/** What an approval decides: the amount (fund currency), its note and the reason for less. */
export interface Approval {
  readonly approved: Money;
  readonly note: string;
  /** Empty when the whole reimbursable amount is approved (checkApprovedAmount). */
  readonly reason: string;
}

/** The approval decided, once authorized and its amount checked (approve, approveWithPolicy). */
export function approveChecked(
  claim: Claim,
  actor: Actor,
  { approved, note, reason }: Approval,
  now: string,
): Claim {
  const started = inReview(claim, actor, now);
  return record(started, {
    actor,
    now,
    kind: 'approved',
    changes: {
      status: transition(started.status, 'approve'),
      approvedAmount: approved,
      approvalReason: reason || undefined,
      decisionNote: note,
      decidedBy: person(actor),
    },
    // The reason for approving less is what the approval concerns: history.csv's item column.
    ...(reason ? { item: reason } : {}),
    note,
    announce: [
      {
        kind: 'approved',
        to: ownerAndContributors(claim),
        note,
        details: { approved: JSON.stringify(approved), ...(reason ? { reason } : {}) },
      },
    ],
  });
}

export function reject(claim: Claim, actor: Actor, reason: string, now: string): Claim {
  authorize(actor, claim, 'decide');
  const started = inReview(claim, actor, now);
  return record(started, {
    actor,
    now,
    kind: 'rejected',
    changes: {
      status: transition(started.status, 'reject'),
      approvedAmount: undefined,
      approvalReason: undefined,
      decisionNote: reason,
      decidedBy: person(actor),
    },
    note: reason,
    announce: [{ kind: 'rejected', to: ownerAndContributors(claim), note: reason }],
  });
}

/** Reviewer feedback on one document, as typed on the card. */
export interface ItemFeedback {
  readonly documentId: string;
  readonly text: string;
}

function withFeedback(
  claim: Claim,
  actor: Actor,
  feedback: readonly ItemFeedback[],
  now: string,
): { documents: ClaimDocument[]; items: string[] } {
  const items: string[] = [];
  const documents = claim.documents.map((d) => {
    const mine = feedback.filter((f) => f.documentId === d.id);
    if (!mine.length) return d;
    items.push(`${d.fileName}: ${mine.map((f) => f.text).join(' / ')}`);
    return mine.reduce(
      (doc, f) => withMoreFeedback(doc, { by: person(actor), at: now, text: f.text }),
      d,
    );
  });
  const unknown = feedback.find((f) => !claim.documents.some((d) => d.id === f.documentId));
  if (unknown) throw invalidInput([{ field: 'item', problem: 'invalid' }]);
  return { documents, items };
}

/** Back to the owner: the claim is editable again; optional feedback lands on specific documents. */
export function requestInformation(
  claim: Claim,
  actor: Actor,
  note: string,
  now: string,
  feedback: readonly ItemFeedback[] = [],
): Claim {
  authorize(actor, claim, 'decide');
  const started = inReview(claim, actor, now);
  const { documents, items } = withFeedback(started, actor, feedback, now);
  const asked = record(started, {
    actor,
    now,
    kind: 'informationRequested',
    changes: { status: transition(started.status, 'requestInformation'), documents },
    note,
    ...(items.length ? { item: items.join(', ') } : {}),
    announce: [
      {
        kind: 'informationRequested',
        to: ownerAndContributors(claim),
        note,
        details: items.length ? { items: items.join(', ') } : {},
      },
    ],
  });
  return { ...asked, question: asked.history[asked.history.length - 1] };
}

/** Reviewer feedback on one document, without a change of status. */
export function commentOnItem(
  claim: Claim,
  actor: Actor,
  feedback: ItemFeedback,
  now: string,
): Claim {
  authorize(actor, claim, 'reviewItems');
  const { documents, items } = withFeedback(claim, actor, [feedback], now);
  return record(claim, {
    actor,
    now,
    kind: 'itemFeedback',
    changes: { documents },
    item: documentOf(claim, feedback.documentId).fileName,
    note: feedback.text,
    announce: [
      {
        kind: 'itemFeedback',
        to: ownerAndContributors(claim),
        note: feedback.text,
        details: { items: items.join(', ') },
      },
    ],
  });
}

/**
 * A decision disputed: the reviewer who decided is told (or every reviewer when none is on record),
 * through `cover`, which replaces someone away by who covers for them.
 */
export const dispute = (
  claim: Claim,
  actor: Actor,
  reason: string,
  reviewers: readonly Recipient[],
  now: string,
  cover: (people: readonly Recipient[]) => Recipient[] = (people) => [...people],
): Claim => {
  authorize(actor, claim, 'dispute');
  return record(claim, {
    actor,
    now,
    kind: 'disputed',
    changes: { status: transition(claim.status, 'dispute'), disputedAt: now },
    note: reason,
    announce: [
      { kind: 'disputed', to: claim.reviewer ? cover([claim.reviewer]) : reviewers, note: reason },
    ],
  });
};
