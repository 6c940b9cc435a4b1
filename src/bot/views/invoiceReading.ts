import type { Notice } from '../../../cards';
import type { Claim, ClaimDocument } from '../../domain/claim';
import { checkInvoices, READ_DOCUMENT_TYPES } from '../../domain/invoiceTotal';
import { money } from '../../domain/money';
import type { Texts } from '../../i18n/i18n';

/** Beside an invoice or CSR: the total read from it, that it is being read, or why it could not. */
export function readingLine(texts: Texts, doc: ClaimDocument): string {
  if (!READ_DOCUMENT_TYPES.has(doc.type)) return '';
  const reading = doc.reading;
  if (!reading) return texts.t('detail.invoiceReading');
  if (reading.status === 'unreadable') {
    return texts.tDynamic(`invoiceUnreadable.${reading.reason}`);
  }
  return texts.t('detail.invoiceTotal', { amount: texts.money(reading.total) });
}

/** How the totals read compare with the claimed amount, as a card shows it. */
export interface InvoiceCheckLine {
  /** Empty when no total was read (and none is in another currency). */
  readonly text: string;
  /** The totals differ from the claimed amount, or some are in another currency. */
  readonly warns: boolean;
  /** Invoices and CSRs still being read. */
  readonly reading: number;
}

/** The totals read against the claimed amount: a warning where they differ, empty when none read. */
export function invoiceCheckLine(texts: Texts, claim: Claim): InvoiceCheckLine {
  const check = checkInvoices(claim.documents, claim.amount);
  const other = check.otherCurrencies.length
    ? ` ${texts.t('detail.invoicesOtherCurrency', { currencies: check.otherCurrencies.join(', ') })}`
    : '';
  const line = (text: string, warns: boolean) => ({ text, warns, reading: check.reading });
  if (!check.readTotal) return line(other.trim(), other !== '');
  const total = texts.money(check.readTotal);
  if (!check.difference)
    return line(texts.t('detail.invoicesMatch', { total }) + other, other !== '');
  const difference = texts.money(money(Math.abs(check.difference.minor), claim.amount.currency));
  const claimed = texts.money(claim.amount);
  return line(texts.t('detail.invoicesDiffer', { total, claimed, difference }) + other, true);
}

/**
 * "Submitted", with a warning (never a refusal) when the totals read from the invoices differ from
 * the claimed amount or are still being read: the reviewer will hold them against each other.
 */
export function submittedNotice(texts: Texts, claim: Claim, reviewers: ReviewersReached): Notice {
  const check = invoiceCheckLine(texts, claim);
  const items = [
    ...(check.warns ? [check.text] : []),
    ...(check.reading ? [texts.t('detail.invoicesStillReading', { count: check.reading })] : []),
  ];
  return {
    style: items.length || reviewers === 'none' ? 'warning' : 'good',
    text: texts.t(SUBMITTED_TEXT[reviewers]),
    items,
  };
}

/**
 * Whom a submit could tell: `told` when a reviewer has a chat with the bot; `later` when none has
 * one yet (a chat may be opened for them, or they are told when they open it); `none` when no one
 * may review it.
 */
export type ReviewersReached = 'told' | 'later' | 'none';

const SUBMITTED_TEXT = {
  told: 'detail.submitted',
  later: 'detail.submittedReviewersLater',
  none: 'detail.submittedNoReviewers',
} as const;
