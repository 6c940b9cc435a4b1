import { isCurrency, MAX_MAJOR_UNITS, minorDigits, money, type Money } from './money';

/**
 * Finds an invoice's total in its text (a PDF's text layer or OCR output), in English or Dutch:
 * the largest amount on a line labelled as a total ("Total due", "Amount due", "Totaal", "Te
 * betalen", …), never one on a subtotal, VAT or "excl." line. Amounts may be written `1,234.56`,
 * `1.234,56`, `1 234,56` or `1234.56`, with a currency symbol or ISO code before or after.
 */
export interface InvoiceTotal {
  readonly total: Money;
  /** The line the total was read from, trimmed (shown to reviewers as evidence). */
  readonly line: string;
}

const TOTAL_LABEL =
  /\b(grand\s+total|invoice\s+total|total\s+(?:amount\s+)?due|amount\s+due|balance\s+due|total\s+amount|total|totaal(?:bedrag)?|te\s+betalen|openstaand\s+bedrag|eindtotaal|factuurbedrag)\b/i;

/** Lines that name a part of the total, not the total. */
const PART_OF_TOTAL =
  /\b(sub\s*-?\s*total|subtotaal|excl\.?|exclusief|excluding|ex\.?\s+vat|before\s+tax|vat|btw|tax|belasting|discount|korting|shipping|verzendkosten)\b/i;

/** "incl. VAT" / "incl. btw" make a line with a VAT word a total again. */
const INCLUDING = /\b(incl\.?|inclusief|including)\b/i;

const SYMBOLS: Readonly<Record<string, string>> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY' };

