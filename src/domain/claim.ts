import { AppError, InputIssue, invalidInput } from './errors';
import type { LedgerEntry } from './fund';
import {
  Notification,
  NotificationKind,
  Recipient,
  newNotification,
  trimOutbox,
} from './notification';
import type { InvoiceReading } from './invoiceTotal';
import { Money, formatAmountInput, parsePositiveAmount, parseScaled } from './money';
import { Actor, Person, canCreateClaims, canDispute, canReview, isTenantAdmin } from './roles';
import {
  ClaimStatus,
  ClaimTransition,
  DECIDED_STATUSES,
  canTransition,
  isEditable,
  transition,
} from './status';
import { UnmetRequirement, unmetRequirements } from './requirements';
import { HAND_KINDS, MAX_HANDS, hadAHand, withHands } from './fourEyes';
import { LIMITS, addDays, readChoice, readDate, readText } from './text';

export class RequirementsUnmetError extends AppError {
  constructor(readonly unmet: readonly UnmetRequirement[]) {
    super('REQUIREMENTS_UNMET', { count: unmet.length });
  }
}

export const ACTIVITY_TYPES = ['webinar', 'digitalAds', 'event', 'training', 'other'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const DOCUMENT_TYPES = ['invoice', 'csr', 'poe', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export interface Feedback {
  readonly by: Person;
  readonly at: string;
  readonly text: string;
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
  readonly feedback: readonly Feedback[];
  /** Invoices and CSRs: the total the bot read from the file, once read (see reading/). */
  readonly reading?: InvoiceReading;
}

export interface Metric {
  readonly id: string;
  readonly name: string;
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
  /** The day the last reminder went out (`YYYY-MM-DD`): at most one a day. */
  readonly remindedOn?: string;
}

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
] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

/** Append-only: written in the same document write as the change it records. */
export interface HistoryEvent {
  readonly seq: number;
  readonly at: string;
  readonly by: Person;
  readonly kind: HistoryKind;
  /** What the event concerns: a metric, a document, a field list. Shown literally. */
  readonly item?: string;
  readonly note?: string;
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
  readonly amount: Money;
  readonly description: string;
  readonly additionalInfo: string;
  readonly owner: Person;
  readonly contributors: readonly Person[];
  readonly status: ClaimStatus;
  readonly reviewer?: Person;
  readonly approvedAmount?: Money;
  readonly decisionNote?: string;
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
}

/** The fund facts a claim needs; kept small so the domain does not depend on the fund store. */
export interface FundRef {
  readonly id: string;
  readonly currency: string;
}

export const formatClaimNumber = (seq: number): string => `CLM-${String(seq).padStart(4, '0')}`;
const NUMBER_RE = /^CLM-(\d{1,9})$/i;

/** `clm-42`, `CLM-0042` → `CLM-0042`; anything else undefined. */
export function parseClaimNumber(text: string): string | undefined {
  const m = NUMBER_RE.exec(text.trim());
  return m ? formatClaimNumber(Number(m[1])) : undefined;
}

// ---- what an actor may do with a claim ---------------------------------------------------------------

export const isOwner = (actor: Actor, claim: Claim): boolean => claim.owner.id === actor.userId;
/** Contributors keep access until the claim is decided. */
export const isContributor = (actor: Actor, claim: Claim): boolean =>
  !DECIDED_STATUSES.includes(claim.status) && claim.contributors.some((p) => p.id === actor.userId);
/** Admins and active owners act for the claim as a whole (submit, ask colleagues). */
const ownsClaim = (actor: Actor, claim: Claim): boolean =>
  isTenantAdmin(actor) || (isOwner(actor, claim) && canCreateClaims(actor));
const isMember = (actor: Actor, claim: Claim): boolean =>
  ownsClaim(actor, claim) || isContributor(actor, claim);

export function canView(actor: Actor, claim: Claim): boolean {
  if (actor.tenantId !== claim.tenantId) return false;
  if (isTenantAdmin(actor) || isOwner(actor, claim) || isContributor(actor, claim)) return true;
  return canReview(actor) && claim.status !== 'editing';
}

export interface ClaimPermissions {
  readonly view: boolean;
  readonly edit: boolean;
  /** Adding documents: also colleagues asked to upload, who may not edit anything else. */
  readonly addDocuments: boolean;
  readonly submit: boolean;
  readonly comment: boolean;
  readonly requestUpload: boolean;
  readonly startReview: boolean;
  readonly decide: boolean;
  /** Feedback on single documents, without a status change. */
  readonly reviewItems: boolean;
  readonly dispute: boolean;
}

/** Every button on a claim card is shown from this, and every action re-checks it. */
export function permissions(actor: Actor, claim: Claim): ClaimPermissions {
  const view = canView(actor, claim);
  const member = view && isMember(actor, claim);
  const editable = isEditable(claim.status);
  const reviewer = view && canReview(actor) && !hadAHand(claim, actor.userId);
  const owns = ownsClaim(actor, claim);
  // A colleague asked to upload may add documents and comments; editing the rest of the claim
  // takes the Incentives user role as well (product.md's role table).
  const editor = member && (owns || canCreateClaims(actor));
  return {
    view,
    edit: editor && editable,
    addDocuments: member && editable,
    submit: view && owns && canTransition(claim.status, 'submit'),
    comment: view,
    requestUpload: member && editable && owns,
    startReview: reviewer && canTransition(claim.status, 'startReview'),
    decide: reviewer && canTransition(claim.status, 'approve'),
    reviewItems:
      reviewer &&
      claim.documents.length > 0 &&
      ['submitted', 'underReview', 'disputed'].includes(claim.status),
    dispute: view && canDispute(actor) && canTransition(claim.status, 'dispute'),
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
  reviewItems: 'underReview',
  dispute: 'approved',
};

const REVIEW_ACTIONS: readonly (keyof ClaimPermissions)[] = [
  'startReview',
  'decide',
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
  if (REVIEW_ACTIONS.includes(action) && canReview(actor) && hadAHand(claim, actor.userId)) {
    throw new AppError('HAD_A_HAND');
  }
  throw new AppError('NOT_ALLOWED', { action });
}

export const person = (actor: Actor): Person => ({
  id: actor.userId,
  name: actor.name,
  ...(actor.channelUserId ? { channelUserId: actor.channelUserId } : {}),
});

/** Who is told about a change, and what. */
interface Announcement {
  readonly kind: NotificationKind;
  readonly to: readonly Recipient[];
  readonly note?: string;
  readonly details?: Record<string, string>;
  readonly origin?: Readonly<Record<string, unknown>>;
}

/**
 * Appends one history event, stamps the change time and queues the notifications the change causes:
 * every change goes through here, so history and outbox are written in the same document write.
 */
function record(
  claim: Claim,
  actor: Actor,
  now: string,
  kind: HistoryKind,
  changes: Partial<Claim>,
  details: { item?: string; note?: string } = {},
  announce: readonly Announcement[] = [],
): Claim {
  const last = claim.history[claim.history.length - 1];
  const seq = (last?.seq ?? 0) + 1;
  const event: HistoryEvent = { seq, at: now, by: person(actor), kind, ...details };
  const from = person(actor);
  const queued = announce.flatMap((a, ai) =>
    uniqueRecipients(a.to)
      .filter((to) => to.id !== actor.userId)
      .map((to, i) =>
        newNotification({
          id: `${claim.number}-${seq}-${ai}-${i}`,
          kind: a.kind,
          to,
          from,
          now,
          note: a.note,
          details: { claim: claim.number, ...a.details },
          origin: a.origin,
        }),
      ),
  );
  const outbox = queued.length
    ? trimOutbox([...(changes.outbox ?? claim.outbox), ...queued])
    : (changes.outbox ?? claim.outbox);
  const hands = withHands(claim, [
    ...(HAND_KINDS.includes(kind) ? [actor.userId] : []),
    ...(changes.contributors ?? []).map((p) => p.id),
  ]);
  return {
    ...claim,
    ...changes,
    outbox,
    hands,
    updatedAt: now,
    history: [...claim.history, event],
  };
}

function uniqueRecipients(list: readonly Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return list.filter((r) => !seen.has(r.id) && seen.add(r.id));
}

/** The people a decision is announced to: the owner and every contributor. */
const ownerAndContributors = (claim: Claim): Recipient[] => [claim.owner, ...claim.contributors];

// ---- creating and editing ----------------------------------------------------------------------------

export interface ClaimInformation {
  readonly title: string;
  readonly activityType: ActivityType;
  readonly activityStart: string;
  readonly activityEnd: string;
  readonly amount: Money;
  readonly description: string;
  readonly additionalInfo: string;
}

/**
 * Validates what a user typed for a claim's information (all problems at once). `currency` is the
 * fund's: a claim is always in its fund's currency.
 */
export function readClaimInformation(
  input: Readonly<Record<string, unknown>>,
  currency: string,
  locale: string,
): ClaimInformation {
  const issues: InputIssue[] = [];
  const title = readText(issues, 'title', input.title, LIMITS.title);
  const activityType = readChoice(issues, 'activityType', input.activityType, ACTIVITY_TYPES);
  const activityStart = readDate(issues, 'activityStart', input.activityStart);
  const activityEnd = readDate(issues, 'activityEnd', input.activityEnd);
  if (activityStart && activityEnd && activityEnd < activityStart) {
    issues.push({ field: 'activityEnd', problem: 'endBeforeStart' });
  }
  let amount: Money | undefined;
  try {
    amount = parsePositiveAmount(
      typeof input.amount === 'string' ? input.amount : '',
      locale,
      currency,
    );
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    issues.push(...e.issues);
  }
  const description = readText(issues, 'description', input.description, LIMITS.description, {
    required: false,
  });
  const additionalInfo = readText(
    issues,
    'additionalInfo',
    input.additionalInfo,
    LIMITS.additionalInfo,
    { required: false },
  );
  if (issues.length || !activityType || !amount) throw invalidInput(issues);
  return { title, activityType, activityStart, activityEnd, amount, description, additionalInfo };
}

/** Form values to pre-fill an edit form with the claim's current information. */
export function informationFormValues(claim: Claim, locale: string): Record<string, string> {
  return {
    title: claim.title,
    activityType: claim.activityType,
    activityStart: claim.activityStart,
    activityEnd: claim.activityEnd,
    amount: formatAmountInput(claim.amount, locale),
    description: claim.description,
    additionalInfo: claim.additionalInfo,
  };
}

export function createClaim(args: {
  actor: Actor;
  seq: number;
  formId: string;
  fund: FundRef;
  info: ClaimInformation;
  now: string;
}): Claim {
  const { actor, seq, formId, fund, info, now } = args;
  if (!canCreateClaims(actor)) throw new AppError('NOT_ALLOWED', { action: 'createClaim' });
  const number = formatClaimNumber(seq);
  const draft: Claim = {
    id: number,
    tenantId: actor.tenantId,
    number,
    seq,
    formId,
    fundId: fund.id,
    ...info,
    owner: person(actor),
    contributors: [],
    status: 'editing',
    documents: [],
    metrics: [],
    uploadRequests: [],
    history: [],
    outbox: [],
    createdAt: now,
    updatedAt: now,
  };
  return record(draft, actor, now, 'created', {}, { item: info.title });
}

const CHANGEABLE: readonly (keyof ClaimInformation)[] = [
  'title',
  'activityType',
  'activityStart',
  'activityEnd',
  'amount',
  'description',
  'additionalInfo',
];

export function editInformation(
  claim: Claim,
  actor: Actor,
  info: ClaimInformation,
  now: string,
): Claim {
  authorize(actor, claim, 'edit');
  const changed = CHANGEABLE.filter((k) => JSON.stringify(info[k]) !== JSON.stringify(claim[k]));
  if (!changed.length) return claim;
  return record(claim, actor, now, 'informationEdited', { ...info }, { item: changed.join(', ') });
}

export function readMetric(
  input: Readonly<Record<string, unknown>>,
  locale: string,
): Omit<Metric, 'id'> {
  const issues: InputIssue[] = [];
  const name = readText(issues, 'metricName', input.metricName, LIMITS.metricName);
  let value = 0;
  try {
    const text = typeof input.metricValue === 'string' ? input.metricValue : '';
    value = parseScaled(text, locale, 0, 'metricValue');
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    issues.push(...e.issues);
  }
  if (issues.length) throw invalidInput(issues);
  return { name, value };
}

export const MAX_METRICS = 50;

export function addMetric(
  claim: Claim,
  actor: Actor,
  metric: Omit<Metric, 'id'>,
  now: string,
): Claim {
  authorize(actor, claim, 'edit');
  if (claim.metrics.length >= MAX_METRICS) {
    throw invalidInput([{ field: 'metricName', problem: 'tooMany', params: { max: MAX_METRICS } }]);
  }
  const id = `m${claim.history.length + 1}`;
  return record(
    claim,
    actor,
    now,
    'metricAdded',
    { metrics: [...claim.metrics, { id, ...metric }] },
    { item: `${metric.name}: ${metric.value}` },
  );
}

export function addComment(claim: Claim, actor: Actor, text: string, now: string): Claim {
  authorize(actor, claim, 'comment');
  return record(claim, actor, now, 'commented', {}, { note: text });
}

// ---- the review loop ---------------------------------------------------------------------------------

/** Submit (or resubmit after Action required) once every core requirement is met. */
export function submit(
  claim: Claim,
  actor: Actor,
  context: { remaining: Money; reviewers: readonly Recipient[] },
  now: string,
): Claim {
  authorize(actor, claim, 'submit');
  const unmet = unmetRequirements(claim, context.remaining, now.slice(0, 10));
  if (unmet.length) throw new RequirementsUnmetError(unmet);
  const status = transition(claim.status, 'submit');
  return record(claim, actor, now, 'submitted', { status, submittedAt: now }, {}, [
    { kind: 'submitted', to: context.reviewers, details: { amount: JSON.stringify(claim.amount) } },
  ]);
}

function review(
  claim: Claim,
  actor: Actor,
  now: string,
  t: ClaimTransition,
  kind: HistoryKind,
  changes: Partial<Claim>,
  details: { item?: string; note?: string } = {},
  announce: readonly Announcement[] = [],
): Claim {
  authorize(actor, claim, t === 'startReview' || t === 'dispute' ? t : 'decide');
  const status = transition(claim.status, t);
  return record(claim, actor, now, kind, { status, ...changes }, details, announce);
}

export const startReview = (claim: Claim, actor: Actor, now: string): Claim =>
  review(claim, actor, now, 'startReview', 'reviewStarted', { reviewer: person(actor) });

export function approve(
  claim: Claim,
  actor: Actor,
  approved: Money,
  note: string,
  now: string,
): Claim {
  authorize(actor, claim, 'decide');
  if (
    approved.currency !== claim.amount.currency ||
    approved.minor < 0 ||
    approved.minor > claim.amount.minor
  ) {
    throw invalidInput([{ field: 'approvedAmount', problem: 'approvedOverClaimed' }]);
  }
  return review(
    claim,
    actor,
    now,
    'approve',
    'approved',
    { approvedAmount: approved, decisionNote: note },
    { note },
    [
      {
        kind: 'approved',
        to: ownerAndContributors(claim),
        note,
        details: { approved: JSON.stringify(approved) },
      },
    ],
  );
}

export const reject = (claim: Claim, actor: Actor, reason: string, now: string): Claim =>
  review(
    claim,
    actor,
    now,
    'reject',
    'rejected',
    { approvedAmount: undefined, decisionNote: reason },
    { note: reason },
    [{ kind: 'rejected', to: ownerAndContributors(claim), note: reason }],
  );

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
    return {
      ...d,
      feedback: [...d.feedback, ...mine.map((f) => ({ by: person(actor), at: now, text: f.text }))],
    };
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
  const { documents, items } = withFeedback(claim, actor, feedback, now);
  return review(
    claim,
    actor,
    now,
    'requestInformation',
    'informationRequested',
    { documents },
    { note, ...(items.length ? { item: items.join(', ') } : {}) },
    [
      {
        kind: 'informationRequested',
        to: ownerAndContributors(claim),
        note,
        details: items.length ? { items: items.join(', ') } : {},
      },
    ],
  );
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
  return record(
    claim,
    actor,
    now,
    'itemFeedback',
    { documents },
    { item: documentOf(claim, feedback.documentId).fileName, note: feedback.text },
    [
      {
        kind: 'itemFeedback',
        to: ownerAndContributors(claim),
        note: feedback.text,
        details: { items: items.join(', ') },
      },
    ],
  );
}

export const dispute = (
  claim: Claim,
  actor: Actor,
  reason: string,
  reviewers: readonly Recipient[],
  now: string,
): Claim =>
  review(claim, actor, now, 'dispute', 'disputed', {}, { note: reason }, [
    { kind: 'disputed', to: claim.reviewer ? [claim.reviewer] : reviewers, note: reason },
  ]);

// ---- documents and colleagues ------------------------------------------------------------------------

/** Business days after `day` (Saturday and Sunday skipped), for due dates. */
export function addBusinessDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left -= 1;
  }
  return d.toISOString().slice(0, 10);
}

