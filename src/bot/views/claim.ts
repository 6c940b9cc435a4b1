import {
  AdaptiveCard,
  ClaimDetailData,
  ClaimSummaryView,
  HistoryLine,
  Notice,
  renderClaimDetail,
} from '../../../cards';
import {
  ACTIVITY_TYPES,
  Claim,
  DuplicateFlag,
  DOCUMENT_TYPES,
  HistoryEvent,
  HistoryKind,
  ClaimPermissions,
  PAYMENT_METHODS,
  informationFormValues,
  isPartlyPaid,
  owedOf,
  dueDate,
  isOpenRequest,
  METRIC_KINDS,
} from '../../domain/claim';
import { Fund, approvedAmountOf } from '../../domain/fund';
import { Actor, canReview } from '../../domain/roles';
import type { ClaimSummary } from '../../store/claims';
import type { Texts } from '../../i18n/i18n';
import { deadlineOf, deadlineViews } from './deadline';
import { documentView } from './documents';
import { duplicateViews } from './duplicates';
import { invoiceCheckLine } from './invoiceReading';
import { paidLine, partlyPaidLine } from './payment';
import { exchangeLine, exchangeRateText, reimbursableLine } from './reimbursement';
import { approvalStepLine, waitedLine } from './policy';
import { metricView } from './results';
import { literal } from './text';
import { Money, formatAmountInput } from '../../domain/money';
import { fundCurrencyOf, reimbursableOf } from '../../domain/reimbursement';
import { requirementChecklist } from '../../domain/requirements';
import {
  CardAction,
  actionRow,
  allowedAction,
  checklistView,
  fundWarning,
  nextStep,
  offersNextClaim,
} from './nextStep';

/**
 * A card must stay under Teams' ~28 KB for the largest claim the app allows (100 documents, long
 * texts): its pickers offer the newest documents (and search the rest) and it shows the start of
 * long texts; the edit form keeps them whole.
 */
const DOCUMENTS_SHOWN = 12;
/** The newest documents listed on the card, one line each, so it fits a phone (issue 29). */
const DOCUMENTS_LISTED = 3;
const TEXT_SHOWN = 600;

const shorten = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;

export const statusLabel = (texts: Texts, status: string): string =>
  texts.tDynamic(`status.${status}`);

/**
 * What of a history event names a document or repeats its explanation or feedback: withheld from
 * the cards everybody in a group chat or channel sees.
 */
const DOCUMENT_DETAILS: Partial<Record<HistoryKind, 'item' | 'itemAndNote'>> = {
  documentAdded: 'itemAndNote',
  documentReplaced: 'itemAndNote',
  explanationEdited: 'itemAndNote',
  itemFeedback: 'itemAndNote',
  documentRemoved: 'item',
  informationRequested: 'item',
};

export function historyLine(
  texts: Texts,
  e: HistoryEvent,
  documents: 'shown' | 'withheld' = 'shown',
): HistoryLine {
  const withheld = documents === 'withheld' ? DOCUMENT_DETAILS[e.kind] : undefined;
  const item = withheld ? undefined : e.item;
  const note = withheld === 'itemAndNote' ? undefined : e.note;
  const detail = [item, note].filter(Boolean).join(' — ');
  return {
    when: texts.dateTime(e.at),
    who: e.for ? texts.t('history.onBehalf', { name: e.by.name, absent: e.for.name }) : e.by.name,
    what: texts.tDynamic(`history.event.${e.kind}`),
    detail,
    detailPart: detail ? `: ${detail}` : '',
  };
}

export function summaryView(texts: Texts, c: ClaimSummary): ClaimSummaryView {
  const approved = approvedAmountOf(c);
  return {
    number: c.number,
    title: c.title,
    // "Partly paid" is a label on Approved, not a status of its own (product.md's status list).
    statusLabel: isPartlyPaid(c)
      ? `${statusLabel(texts, c.status)} · ${texts.t('detail.partlyPaid')}`
      : statusLabel(texts, c.status),
    amount: texts.money(c.amount),
    approvedPart: approved
      ? ` · ${texts.t('overview.approvedAmount', { amount: texts.money(approved) })}`
      : '',
  };
}

/** Teams refreshes a card to each viewer's own view for at most 60 users. */
const MAX_REFRESH_USERS = 60;

/**
 * The people whose view of the claim differs: owner, contributors and the assigned reviewer, and in
 * a group chat or channel also the viewer the card was made for (who may be an admin or reviewer).
 */
