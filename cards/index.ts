import { compileTemplate } from './compiled';
import claimDetail from './claimDetail.json';
import claimsOverview from './claimsOverview.json';
import documentLink from './documentLink.json';
import document from './document.json';
import documents from './documents.json';
import fundRequest from './fundRequest.json';
import fundRequests from './fundRequests.json';
import funds from './funds.json';
import help from './help.json';
import history from './history.json';
import localFiles from './localFiles.json';
import newClaim from './newClaim.json';
import newFundRequest from './newFundRequest.json';
import notice from './notice.json';
import notification from './notification.json';
import policy from './policy.json';
import reviewQueue from './reviewQueue.json';
import uploadQuestion from './uploadQuestion.json';

/**
 * Cards are JSON templates bound to typed data. Data values are inserted as text and never expanded
 * again, so user text (a title holding `${...}`) stays literal; values that a TextBlock would render
 * as markdown are escaped by the views before they get here.
 */
export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly version: string;
  readonly [key: string]: unknown;
}

export interface Choice {
  readonly title: string;
  readonly value: string;
}

/** A message at the top of a card; shown as plain text (never markdown), so user text stays literal. */
export interface Notice {
  readonly style: 'attention' | 'good' | 'warning' | 'accent';
  readonly text: string;
  readonly items: readonly string[];
}

function renderer<T extends object>(json: unknown): (data: T) => AdaptiveCard {
  const expand = compileTemplate(json);
  return (data) => expand(data) as AdaptiveCard;
}

/** The commands help has a button for. */
export const HELP_VERBS = [
  'claimsPage',
  'newClaimForm',
  'reviewPage',
  'newFundRequestForm',
] as const;
export type HelpVerb = (typeof HELP_VERBS)[number];

export interface HelpData {
  readonly heading: string;
  readonly intro: string;
  readonly commandsHeading: string;
  readonly commands: readonly { readonly command: string; readonly meaning: string }[];
  readonly hint: string;
  /** The local demo's pointer ("try claims"), or empty. */
  readonly demoHint: string;
  readonly rolesLine: string;
  /** Buttons for the commands of the user's roles (Action.Execute), the first ones in the row. */
  readonly buttons: Readonly<
    Record<
      HelpVerb,
      { readonly shown: boolean; readonly title: string; readonly mode: 'primary' | 'secondary' }
    >
  >;
}
export const renderHelp = renderer<HelpData>(help);

export interface ClaimSummaryView {
  readonly number: string;
  readonly title: string;
  readonly statusLabel: string;
  readonly amount: string;
  /** ` · Approved $1,000.00`, or empty. */
  readonly approvedPart: string;
}

export interface FundTotalsView {
  readonly name: string;
  readonly period: string;
  /** "Used 82% of $10,000.00", the bar's caption. */
  readonly usage: string;
  readonly allocated: string;
  /** The bar's parts, each "amount · share of the allocation" ("$4,000.00 · 40%"). */
  readonly approved: string;
  readonly pending: string;
  /** Held by approved fund requests; empty for a viewer who does not see fund requests. */
  readonly reserved: string;
  readonly remaining: string;
  /** Approved money paid out (part of approved, not a part of the bar), or empty while none is. */
  readonly paid: string;
  /** The used parts' colour: good, warning above 80 %, attention above 100 %. */
  readonly barStyle: 'good' | 'warning' | 'attention';
  /** The reserved part's colour: the bar's, or unfilled where its amount is not shown. */
  readonly reservedStyle: 'good' | 'warning' | 'attention' | 'default';
  /** Column weights of the bar's parts (0–100, together 100). */
  readonly approvedWidth: number;
  readonly pendingWidth: number;
  readonly reservedWidth: number;
  readonly freeWidth: number;
}

export interface ClaimsOverviewData {
  readonly t: Readonly<Record<string, string>>;
  readonly claims: readonly ClaimSummaryView[];
  readonly funds: readonly FundTotalsView[];
  readonly next: number | null;
  readonly canCreate: boolean;
}
export const renderClaimsOverview = renderer<ClaimsOverviewData>(claimsOverview);

export interface NewClaimData {
  readonly t: Readonly<Record<string, string>>;
  readonly formId: string;
  readonly funds: readonly Choice[];
  readonly activityTypes: readonly Choice[];
  readonly amountPlaceholder: string;
  readonly values: Readonly<Record<string, string>>;
  readonly notice: Notice | null;
}
export const renderNewClaim = renderer<NewClaimData>(newClaim);