export const UPLOAD_DUE_BUSINESS_DAYS = 5;
export const MAX_DOCUMENTS = 100;

/**
 * Asks colleagues to upload documents: each becomes a contributor of this claim (and only this one),
 * the request shows on the card and in history, and each is notified.
 */
export function requestUploads(
  claim: Claim,
  actor: Actor,
  request: {
    readonly to: readonly Recipient[];
    readonly types: readonly DocumentType[];
    readonly note: string;
    readonly origin?: Readonly<Record<string, unknown>>;
  },
  now: string,
): Claim {
  authorize(actor, claim, 'requestUpload');
  const due = addBusinessDays(now.slice(0, 10), UPLOAD_DUE_BUSINESS_DAYS);
  const to = uniqueRecipients(request.to).filter((r) => r.id !== actor.userId);
  if (!to.length) throw invalidInput([{ field: 'colleague', problem: 'required' }]);
  if (withHands(claim, [actor.userId, ...to.map((r) => r.id)]).length > MAX_HANDS) {
    throw invalidInput([{ field: 'colleague', problem: 'tooMany', params: { max: MAX_HANDS } }]);
  }
  const seq = (claim.history[claim.history.length - 1]?.seq ?? 0) + 1;
  const requests: UploadRequest[] = to.map((r, i) => ({
    id: `r${seq}-${i}`,
    to: r,
    types: request.types,
    note: request.note,
    due,
    requestedBy: person(actor),
    at: now,
  }));
  const contributors = [
    ...claim.contributors,
    ...to
      .filter((r) => r.id !== claim.owner.id && !claim.contributors.some((c) => c.id === r.id))
      .map((r) => ({ ...r })),
  ];
  return record(
    claim,
    actor,
    now,
    'uploadRequested',
    { uploadRequests: [...claim.uploadRequests, ...requests], contributors },
    {
      item: to.map((r) => r.name).join(', '),
      note: request.note,
    },
    [
      {
        kind: 'uploadRequested',
        to,
        note: request.note,
        details: { types: request.types.join(','), due },
        origin: request.origin,
      },
    ],
  );
}

