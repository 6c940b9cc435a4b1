import assert from 'node:assert/strict';
import { findInvoiceNumber } from '../../src/domain/invoiceNumber';

describe('domain: the invoice number read from an invoice text (duplicate invoices, issue 32)', () => {
  const cases: readonly [string, string | undefined][] = [
    ['Fabrikam Events Ltd - Invoice INV-2026-117\nDate: 10/14/2026', 'INV-2026-117'],
    ['Contoso Media B.V. - Factuur 2026-0042\nFactuurdatum: 14-10-2026', '2026-0042'],
    ['Invoice date: 10/14/2026\nInvoice no.: 5531', '5531'],
    ['Invoice number: NW-5531', 'NW-5531'],
    ['Invoice #A17', 'A17'],
    ['Factuurnummer: T-88', 'T-88'],
    ['Factuur nr. 2026/17', '2026/17'],
    ['Invoice total $3,897.00', undefined],
    ['Partner webinar - agenda\n09:00 Welcome', undefined],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text.split('\n')[0])} → ${want ?? 'no number'}`, () => {
      assert.equal(findInvoiceNumber(text), want);
    });
  }
});