export function refreshUserIds(claim: Claim, viewer?: Actor): string[] {
  const people = [
    ...(viewer ? [viewer] : []),
    claim.owner,
    ...claim.contributors,
    ...(claim.reviewer ? [claim.reviewer] : []),
  ];
  const ids = people.map((p) => p.channelUserId).filter((id): id is string => Boolean(id));
  return [...new Set(ids)].slice(0, MAX_REFRESH_USERS);
}

export interface ClaimCardContext {
  readonly claim: Claim;
  readonly fund: Fund | undefined;
  readonly actor: Actor;
  /** What the viewer may do (flows/claimAccess.ts viewerRights): the buttons shown, as it is. */
  readonly can: ClaimPermissions;
  readonly texts: Texts;
  readonly notice?: Notice;
  readonly documents: DocumentDisplay;
  /** The turn's time: the request form's dates start from it. */
  readonly now?: Date;
  /**
   * What the fund has left for this claim (its own pending amount not counted against it), for the
   * checklist and warning before submit; undefined where the claim cannot be submitted.
   */
  readonly remaining?: Money;
  /** Duplicate invoice flags (flows/duplicates.ts): none on the card everybody in a shared chat sees. */
  readonly duplicates?: readonly DuplicateFlag[];
}

/** The status badge's colour: decided well, decided badly, waiting on the owner, waiting on review. */
const STATUS_STYLE: Readonly<Record<Claim['status'], string>> = {
  editing: 'informative',
  submitted: 'accent',
  underReview: 'accent',
  actionRequired: 'warning',
  approved: 'good',
  paid: 'good',
  rejected: 'attention',
  disputed: 'warning',
};

/**
 * How a claim card shows its documents, by where it is shown (product.md: "Documents stay private in
 * shared chats"):
 * - `links`: the user's own 1:1 chat: names, explanations and signed read links that expire (one per
 *   document id, each with at least two thirds of its lifetime left);
 * - `onRequest`: one user's own view in a group chat or channel (a refresh, or the answer to their
 *   card action, which Teams shows to them alone): names and explanations, no links; Open asks the
 *   bot, which checks the user's rights and sends the link to their 1:1 chat;
 * - `withheld`: the card everybody in a group chat or channel sees: no names, explanations or links.
 */
export type DocumentDisplay =
  | { readonly kind: 'links'; readonly urls: ReadonlyMap<string, string> }
  | { readonly kind: 'onRequest' }
  | { readonly kind: 'withheld' };

/** The claim's open upload requests; the requester (and whoever may ask colleagues) may cancel one. */
function openRequests(
  texts: Texts,
  claim: Claim,
  mayAsk: boolean,
  actor: Actor,
): ClaimDetailData['uploadRequests'] {
  return claim.uploadRequests.filter(isOpenRequest).map((r) => ({
    id: r.id,
    line: texts.t('detail.uploadRequestLine', {
      name: r.to.name,
      types: r.types.map((t) => texts.tDynamic(`documentType.${t}`)).join(', '),
      due: texts.date(r.due),
    }),
    canCancel: mayAsk || r.requestedBy.id === actor.userId,
  }));
}

/** What the card tells its viewer to do next, and which buttons sit in its row. */
function guidance(
  ctx: ClaimCardContext,
  today: string,
  deadline: string | undefined,
): Pick<
  ClaimDetailData,
  'nextStep' | 'checklist' | 'fundWarning' | 'statusStyle' | 'row' | 'offerNextClaim'
> {
  const { claim, fund, actor, can, texts } = ctx;
  const checks =
    ctx.remaining && can.submit
      ? requirementChecklist(claim, ctx.remaining, today, deadline)
      : undefined;
  const reviewer = canReview(actor);
  const step = nextStep({
    texts,
    claim,
    can,
    checks,
    now: ctx.now ?? new Date(),
    reviewer,
    actorId: actor.userId,
  });
  const title = (a: CardAction): string => texts.messages.detail[a];
  return {
    nextStep: step,
    checklist: checks ? checklistView(texts, checks) : null,
    fundWarning: can.submit ? fundWarning(texts, claim, ctx.remaining, fund?.name ?? '') : '',
    statusStyle: STATUS_STYLE[claim.status],
    row: actionRow(step.action, allowedAction(can, reviewer), title),
    offerNextClaim: offersNextClaim(can, reviewer),
  };
}

function latestLine(texts: Texts, claim: Claim, withheld: boolean): HistoryLine | null {
  const last = claim.history.at(-1);
  return last ? historyLine(texts, last, withheld ? 'withheld' : 'shown') : null;
}

/**
 * The forms' values: the claim's information, Approve's amount (the reimbursable amount) and
 * Record payment's (what is still owed), in the user's locale.
 */