/** An amount with an optional currency (symbol or ISO code) before or after it. */
const AMOUNT =
  /(?<before>[$€£¥]|\b[A-Z]{3}\b)?\s?(?<![\d/.,-])(?<number>\d{1,3}(?:[.,'\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?![\d.,]*\d|\s?%|[/-]\d)\s?(?<after>[$€£¥]|\b[A-Z]{3}\b)?/g;

interface Candidate {
  readonly major: string;
  readonly fraction: string;
  readonly currency: string | undefined;
}

export function findInvoiceTotal(
  text: string,
  opts: { fallbackCurrency: string },
): InvoiceTotal | undefined {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const documentCurrency = firstCurrency(text) ?? opts.fallbackCurrency;
  let best: { total: Money; line: string } | undefined;
  lines.forEach((line, i) => {
    const label = TOTAL_LABEL.exec(line);
    if (!label || isPartOfTotal(line)) return;
    const afterLabel = line.slice(label.index + label[0].length);
    // A table may put the amount on the next line, under its label.
    const amounts = candidates(afterLabel);
    const found = amounts.length ? amounts : candidates(lines[i + 1] ?? '');
    for (const candidate of mostLikelyAmounts(found)) {
      const total = toMoney(candidate, documentCurrency);
      if (!total) continue;
      if (!best || total.minor > best.total.minor) best = { total, line };
    }
  });
  return best;
}

function isPartOfTotal(line: string): boolean {
  return PART_OF_TOTAL.test(line) && !INCLUDING.test(line);
}

function candidates(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const { before, number, after } = m.groups as Record<string, string | undefined>;
    const split = splitNumber(number as string);
    if (!split) continue;
    found.push({ ...split, currency: currencyOf(before) ?? currencyOf(after) });
  }
  return found;
}

/**
 * On a line with a date, a percentage or a reference beside the total, the amounts that carry a
 * currency are the money; failing that, those with cents.
 */
function mostLikelyAmounts(found: Candidate[]): Candidate[] {
  const withCurrency = found.filter((c) => c.currency);
  if (withCurrency.length) return withCurrency;
  const withCents = found.filter((c) => c.fraction);
  return withCents.length ? withCents : found;
}

/**
 * The decimal separator is the last `.` or `,` when one or two digits follow it; a separator with
 * three digits after it groups thousands (`1.234` is one thousand two hundred thirty-four).
 */
function splitNumber(number: string): { major: string; fraction: string } | undefined {
  const decimal = /[.,](\d{1,2})$/.exec(number);
  const fraction = decimal ? decimal[1] : '';
  const integerPart = decimal ? number.slice(0, decimal.index) : number;
  const major = integerPart.replace(/[.,'\u00a0\u202f ]/g, '');
  return /^\d+$/.test(major) ? { major, fraction } : undefined;
}

function currencyOf(token: string | undefined): string | undefined {
  if (!token) return undefined;
  const code = SYMBOLS[token] ?? token;
  return isCurrency(code) ? code : undefined;
}

function firstCurrency(text: string): string | undefined {
  for (const m of text.matchAll(/[$€£¥]|\b[A-Z]{3}\b/g)) {
    const code = currencyOf(m[0]);
    if (code) return code;
  }
  return undefined;
}

function toMoney(candidate: Candidate, documentCurrency: string): Money | undefined {
  const currency = candidate.currency ?? documentCurrency;
  const digits = minorDigits(currency);
  if (candidate.fraction.length > digits) return undefined;
  if (Number(candidate.major) >= MAX_MAJOR_UNITS) return undefined;
  const minor =
    Number(candidate.major) * 10 ** digits + Number(candidate.fraction.padEnd(digits, '0') || 0);
  return minor > 0 ? money(minor, currency) : undefined;
}

/** Why an invoice's total could not be read (shown to users; never blocks the upload). */
export type UnreadableReason =
  | 'noTotal'
  | 'notSupported'
  | 'tooLarge'
  | 'timedOut'
  | 'damaged'
  | 'busy';

/** What the bot read from an Invoice or CSR, kept beside the document. */
export type InvoiceReading =
  | {
      readonly status: 'read';
      readonly total: Money;
      readonly line: string;
      /** The invoice number, when the text names one (duplicate invoices, see claim/duplicates.ts). */
      readonly number?: string;
      readonly method: 'text' | 'ocr';
      readonly pages: number;
      readonly ms: number;
    }
  | { readonly status: 'unreadable'; readonly reason: UnreadableReason; readonly ms: number };

/** Document types whose total the bot reads: third-party invoices and in-house CSRs. */
export const READ_DOCUMENT_TYPES: ReadonlySet<string> = new Set(['invoice', 'csr']);

/** How the invoices read so far compare with the claimed amount (a warning, never a blocker). */
export interface InvoiceCheck {
  /** The sum of the totals read in the claim's currency; undefined when none was read. */
  readonly readTotal: Money | undefined;
  /** readTotal − claimed, when they differ. */
  readonly difference: Money | undefined;
  /** Currencies of totals that are not the claim's (not added up). */
  readonly otherCurrencies: readonly string[];
  /** Invoices and CSRs still being read. */
  readonly reading: number;
  /** Invoices and CSRs whose total could not be read. */
  readonly unreadable: number;
}

export function checkInvoices(
  documents: readonly { readonly type: string; readonly reading?: InvoiceReading }[],
  claimed: Money,
): InvoiceCheck {
  let sum = 0;
  let read = 0;
  let reading = 0;
  let unreadable = 0;
  const otherCurrencies = new Set<string>();
  for (const doc of documents) {
    if (!READ_DOCUMENT_TYPES.has(doc.type)) continue;
    if (!doc.reading) reading++;
    else if (doc.reading.status === 'unreadable') unreadable++;
    else if (doc.reading.total.currency !== claimed.currency) {
      otherCurrencies.add(doc.reading.total.currency);
    } else {
      sum += doc.reading.total.minor;
      read++;
    }
  }
  const readTotal = read ? money(sum, claimed.currency) : undefined;
  const difference =
    readTotal && sum !== claimed.minor ? money(sum - claimed.minor, claimed.currency) : undefined;
  return { readTotal, difference, otherCurrencies: [...otherCurrencies], reading, unreadable };
}