/** One document as the claim card, the documents list and the document card show it. */
export interface DocumentView {
  readonly id: string;
  readonly fileName: string;
  readonly typeLabel: string;
  readonly explanation: string;
  readonly uploadedLine: string;
  /** A signed read link (the user's own 1:1 chat), or empty: Open then asks the bot for one. */
  readonly url: string;
  readonly feedback: readonly string[];
  /** Invoices and CSRs: "Invoice total: $1,234.56", "Reading the total …", or why it could not. */
  readonly readingLine: string;
}

export interface HistoryLine {
  readonly when: string;
  readonly who: string;
  readonly what: string;
  readonly detail: string;
  /** `: detail` for one-line layouts, or empty. */
  readonly detailPart: string;
}

/** The line a claim card opens with: what its viewer should do next. */
export interface ClaimNextStep {
  readonly style: Notice['style'];
  readonly text: string;
  /** The reviewer's question and the documents it names (Action required), or empty. */
  readonly items: readonly string[];
  /** The button that takes the step (shown first, `style: positive`), or null for none. */
  readonly action: string | null;
}

/** The submit requirements before submit: "3 of 6 done", each check met or what is missing. */
export interface ClaimChecklist {
  readonly heading: string;
  readonly items: readonly { readonly done: boolean; readonly text: string }[];
}

export interface ClaimDetailData {
  readonly t: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly notice: Notice | null;
  readonly nextStep: ClaimNextStep;
  /** Shown while the claim can be submitted by its viewer; null otherwise. */
  readonly checklist: ClaimChecklist | null;
  /** "$800.00 is more than FY27 Events fund has left ($550.00)", or empty. */
  readonly fundWarning: string;
  /** "Submit by Mar 12, 2027" while the claim waits to be submitted (attention once passed); null otherwise. */
  readonly deadline: { readonly text: string; readonly passed: boolean } | null;
  /** An extension asked for and not yet decided: who asked, until when, and their reason. */
  readonly extension: { readonly text: string; readonly reason: string } | null;
  /** The status badge's style (Badge styles: good, attention, warning, accent, informative). */
  readonly statusStyle: string;
  /** The buttons of the action row shown in it (the rest go to the overflow menu). */
  readonly row: readonly string[];
  /** Next claim: for a reviewer with no step to take on this claim. */
  readonly offerNextClaim: boolean;
  readonly number: string;
  readonly title: string;
  readonly statusLabel: string;
  readonly fundName: string;
  readonly activityLine: string;
  /** The claimed cost, in the claim's currency. */
  readonly amount: string;
  /** What the fund pays of it, in the fund's currency, with how it follows from the cost. */
  readonly reimbursable: string;
  /** "1 EUR = 1.08 USD on Dec 1, 2026, entered by Olga Owner", or empty. */
  readonly exchange: string;
  /** The edit form's exchange rate label, naming the claim's and the fund's currency. */
  readonly exchangeRateLabel: string;
  readonly approved: string;
  /** Why less than the reimbursable amount was approved, or empty. */
  readonly approvalReason: string;
  /** "$500.00 of $1,000.00 paid, $500.00 still owed" while partly paid, or empty. */
  readonly partlyPaid: string;
  /** "Approval 1 of 2" while a claim waits for its second approval, or empty. */
  readonly approvalStep: string;
  /** How long a claim has waited for its review ("3 business days"), or empty. */
  readonly waited: string;
  /** One line per payment ("$500.00 by Check on Mar 3, 2027, reference PAY-1"), or empty. */
  readonly paid: string;
  readonly ownerName: string;
  /** The newest few documents, one line each (the Documents button lists them all). */
  readonly documents: readonly DocumentView[];
  readonly metrics: readonly { readonly name: string; readonly value: string }[];
  readonly description: string;
  readonly additionalInfo: string;
  /** Open upload requests; the requester (and whoever may ask colleagues) may cancel one. */
  readonly uploadRequests: readonly {
    readonly id: string;
    readonly line: string;
    readonly canCancel: boolean;
  }[];
  /** Documents in all (the Documents button lists them a page at a time). */
  readonly documentCount: number;
  /** The request form's due date as it starts, and the earliest allowed (`YYYY-MM-DD`). */
  readonly defaultDue: string;
  readonly today: string;
  /** The newest history event (History shows them all). */
  readonly latest: HistoryLine | null;
  /**
   * What the viewer may do: the domain's permissions of the claim, as they are (its flags by name;
   * test/bot/verbFiles.test.ts checks that every `can.*` the template asks is one of them).
   */
  readonly can: Readonly<Record<string, boolean>>;
  readonly documentTypes: readonly Choice[];
  readonly activityTypes: readonly Choice[];
  readonly paymentMethods: readonly Choice[];
  /** Add metric's kinds: Other (a free name) first, then the results of issue 33. */
  readonly metricKinds: readonly Choice[];
  readonly documentChoices: readonly Choice[];
  /** "… and 88 more documents", or empty. */
  readonly moreDocuments: string;
  /** The invoice totals read against the claimed amount, or empty (none read, or withheld). */
  readonly invoiceCheck: string;
  /** The totals differ from the claimed amount (or a currency differs): shown as a warning. */
  readonly invoiceCheckWarns: boolean;
  /** "Also on CLM-0012": invoices on other claims of the tenant (a warning; reviewers mark them checked). */
  readonly duplicates: readonly {
    readonly key: string;
    readonly duplicateLine: string;
    readonly checked: boolean;
    readonly canCheck: boolean;
  }[];
  /** The card everybody in a group chat or channel sees: it lists no documents and says why. */
  readonly documentsWithheld: boolean;
  /** Teams user ids (MRIs) whose clients refresh the card to their own view (at most 60). */
  readonly refreshUserIds: readonly string[];
  readonly form: Readonly<Record<string, string>>;
}
export const renderClaimDetail = renderer<ClaimDetailData>(claimDetail);