export type NewDocument = Omit<ClaimDocument, 'uploadedBy' | 'uploadedAt' | 'feedback'>;

/**
 * Adds an uploaded document. Upload requests to this user that ask for this type are fulfilled, and
 * whoever asked is told.
 */
export function addDocument(
  claim: Claim,
  actor: Actor,
  doc: NewDocument,
  now: string,
  replaces?: string,
): Claim {
  authorize(actor, claim, replaces ? 'edit' : 'addDocuments');
  const replaced = replaces ? documentOf(claim, replaces) : undefined;
  if (!replaced && claim.documents.length >= MAX_DOCUMENTS) {
    throw invalidInput([
      { field: 'documentType', problem: 'tooMany', params: { max: MAX_DOCUMENTS } },
    ]);
  }
  // A request is fulfilled once its colleague has sent every type it asked for.
  const sentSince = (r: UploadRequest): Set<DocumentType> =>
    new Set([
      doc.type,
      ...claim.documents
        .filter((d) => d.uploadedBy.id === actor.userId && d.uploadedAt >= r.at)
        .map((d) => d.type),
    ]);
  const fulfilled = claim.uploadRequests.filter(
    (r) =>
      !r.fulfilledAt &&
      r.to.id === actor.userId &&
      r.types.includes(doc.type) &&
      r.types.every((t) => sentSince(r).has(t)),
  );
  const uploadRequests = claim.uploadRequests.map((r) =>
    fulfilled.includes(r) ? { ...r, fulfilledAt: now } : r,
  );
  const document: ClaimDocument = {
    ...doc,
    uploadedBy: person(actor),
    uploadedAt: now,
    feedback: [],
  };
  const documents = replaced
    ? claim.documents.map((d) => (d.id === replaced.id ? document : d))
    : [...claim.documents, document];
  return record(
    claim,
    actor,
    now,
    replaced ? 'documentReplaced' : 'documentAdded',
    { documents, uploadRequests },
    {
      item: replaced ? `${replaced.fileName} → ${doc.fileName}` : doc.fileName,
      note: doc.explanation,
    },
    fulfilled.length
      ? [
          {
            kind: 'requestFulfilled',
            to: fulfilled.map((r) => r.requestedBy),
            details: { types: doc.type, fileName: doc.fileName },
          },
        ]
      : [],
  );
}

