import type { LedgerEntry } from '../fund';
import type { InvoiceReading } from '../invoiceTotal';
import type { Money } from '../money';
import type { Notification } from '../notification';
import type { ExchangeRate, FundTerms } from '../reimbursement';
import type { Person } from '../roles';
import type { ClaimStatus } from '../status';

export const ACTIVITY_TYPES = ['webinar', 'digitalAds', 'event', 'training', 'other'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const DOCUMENT_TYPES = ['invoice', 'csr', 'poe', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export interface Feedback {
  readonly by: Person;
  readonly at: string;
  readonly text: string;
  /** Its ordinal among the document's feedback (1 for the first); missing on older records. */
  readonly n?: number;
}

export interface ClaimDocument {
  readonly id: string;
  readonly type: DocumentType;
  readonly fileName: string;
  readonly blobName: string;
  readonly size: number;
  readonly contentType: string;
  readonly sha256: string;
  readonly explanation: string;
  readonly uploadedBy: Person;
  readonly uploadedAt: string;
  /** The newest feedback (see feedbackWindow.ts): older pieces are kept apart by the store. */
  readonly feedback: readonly Feedback[];
  /** How many pieces of feedback the document was ever given; missing on older records. */
  readonly feedbackCount?: number;
  /** Invoices and CSRs: the total the bot read from the file, once read (see reading/). */
  readonly reading?: InvoiceReading;
}

/** A result (issue 33: `leads`, `opportunities`, `pipeline`, `revenue`) or a free name/value pair. */
export type MetricKind = 'leads' | 'opportunities' | 'pipeline' | 'revenue' | 'other';

export interface Metric {
  readonly id: string;
  /** Absent on free metrics (`other`). */
  readonly kind?: MetricKind;
  readonly name: string;
  /** A count; for `pipeline` and `revenue` an amount in minor units of the claim's currency. */
  readonly value: number;
}

export interface UploadRequest {
  readonly id: string;
  readonly to: Person;
  readonly types: readonly DocumentType[];
  readonly note: string;
  readonly due: string;
  readonly requestedBy: Person;
  readonly at: string;
  readonly fulfilledAt?: string;
  /** Set when the requester called the request off. */
  readonly cancelledAt?: string;
  /** The day the last reminder went out (`YYYY-MM-DD`): at most one a day. */
  readonly remindedOn?: string;
}

/** Neither fulfilled nor called off: shown on the card, reminded, and fulfilled by an upload. */
export const isOpenRequest = (r: UploadRequest): boolean => !r.fulfilledAt && !r.cancelledAt;

export const HISTORY_KINDS = [
  'created',
  'informationEdited',
  'metricAdded',
  'commented',
  'submitted',
  'documentAdded',
  'documentRemoved',
  'uploadRequested',
  'reviewStarted',
  'approved',
  'rejected',
  'informationRequested',
  'itemFeedback',
  'disputed',
  'notificationFailed',
  'explanationEdited',
  'documentReplaced',
  'uploadRequestCancelled',
  'paid',
  'notificationWaiting',
  'approvalFirst',
  'approvalDiscarded',
  'extensionRequested',
  'extensionGranted',
  'extensionDeclined',
  'exchangeRateSet',
  'resultsRecorded',
  'duplicateChecked',
] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

/** Append-only: written in the same document write as the change it records. */
export interface HistoryEvent {
  readonly seq: number;
  readonly at: string;
  readonly by: Person;
  readonly kind: HistoryKind;
  /** Whom `by` covered for while they were away (see domain/policy/away.ts). */
  readonly for?: Person;
  /** What the event concerns: a metric, a document, a field list. Shown literally. */
  readonly item?: string;
  readonly note?: string;
}

export const PAYMENT_METHODS = ['creditMemo', 'bankTransfer', 'check'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** A payment of an approved claim, as an Incentives admin recorded it (see payment.ts). */
export interface Payment {
  readonly method: PaymentMethod;
  /** In the fund's currency. */
  readonly amount: Money;
  /** `YYYY-MM-DD`, the day the money went out. */
  readonly date: string;
  readonly reference: string;
  readonly by: Person;
  readonly at: string;
}

/** A reviewer's "checked, not a duplicate" on one invoice key of the claim (see duplicates.ts). */
export interface DuplicateCheck {
  readonly key: string;
  readonly by: Person;
  readonly at: string;
}

/** An Approve that counts as the first of two: the claim waits for a second reviewer. */
export interface FirstApproval {
  readonly by: Person;
  readonly at: string;
  readonly amount: Money;
  readonly note: string;
  /** Why less than the reimbursable amount (required then). */
  readonly reason?: string;
}

/** The owner's request for a later submit deadline, waiting for an Incentives admin (deadline.ts). */
export interface ExtensionRequest {
  readonly by: Person;
  readonly at: string;
  readonly reason: string;
}

/** A claim card the bot posted: where it is, and whose view of the claim it shows. */
export interface PostedCard {
  readonly viewerId: string;
  readonly activityId: string;
  /** Opaque conversation reference of the chat holding the card. */
  readonly conversation: Readonly<Record<string, unknown>>;
  readonly at: string;
}

/** Only the most recent cards are kept up to date: updates are bounded per claim. */
export const MAX_POSTED_CARDS = 10;

export interface Claim {
  readonly id: string;
  readonly tenantId: string;
  readonly number: string;
  readonly seq: number;
  readonly formId: string;
  readonly title: string;
  readonly fundId: string;
  readonly activityType: ActivityType;
  readonly activityStart: string;
  readonly activityEnd: string;
  /** The claimed cost, in the claim's own currency. */
  readonly amount: Money;
  /** What its fund pays of it (see reimbursement.ts); absent on claims made before: all of it. */
  readonly terms?: FundTerms;
  /** Required at submit when the claim's currency is not its fund's. */
  readonly exchange?: ExchangeRate;
  readonly description: string;
  readonly additionalInfo: string;
  readonly owner: Person;
  readonly contributors: readonly Person[];
  readonly status: ClaimStatus;
  readonly reviewer?: Person;
  /** Who made the last decision (Approve or Reject): after a dispute, another reviewer than `reviewer`. */
  readonly decidedBy?: Person;
  /** In the fund's currency. */
  readonly approvedAmount?: Money;
  /** Why the approved amount is below the reimbursable amount. */
  readonly approvalReason?: string;
  /** The first of two approvals the approval policy asks for (see domain/policy/approval.ts). */
  readonly firstApproval?: FirstApproval;
  readonly decisionNote?: string;
  /** They add up: "Partly paid" until they reach the approved amount, then Paid. */
  readonly payments?: readonly Payment[];
  /** When the last Approve or Reject was made (since issue 33): results stay open 90 days after. */
  readonly decidedAt?: string;
  /** When the owner was asked for results (once, 30 days after the activity's end). */
  readonly resultsRemindedAt?: string;
  readonly documents: readonly ClaimDocument[];
  readonly metrics: readonly Metric[];
  readonly uploadRequests: readonly UploadRequest[];
  readonly history: readonly HistoryEvent[];
  /** Notifications owed because of changes to this claim, written with the change (see notification.ts). */
  readonly outbox: readonly Notification[];
  /** Claim cards the bot posted as messages, updated in place when the claim changes. */
  readonly postedCards?: readonly PostedCard[];
  /**
   * Changes to the fund sums this claim's changes caused, not yet posted to the tenant's ledger:
   * kept by the claim store, written with the change itself so that none is lost.
   */
  readonly ledgerEntries?: readonly LedgerEntry[];
  /** Ids of everyone who had a hand in the claim (four eyes, see fourEyes.ts). */
  readonly hands?: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly submittedAt?: string;
  /** When the last decision was disputed: a disputed claim has waited for a reviewer since then. */
  readonly disputedAt?: string;
  /**
   * The last Request information (its history event): what the owner answers while the claim is in
   * Action required, kept here because the claim holds only its newest history events.
   */
  readonly question?: HistoryEvent;
  /** An extension of the submit deadline asked for and not yet decided. */
  readonly extensionRequest?: ExtensionRequest;
  /** The submit deadline an Incentives admin granted (`YYYY-MM-DD`), in place of the usual one. */
  readonly extendedTo?: string;
  /** The submit deadline reminders sent (days before it) for the deadline they were sent for. */
  readonly deadlineReminders?: { readonly deadline: string; readonly sent: readonly number[] };
  /** The review reminders of the current submit: the day of the last one and how many went out. */
  readonly reviewReminded?: {
    readonly submittedAt: string;
    readonly on: string;
    readonly count: number;
  };
  /** Flags of duplicate invoices a reviewer checked: not duplicates (see duplicates.ts). */
  readonly duplicateChecks?: readonly DuplicateCheck[];
}

/** The fund facts a claim needs; kept small so the domain does not depend on the fund store. */
export interface FundRef {
  readonly id: string;
  readonly currency: string;
  /** Its money rules, when they are not "100 %, no cap". */
  readonly terms?: FundTerms;
}

export const formatClaimNumber = (seq: number): string => `CLM-${String(seq).padStart(4, '0')}`;
const NUMBER_RE = /^CLM-(\d{1,9})$/i;

/** `clm-42`, `CLM-0042` → `CLM-0042`; anything else undefined. */
export function parseClaimNumber(text: string): string | undefined {
  const m = NUMBER_RE.exec(text.trim());
  return m ? formatClaimNumber(Number(m[1])) : undefined;
}
