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

/** The totals read against the claimed amount: a warning where they differ, empty when none read. */
export function invoiceCheckLine(texts: Texts, claim: Claim): { text: string; warns: boolean } {
  const check = checkInvoices(claim.documents, claim.amount);
  const other = check.otherCurrencies.length
    ? ` ${texts.t('detail.invoicesOtherCurrency', { currencies: check.otherCurrencies.join(', ') })}`
    : '';
  if (!check.readTotal) return { text: other.trim(), warns: other !== '' };
  const total = texts.money(check.readTotal);
  if (!check.difference) {
    return { text: texts.t('detail.invoicesMatch', { total }) + other, warns: other !== '' };
  }
  const difference = texts.money(money(Math.abs(check.difference.minor), claim.amount.currency));
  return {
    text:
      texts.t('detail.invoicesDiffer', { total, claimed: texts.money(claim.amount), difference }) +
      other,
    warns: true,
  };
}

/**
 * "Submitted", with a warning (never a refusal) when the totals read from the invoices differ from
 * the claimed amount or are still being read: the reviewer will hold them against each other.
 */
export function submittedNotice(texts: Texts, claim: Claim): Notice {
  const check = invoiceCheckLine(texts, claim);
  const reading = checkInvoices(claim.documents, claim.amount).reading;
  const items = [
    ...(check.warns ? [check.text] : []),
    ...(reading ? [texts.t('detail.invoicesStillReading', { count: reading })] : []),
  ];
  return {
    style: items.length ? 'warning' : 'good',
    text: texts.t('detail.submitted'),
    items,
  };
}