/** Records the outcome of one delivery attempt (the dispatcher's only way to change a claim). */
export function updateNotification(
  claim: Claim,
  id: string,
  change: (n: Notification) => Notification,
): Claim {
  const outbox = claim.outbox.map((n) => (n.id === id ? change(n) : n));
  return { ...claim, outbox: trimOutbox(outbox) };
}

/** The app itself, as the author of events no user caused. */
export const SYSTEM: Person = { id: 'system', name: 'Co-op Claims' };

/** A notification given up after bounded attempts: marked failed and visible in history. */
/** A notification given up on; `code` says why (`http-403`, `unreachable`: never an error's text). */
export function notificationFailed(claim: Claim, id: string, code: string, now: string): Claim {
  const n = claim.outbox.find((x) => x.id === id);
  if (!n) return claim;
  const last = claim.history[claim.history.length - 1];
  const event: HistoryEvent = {
    seq: (last?.seq ?? 0) + 1,
    at: now,
    by: SYSTEM,
    kind: 'notificationFailed',
    item: n.to.name,
    note: code,
  };
  const failed = updateNotification(claim, id, (x) => ({
    ...x,
    state: 'failed',
    lastError: code,
    attempts: x.attempts + 1,
    lease: undefined,
  }));
  return { ...failed, history: [...claim.history, event] };
}

