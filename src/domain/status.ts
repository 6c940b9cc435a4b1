import { AppError } from './errors';

export const CLAIM_STATUSES = [
  'editing',
  'submitted',
  'underReview',
  'actionRequired',
  'approved',
  'rejected',
  'disputed',
  'paid',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export type ClaimTransition =
  | 'submit'
  | 'startReview'
  | 'approve'
  | 'reject'
  | 'requestInformation'
  | 'dispute'
  | 'recordPayment';

/** The status machine of product.md, as a table: which transition leads from where to where. */
export const TRANSITIONS: Readonly<
  Record<ClaimTransition, { readonly from: readonly ClaimStatus[]; readonly to: ClaimStatus }>
> = {
  submit: { from: ['editing', 'actionRequired'], to: 'submitted' },
  startReview: { from: ['submitted'], to: 'underReview' },
  approve: { from: ['underReview', 'disputed'], to: 'approved' },
  reject: { from: ['underReview', 'disputed'], to: 'rejected' },
  requestInformation: { from: ['underReview', 'disputed'], to: 'actionRequired' },
  dispute: { from: ['approved', 'rejected'], to: 'disputed' },
  recordPayment: { from: ['approved'], to: 'paid' },
};

/** Documents, metrics, information and amounts change only in these. Comments are always allowed. */
export const EDITABLE_STATUSES: readonly ClaimStatus[] = ['editing', 'actionRequired'];
/** Claimed: submitted and not rejected. Pending: claimed and not yet decided. */
export const CLAIMED_STATUSES: readonly ClaimStatus[] = [
  'submitted',
  'underReview',
  'actionRequired',
  'approved',
  'disputed',
  'paid',
];
export const PENDING_STATUSES: readonly ClaimStatus[] = [
  'submitted',
  'underReview',
  'actionRequired',
  'disputed',
];
export const DECIDED_STATUSES: readonly ClaimStatus[] = ['approved', 'rejected', 'paid'];
/** Approved money: a Paid claim stays approved on its fund. */
export const APPROVED_STATUSES: readonly ClaimStatus[] = ['approved', 'paid'];

export const isEditable = (s: ClaimStatus): boolean => EDITABLE_STATUSES.includes(s);

export function canTransition(from: ClaimStatus, t: ClaimTransition): boolean {
  return TRANSITIONS[t].from.includes(from);
}

/** The status after `t`, or STATUS_FORBIDS naming the current status. */
export function transition(from: ClaimStatus, t: ClaimTransition): ClaimStatus {
  if (!canTransition(from, t)) throw new AppError('STATUS_FORBIDS', { status: from, action: t });
  return TRANSITIONS[t].to;
}
