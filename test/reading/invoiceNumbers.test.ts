import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_READER_LIMITS, InvoiceReader } from '../../src/reading/invoiceReader';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'invoices');

/** The numbers the fixtures' titles carry (scripts/invoice-fixtures.ts), read from their text layer. */
const NUMBERS: Readonly<Record<string, string>> = {
  'en-usd-event.text.pdf': 'INV-2026-117',
  'nl-eur-webinar.text.pdf': '2026-0042',
  'en-gbp-two-pages.text.pdf': 'NW-5531',
  'nl-eur-training.text.pdf': 'T-88',
  'en-eur-ads.text.pdf': 'LD-2026-09',
};

describe('invoice reader: the invoice number beside the total (issue 32)', function () {
  this.timeout(120_000);
  const reader = new InvoiceReader(DEFAULT_READER_LIMITS);
  after(() => reader.close());

  for (const [file, number] of Object.entries(NUMBERS)) {
    it(`${file}: ${number}`, async () => {
      const reading = await reader.read({
        bytes: readFileSync(path.join(FIXTURES, file)),
        contentType: 'application/pdf',
        fallbackCurrency: 'USD',
      });
      assert.equal(reading.status === 'read' && reading.number, number, JSON.stringify(reading));
    });
  }
});