/** Remembers a posted claim card (the newest replace the oldest). */
export const isCardRemembered = (claim: Claim, card: PostedCard): boolean =>
  (claim.postedCards ?? []).some(
    (c) => c.activityId === card.activityId && c.viewerId === card.viewerId,
  );

export function rememberCard(claim: Claim, card: PostedCard): Claim {
  if (isCardRemembered(claim, card)) return claim;
  const others = (claim.postedCards ?? []).filter((c) => c.activityId !== card.activityId);
  return { ...claim, postedCards: [...others, card].slice(-MAX_POSTED_CARDS) };
}

export function forgetCard(claim: Claim, activityId: string): Claim {
  const cards = claim.postedCards ?? [];
  if (!cards.some((c) => c.activityId === activityId)) return claim;
  return { ...claim, postedCards: cards.filter((c) => c.activityId !== activityId) };
}

function documentOf(claim: Claim, documentId: string): ClaimDocument {
  const doc = claim.documents.find((d) => d.id === documentId);
  if (!doc) throw invalidInput([{ field: 'item', problem: 'invalid' }]);
  return doc;
}

export function editExplanation(
  claim: Claim,
  actor: Actor,
  documentId: string,
  explanation: string,
  now: string,
): Claim {
  authorize(actor, claim, 'edit');
  const doc = documentOf(claim, documentId);
  if (doc.explanation === explanation) return claim;
  const documents = claim.documents.map((d) => (d.id === doc.id ? { ...d, explanation } : d));
  return record(
    claim,
    actor,
    now,
    'explanationEdited',
    { documents },
    {
      item: doc.fileName,
      note: explanation,
    },
  );
}

