/** What the invoice fixtures (test/fixtures/invoices, made by scripts/invoice-fixtures.ts) hold. */
export interface ExpectedReading {
  readonly file: string;
  readonly contentType: string;
  readonly method: 'text' | 'ocr';
  readonly fallbackCurrency: string;
  readonly total: { minor: number; currency: string } | null;
}
