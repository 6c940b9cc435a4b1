import type { Person } from './roles';

export const NOTIFICATION_KINDS = [
  'uploadRequested',
  'submitted',
  'informationRequested',
  'approved',
  'rejected',
  'requestFulfilled',
  'itemFeedback',
  'disputed',
  'uploadReminder',
  'uploadRequestCancelled',
  'paid',
  'secondApprovalNeeded',
  'reviewOverdue',
  'reviewEscalated',
  'submitDeadlineNear',
  'extensionRequested',
  'extensionGranted',
  'extensionDeclined',
  'resultsDue',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Who gets it; `channelUserId` (29:…) when known, for creating a 1:1 chat with them. */
export type Recipient = Person;

/** `skipped`: not sent, as the recipient may no longer see the claim (mayBeNotified); not retried. */
export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'awaitingInstall' | 'skipped';

/**
 * A message owed to someone because of a change to a claim. It is written in the same document write
 * as the change (the outbox), so it cannot be lost; the dispatcher delivers it and records the outcome.
 */
export interface Notification {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly to: Recipient;
  readonly from: Person;
  readonly createdAt: string;
  /** Free text shown in the card: the note of a request, the reason of a decision. */
  readonly note: string;
  /** Extra facts for the card (document types, due date, approved amount), already as text keys. */
  readonly details: Readonly<Record<string, string>>;
  /** Where the change was made, for a fallback mention when the recipient's chat cannot be opened. */
  readonly origin?: Readonly<Record<string, unknown>>;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lease?: { readonly owner: string; readonly until: string };
  readonly deliveredAt?: string;
  readonly lastError?: string;
}

export function newNotification(args: {
  id: string;
  kind: NotificationKind;
  to: Recipient;
  from: Person;
  now: string;
  note?: string;
  details?: Record<string, string>;
  origin?: Readonly<Record<string, unknown>>;
}): Notification {
  return {
    id: args.id,
    kind: args.kind,
    to: args.to,
    from: args.from,
    createdAt: args.now,
    note: args.note ?? '',
    details: args.details ?? {},
    ...(args.origin ? { origin: args.origin } : {}),
    state: 'pending',
    attempts: 0,
    nextAttemptAt: args.now,
  };
}

/** Delivered and failed notifications kept for the record; older ones are dropped from the outbox. */
export const KEPT_SETTLED = 30;

export function isOpen(n: Pick<Notification, 'state'>): boolean {
  return n.state === 'pending' || n.state === 'awaitingInstall';
}

/** The outbox with settled entries trimmed to the most recent ones. */
export function trimOutbox<N extends Pick<Notification, 'state'>>(outbox: readonly N[]): N[] {
  const open = outbox.filter(isOpen);
  const settled = outbox.filter((n) => !isOpen(n)).slice(-KEPT_SETTLED);
  return [...settled, ...open];
}
