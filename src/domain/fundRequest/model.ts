import type { ActivityType } from '../claim/model';
import type { LedgerEntry } from '../fund';
import type { Money } from '../money';
import type { Notification } from '../notification';
import type { Person } from '../roles';

/**
 * Pre-approval: an Incentives user asks for a fund's money before the activity; an approved request
 * holds its amount on the fund until a claim is made from it or it expires.
 */
export const REQUEST_STATUSES = [
  'requested',
  'approved',
  'declined',
  'used',
  'expired',
  'withdrawn',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Days after the planned end an approved request keeps its reservation. */
export const REQUEST_EXPIRES_AFTER_DAYS = 30;

export type RequestEventKind =
  | 'requested'
  | 'approved'
  | 'declined'
  | 'used'
  | 'expired'
  | 'withdrawn';

export interface RequestEvent {
  readonly seq: number;
  readonly at: string;
  readonly by: Person;
  readonly kind: RequestEventKind;
  /** The reason of a decline or a withdrawal, the claim made from it. */
  readonly note?: string;
}

export const REQUEST_NOTICE_KINDS = [
  'fundRequested',
  'requestApproved',
  'requestDeclined',
  'requestExpired',
  'requestWithdrawn',
] as const;
export type RequestNoticeKind = (typeof REQUEST_NOTICE_KINDS)[number];

/** A notification about a request: the claim outbox's shape, with the request's own kinds. */
export type RequestNotice = Omit<Notification, 'kind'> & { readonly kind: RequestNoticeKind };

export interface FundRequest {
  /** The number: requests live beside claims, keyed by it. */
  readonly id: string;
  readonly tenantId: string;
  /** `REQ-0001`, unique in the tenant. */
  readonly number: string;
  readonly seq: number;
  readonly formId: string;
  readonly requester: Person;
  readonly activity: string;
  readonly activityType: ActivityType;
  readonly plannedStart: string;
  readonly plannedEnd: string;
  readonly plannedAmount: Money;
  /**
   * What it reserves on its fund while approved: the fund's reimbursable share of the planned amount
   * (rate, then cap per claim: `reimbursable`, as for a claim) when it was asked for. Absent on
   * requests stored before: they reserve their planned amount (see `reservationOf`).
   */
  readonly reserves?: Money;
  readonly fundId: string;
  readonly status: RequestStatus;
  readonly decidedBy?: Person;
  readonly decidedAt?: string;
  /** Why it was declined, or why its approval was withdrawn. */
  readonly reason?: string;
  /** The last day an approved request holds its money (`YYYY-MM-DD`). */
  readonly expiresOn?: string;
  /** The claim created from it. */
  readonly claimNumber?: string;
  readonly history: readonly RequestEvent[];
  readonly outbox: readonly RequestNotice[];
  /** Changes to the fund's reserved sum not yet posted to the tenant's ledger (see store). */
  readonly ledgerEntries?: readonly LedgerEntry[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const formatRequestNumber = (seq: number): string => `REQ-${String(seq).padStart(4, '0')}`;

/** `req-42`, `REQ-0042` → `REQ-0042`; anything else undefined. */
export function parseRequestNumber(text: unknown): string | undefined {
  const m = typeof text === 'string' ? /^REQ-(\d{1,9})$/i.exec(text.trim()) : null;
  return m ? formatRequestNumber(Number(m[1])) : undefined;
}