function moneyFormValues(claim: Claim, locale: string): Record<string, string> {
  const due = reimbursableOf(claim);
  return {
    ...informationFormValues(claim, locale),
    approvedAmount: due ? formatAmountInput(due, locale) : '',
    amountPaid: claim.approvedAmount ? formatAmountInput(owedOf(claim), locale) : '',
    exchangeRate: claim.exchange ? exchangeRateText(locale, claim.exchange.scaled) : '',
  };
}

/** The fixed choices of the card's forms, in the user's language. */
function choiceLists(
  texts: Texts,
): Pick<ClaimDetailData, 'metricKinds' | 'documentTypes' | 'activityTypes' | 'paymentMethods'> {
  const choices = (values: readonly string[], key: string) =>
    values.map((value) => ({ value, title: texts.tDynamic(`${key}.${value}`) }));
  return {
    metricKinds: choices(METRIC_KINDS, 'metricKind'),
    documentTypes: choices(DOCUMENT_TYPES, 'documentType'),
    activityTypes: choices(ACTIVITY_TYPES, 'activityType'),
    paymentMethods: choices(PAYMENT_METHODS, 'paymentMethod'),
  };
}

export function claimCard(ctx: ClaimCardContext): AdaptiveCard {
  const { claim, fund, actor, can, texts } = ctx;
  const m = texts.messages;
  const today = (ctx.now ?? new Date()).toISOString().slice(0, 10);
  const display = ctx.documents;
  const withheld = display.kind === 'withheld';
  const shownDocuments = withheld ? [] : claim.documents.slice(-DOCUMENTS_SHOWN);
  // The totals belong to the documents: never on the card everybody in a shared chat sees.
  const invoiceCheck = withheld ? undefined : invoiceCheckLine(texts, claim);
  const approved = approvedAmountOf(claim);
  const deadline = deadlineOf(claim, fund);
  const data: ClaimDetailData = {
    t: m.detail,
    labels: m.field,
    notice: ctx.notice ?? null,
    ...guidance(ctx, today, deadline),
    ...deadlineViews(texts, claim, deadline, today),
    number: claim.number,
    title: claim.title,
    statusLabel: statusLabel(texts, claim.status),
    fundName: fund ? literal(fund.name) : '—',
    activityLine: `${texts.tDynamic(`activityType.${claim.activityType}`)}, ${texts.date(claim.activityStart)} – ${texts.date(claim.activityEnd)}`,
    amount: texts.money(claim.amount),
    reimbursable: reimbursableLine(texts, claim),
    exchange: exchangeLine(texts, claim),
    exchangeRateLabel: texts.t('detail.exchangeRateInput', {
      from: claim.amount.currency,
      to: fundCurrencyOf(claim),
    }),
    approved: approved ? texts.money(approved) : '',
    approvalReason: approved ? literal(claim.approvalReason ?? '') : '',
    partlyPaid: partlyPaidLine(texts, claim),
    approvalStep: approvalStepLine(texts, claim, withheld),
    waited: waitedLine(texts, claim, ctx.now ?? new Date()),
    paid: paidLine(texts, claim),
    ownerName: literal(claim.owner.name),
    documents: shownDocuments
      .slice(-DOCUMENTS_LISTED)
      .reverse()
      .map((d) =>
        documentView(texts, d, display.kind === 'links' ? (display.urls.get(d.id) ?? '') : ''),
      ),
    metrics: claim.metrics.map((x) => metricView(texts, x, claim.amount.currency)),
    description: shorten(claim.description, TEXT_SHOWN),
    additionalInfo: shorten(claim.additionalInfo, TEXT_SHOWN),
    invoiceCheck: invoiceCheck?.text ?? '',
    invoiceCheckWarns: invoiceCheck?.warns ?? false,
    duplicates: withheld ? [] : duplicateViews(texts, ctx.duplicates ?? [], can.reviewItems),
    documentsWithheld: withheld,
    moreDocuments:
      !withheld && claim.documents.length > DOCUMENTS_LISTED
        ? texts.t('detail.moreDocuments', { count: claim.documents.length - DOCUMENTS_LISTED })
        : '',
    uploadRequests: openRequests(texts, claim, can.requestUpload, actor),
    documentCount: withheld ? 0 : claim.documents.length,
    defaultDue: dueDate(undefined, today),
    today,
    latest: latestLine(texts, claim, withheld),
    can,
    ...choiceLists(texts),
    documentChoices: shownDocuments.map((d) => ({
      value: d.id,
      title: `${d.fileName} (${texts.tDynamic(`documentType.${d.type}`)})`,
    })),
    form: moneyFormValues(claim, texts.locale),
    refreshUserIds: refreshUserIds(claim, display.kind === 'links' ? undefined : actor),
  };
  return renderClaimDetail(data);
}
