import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkInvoices,
  findInvoiceTotal,
  type InvoiceReading,
} from '../../src/domain/invoiceTotal';

const read = (text: string, fallbackCurrency = 'USD') => {
  const found = findInvoiceTotal(text, { fallbackCurrency });
  return found && [found.total.minor, found.total.currency];
};

describe('invoice total: reading the total from an invoice text', () => {
  it('reads an English invoice, skipping the subtotal and the tax line', () => {
    const text = [
      'Fabrikam Events Ltd — Invoice INV-2026-117',
      'Date: 10/14/2026   Due: 11/13/2026',
      'Catering, 120 guests          $2,400.00',
      'Venue                         $1,200.00',
      'Subtotal                      $3,600.00',
      'Sales tax 8.25%               $297.00',
      'Total due                     $3,897.00',
    ].join('\n');
    assert.deepEqual(read(text), [389_700, 'USD']);
    assert.equal(
      findInvoiceTotal(text, { fallbackCurrency: 'USD' })?.line.startsWith('Total due'),
      true,
    );
  });

  it('reads a Dutch invoice with 1.234,56 amounts and a total incl. btw', () => {
    const text = [
      'Factuur 2026-0042',
      'Webinarproductie          € 1.500,00',
      'Subtotaal                 € 1.500,00',
      'Btw 21%                   € 315,00',
      'Totaal incl. btw          € 1.815,00',
      'Te betalen vóór 1-12-2026',
    ].join('\n');
    assert.deepEqual(read(text), [181_500, 'EUR']);
  });

  it('prefers the largest labelled total over a total excl. VAT', () => {
    const text = 'Total excl. VAT: 1,000.00 EUR\nVAT: 210.00 EUR\nTotal: 1,210.00 EUR';
    assert.deepEqual(read(text), [121_000, 'EUR']);
  });

  it('reads the amount on the line under its label (a table)', () => {
    assert.deepEqual(read('Amount due\n£ 12,345.60\nThank you'), [1_234_560, 'GBP']);
  });

  it('takes the money, not the date or the percentage, from a crowded total line', () => {
    assert.deepEqual(read('Total due by 12/31/2026 (incl. 21% VAT): USD 2,026.50'), [
      202_650,
      'USD',
    ]);
    assert.deepEqual(read('Te betalen voor 31-12-2026: 750,00 EUR'), [75_000, 'EUR']);
  });

  it('uses the document currency, then the fallback, when the total line has none', () => {
    assert.deepEqual(read('Invoice in EUR\nTotaal 99,95'), [9_995, 'EUR']);
    assert.deepEqual(read('Total 1 234,50', 'EUR'), [123_450, 'EUR']);
  });

  it('knows currencies without cents', () => {
    assert.deepEqual(read('Total ¥120,000'), [120_000, 'JPY']);
  });

  it('finds nothing where there is no labelled total', () => {
    assert.equal(
      findInvoiceTotal('Agenda\n9:00 Welcome\n10:30 Break', { fallbackCurrency: 'USD' }),
      undefined,
    );
    assert.equal(
      findInvoiceTotal('Subtotal 100.00\nVAT 21.00', { fallbackCurrency: 'USD' }),
      undefined,
    );
    assert.equal(findInvoiceTotal('', { fallbackCurrency: 'USD' }), undefined);
  });

  it('property: any total in any style among smaller lines is read exactly', () => {
    const styles: ((major: number, cents: string) => string)[] = [
      (m, c) => `${m.toLocaleString('en-US')}.${c}`,
      (m, c) => `${m.toLocaleString('nl-NL')},${c}`,
      (m, c) => `${m}.${c}`,
      (m, c) => `${m.toLocaleString('fr-FR').replace(/\u202f/g, ' ')},${c}`,
    ];
    const labels = [
      'Total',
      'Total due',
      'Amount due',
      'Grand total',
      'Totaal',
      'Te betalen',
      'TOTAL',
    ];
    const currencies = [
      ['$', 'USD', 'before'],
      ['€', 'EUR', 'before'],
      ['EUR', 'EUR', 'after'],
      ['GBP', 'GBP', 'before'],
    ] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9_999_999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.constantFrom(...styles),
        fc.constantFrom(...labels),
        fc.constantFrom(...currencies),
        fc.integer({ min: 0, max: 99 }),
        (major, centsValue, style, label, [symbol, code, where], part) => {
          const cents = String(centsValue).padStart(2, '0');
          const amount = style(major, cents);
          const shown = where === 'before' ? `${symbol} ${amount}` : `${amount} ${symbol}`;
          const partAmount = style(Math.floor((major * part) / 100), '00');
          const text = [`Subtotal ${partAmount}`, `VAT ${partAmount}`, `${label}: ${shown}`].join(
            '\n',
          );
          const found = findInvoiceTotal(text, { fallbackCurrency: 'USD' });
          assert.deepEqual(found && [found.total.minor, found.total.currency], [
            major * 100 + centsValue,
            code,
          ]);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('invoice check: the totals read against the claimed amount', () => {
  const read = (minor: number, currency = 'USD'): InvoiceReading => ({
    status: 'read',
    total: { minor, currency },
    line: 'Total',
    method: 'text',
    pages: 1,
    ms: 5,
  });
  const claimed = { minor: 150_000, currency: 'USD' };

  it('adds up the invoices and CSRs read in the claim currency and says by how much they differ', () => {
    const check = checkInvoices(
      [
        { type: 'invoice', reading: read(100_000) },
        { type: 'csr', reading: read(40_000) },
        { type: 'poe', reading: read(999_999) },
        { type: 'invoice', reading: read(5_000, 'EUR') },
        { type: 'invoice' },
        { type: 'invoice', reading: { status: 'unreadable', reason: 'noTotal', ms: 3 } },
      ],
      claimed,
    );
    assert.deepEqual(check, {
      readTotal: { minor: 140_000, currency: 'USD' },
      difference: { minor: -10_000, currency: 'USD' },
      otherCurrencies: ['EUR'],
      reading: 1,
      unreadable: 1,
    });
  });

  it('has no difference when the totals match, and no total when none was read', () => {
    assert.equal(
      checkInvoices([{ type: 'invoice', reading: read(150_000) }], claimed).difference,
      undefined,
    );
    const none = checkInvoices([{ type: 'poe' }], claimed);
    assert.deepEqual([none.readTotal, none.difference, none.reading], [undefined, undefined, 0]);
  });
});