export interface HistoryData {
  readonly t: { readonly empty: string; readonly older: string; readonly back: string };
  readonly heading: string;
  readonly number: string;
  readonly events: readonly HistoryLine[];
  readonly older: number | null;
}
export const renderHistory = renderer<HistoryData>(history);

export interface FundsData {
  readonly t: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly notice: Notice | null;
  readonly funds: readonly FundTotalsView[];
  readonly canManage: boolean;
  readonly formId: string;
  readonly values: Readonly<Record<string, string>>;
}
export const renderFunds = renderer<FundsData>(funds);

export interface NoticeData {
  readonly style: Notice['style'];
  readonly title: string;
  readonly text: string;
  readonly items: readonly string[];
  /** A claim number for an Open button, or empty. */
  readonly claim: string;
  readonly openLabel: string;
}
export const renderNotice = renderer<NoticeData>(notice);

export interface ReviewQueueData {
  readonly t: Readonly<Record<string, string>>;
  readonly open: string;
  /** A warning above the queue, or empty. */
  readonly notice: string;
  /** Which claims the page shows ("Claims 21–40, more on the next page"), or that none wait. */
  readonly summary: string;
  /** Which claims the filters let through: "All waiting · FY27 Events fund". */
  readonly showing: string;
  readonly claims: readonly (ClaimSummaryView & {
    readonly ownerName: string;
    /** "waiting 3 days". */
    readonly waited: string;
  })[];
  /** The filter in force, which Next page keeps (empty: none). */
  readonly filter: { readonly status: string; readonly fund: string };
  readonly funds: readonly Choice[];
  /** The opaque continuation the Next page button sends back; null on the last page. */
  readonly next: string | null;
  /** A page after the first, which offers First page. */
  readonly later: boolean;
}
export const renderReviewQueue = renderer<ReviewQueueData>(reviewQueue);

export interface NotificationData {
  readonly kindLabel: string;
  readonly heading: string;
  readonly claim: string;
  readonly claimTitle: string;
  readonly facts: readonly { readonly title: string; readonly value: string }[];
  readonly note: string;
  readonly noteLabel: string;
  readonly hint: string;
  readonly openLabel: string;
  readonly uploadLabel: string;
  /** The document type Upload now pre-selects, or empty for no Upload now button. */
  readonly uploadType: string;
}
export const renderNotification = renderer<NotificationData>(notification);