/** Removes a document from the claim; the caller deletes its blob after the write. */
export function removeDocument(claim: Claim, actor: Actor, documentId: string, now: string): Claim {
  authorize(actor, claim, 'edit');
  const doc = documentOf(claim, documentId);
  return record(
    claim,
    actor,
    now,
    'documentRemoved',
    { documents: claim.documents.filter((d) => d.id !== doc.id) },
    { item: doc.fileName },
  );
}

/** Reminders start this many days before a request is due, and go on daily until it is fulfilled. */
export const REMIND_DAYS_BEFORE_DUE = 1;

/** The earliest due date of an open upload request (for the reminder job's query), if any. */
export function nextReminderDue(claim: Claim): string | undefined {
  if (!isEditable(claim.status)) return undefined;
  const open = claim.uploadRequests.filter((r) => !r.fulfilledAt).map((r) => r.due);
  return open.length ? open.sort()[0] : undefined;
}

/**
 * Queues a reminder for every open upload request due within a day or overdue, at most once a day
 * per request. Reminders are notifications only: history already holds the request.
 */
export function remindOpenRequests(claim: Claim, now: string): Claim {
  const today = now.slice(0, 10);
  if (!isEditable(claim.status)) return claim;
  const dueSoon = claim.uploadRequests.filter(
    (r) =>
      !r.fulfilledAt && r.remindedOn !== today && addDays(today, REMIND_DAYS_BEFORE_DUE) >= r.due,
  );
  if (!dueSoon.length) return claim;
  const reminders = dueSoon.map((r) =>
    newNotification({
      id: `${claim.number}-remind-${r.id}-${today}`,
      kind: 'uploadReminder',
      to: r.to,
      from: r.requestedBy,
      now,
      note: r.note,
      details: { claim: claim.number, types: r.types.join(','), due: r.due },
    }),
  );
  return {
    ...claim,
    uploadRequests: claim.uploadRequests.map((r) =>
      dueSoon.includes(r) ? { ...r, remindedOn: today } : r,
    ),
    outbox: trimOutbox([...claim.outbox, ...reminders]),
  };
}
