/**
 * Finds an invoice's number in its text (English or Dutch): the first reference after "Invoice",
 * "Invoice no.", "Invoice number", "Invoice #", "Factuur", "Factuurnummer" or "Factuur nr." that
 * holds a digit ("Invoice date: …" and "Invoice total" name no number). Used with the total to
 * flag duplicate invoices (claim/duplicates.ts).
 */
const NUMBER_LABEL =
  /\b(?:invoice|factuur)(?:\s*(?:number|no\.?|nr\.?|#)|nummer)?\s*[:#]?\s*(?<number>[A-Z0-9](?:[A-Z0-9./-]*[A-Z0-9])?)/gi;

/** Longer is a sentence read as a number. */
const MAX_LENGTH = 40;

export function findInvoiceNumber(text: string): string | undefined {
  for (const m of text.matchAll(NUMBER_LABEL)) {
    const number = m.groups?.number ?? '';
    if (/\d/.test(number) && number.length <= MAX_LENGTH) return number;
  }
  return undefined;
}