/** A document's read link, sent to a user's own 1:1 chat when they press Open in a shared chat. */
export interface DocumentLinkData {
  readonly heading: string;
  readonly fileName: string;
  readonly explanation: string;
  readonly facts: readonly { readonly title: string; readonly value: string }[];
  /** How long the link works. */
  readonly expiry: string;
  readonly openLabel: string;
  readonly url: string;
}
export const renderDocumentLink = renderer<DocumentLinkData>(documentLink);

export interface UploadQuestionData {
  readonly heading: string;
  readonly files: readonly string[];
  readonly notice: Notice | null;
  readonly labels: Readonly<Record<'claim' | 'documentType' | 'explanation' | 'add', string>>;
  readonly claims: readonly Choice[];
  readonly documentTypes: readonly Choice[];
  readonly values: Readonly<Record<string, string>>;
}
export const renderUploadQuestion = renderer<UploadQuestionData>(uploadQuestion);

export interface DocumentsData {
  readonly t: Readonly<Record<string, string>>;
  readonly heading: string;
  readonly pageLine: string;
  readonly number: string;
  readonly page: number;
  readonly documents: readonly DocumentView[];
  readonly previous: number | null;
  readonly next: number | null;
}
export const renderDocuments = renderer<DocumentsData>(documents);

export interface DocumentData extends DocumentView {
  readonly t: Readonly<Record<string, string>>;
  readonly notice: Notice | null;
  readonly number: string;
  readonly subtitle: string;
  /** The documents page to go back to. */
  readonly page: number;
  readonly can: { readonly edit: boolean; readonly reviewItems: boolean };
  /** The `feedbackBefore` of the page of older feedback, or null when this page reaches the first. */
  readonly olderFeedback: number | null;
}
export const renderDocument = renderer<DocumentData>(document);

export interface NewFundRequestData {
  readonly t: Readonly<Record<string, string>>;
  readonly formId: string;
  readonly funds: readonly Choice[];
  readonly activityTypes: readonly Choice[];
  readonly amountPlaceholder: string;
  readonly values: Readonly<Record<string, string>>;
  readonly notice: Notice | null;
}
export const renderNewFundRequest = renderer<NewFundRequestData>(newFundRequest);

export interface FundRequestData {
  readonly t: Readonly<Record<string, string>>;
  readonly notice: Notice | null;
  readonly number: string;
  /** "Fund request REQ-0001 · Approved". */
  readonly heading: string;
  readonly activity: string;
  readonly facts: readonly { readonly title: string; readonly value: string }[];
  /** History lines, oldest first. */
  readonly events: readonly string[];
  /** The claim made from it, or empty. */
  readonly claim: string;
  readonly can: {
    readonly decide: boolean;
    readonly createClaim: boolean;
    readonly withdraw: boolean;
  };
}
export const renderFundRequest = renderer<FundRequestData>(fundRequest);

export interface FundRequestsData {
  readonly t: Readonly<Record<string, string>>;
  readonly requests: readonly {
    readonly number: string;
    readonly activity: string;
    /** "$2,000.00 · Approved · Ann Requester". */
    readonly line: string;
  }[];
  readonly canCreate: boolean;
}
export const renderFundRequests = renderer<FundRequestsData>(fundRequests);

/** The local loop's `attach`: the files of demo/documents, each with a button that attaches it. */
export interface LocalFilesData {
  readonly title: string;
  readonly intro: string;
  readonly example: string;
  readonly attachLabel: string;
  /** `command`: what the button sends for the user (Action.Submit `data.command`). */
  readonly files: readonly { readonly name: string; readonly command: string }[];
}
export const renderLocalFiles = renderer<LocalFilesData>(localFiles);

export interface PolicyData {
  readonly t: Readonly<Record<string, string>>;
  readonly notice: Notice | null;
  /** The rules as they stand: "Second approval above (USD)" → "$1,000.00", "Review within" → "5 business days". */
  readonly rules: readonly { readonly title: string; readonly value: string }[];
  /** "Rita Reviewer: up to $5,000.00", one line per reviewer and currency. */
  readonly limits: readonly string[];
  /** The newest changes first: "Dec 7, 2026, 1:00 PM · Ada Admin · Review within: 5 → 3 business days". */
  readonly changes: readonly string[];
  /** One Second approval above input per currency of the tenant's funds. */
  readonly amounts: readonly {
    readonly id: string;
    readonly label: string;
    readonly value: string;
  }[];
  readonly reviewWithinDays: number;
}
export const renderPolicy = renderer<PolicyData>(policy);
