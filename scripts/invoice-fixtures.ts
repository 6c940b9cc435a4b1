import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { launchChromium } from '../testkit/browser';
import type { ExpectedReading } from '../testkit/invoiceFixtures';

/**
 * `npm run invoice-fixtures`: writes test/fixtures/invoices/ — small invoices with known totals,
 * in English and Dutch, as text PDFs (pdf-lib), scans (Chromium renders the invoice, slightly
 * blurred and grey, as PNG or JPEG) and image-only PDFs made of those scans — plus expected.json.
 * The reader's tests and `npm run bench` read every fixture and compare with what is expected.
 */
const OUT = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'invoices');

interface Invoice {
  readonly name: string;
  readonly title: string;
  readonly lines: readonly (readonly [string, string])[];
  /** Lines placed on a second page (text PDFs only). */
  readonly secondPage?: readonly (readonly [string, string])[];
  readonly total: { minor: number; currency: string } | null;
  readonly as: readonly ('text.pdf' | 'scan.png' | 'scan.jpg' | 'scan.pdf')[];
}

const INVOICES: readonly Invoice[] = [
  {
    name: 'en-usd-event',
    title: 'Fabrikam Events Ltd - Invoice INV-2026-117',
    lines: [
      ['Date: 10/14/2026', 'Due: 11/13/2026'],
      ['Catering, 120 guests', '$2,400.00'],
      ['Venue hire', '$1,200.00'],
      ['Subtotal', '$3,600.00'],
      ['Sales tax 8.25%', '$297.00'],
      ['Total due', '$3,897.00'],
    ],
    total: { minor: 389_700, currency: 'USD' },
    as: ['text.pdf', 'scan.png'],
  },
  {
    name: 'nl-eur-webinar',
    title: 'Contoso Media B.V. - Factuur 2026-0042',
    lines: [
      ['Factuurdatum: 14-10-2026', 'Vervaldatum: 13-11-2026'],
      ['Webinarproductie', 'EUR 1.500,00'],
      ['Subtotaal', 'EUR 1.500,00'],
      ['Btw 21%', 'EUR 315,00'],
      ['Totaal incl. btw', 'EUR 1.815,00'],
    ],
    total: { minor: 181_500, currency: 'EUR' },
    as: ['text.pdf', 'scan.jpg', 'scan.pdf'],
  },
  {
    name: 'en-gbp-two-pages',
    title: 'Northwind Advertising plc - Invoice NW-5531',
    lines: [
      ['Campaign: Azure for SMB, display ads', ''],
      ['Impressions 1,200,000', 'GBP 9,600.00'],
      ['Creative production', 'GBP 688.00'],
    ],
    secondPage: [
      ['Subtotal', 'GBP 10,288.00'],
      ['VAT 20%', 'GBP 2,057.60'],
      ['Amount due', 'GBP 12,345.60'],
    ],
    total: { minor: 1_234_560, currency: 'GBP' },
    as: ['text.pdf'],
  },
  {
    name: 'nl-eur-training',
    title: 'Tailspin Opleidingen - Factuur T-88 (valuta: EUR)',
    lines: [
      ['Training Microsoft 365, 3 dagen', '2.025,00'],
      ['Korting 5%', '101,25'],
      ['Btw 21%', '403,99'],
      ['Te betalen', '2.327,74'],
    ],
    total: { minor: 232_774, currency: 'EUR' },
    as: ['text.pdf', 'scan.png'],
  },
  {
    name: 'en-eur-ads',
    title: 'Litware Digital GmbH - Invoice LD-2026-09',
    lines: [
      ['Search ads, September', 'EUR 4,150.00'],
      ['Total excl. VAT', 'EUR 4,150.00'],
      ['VAT 19%', 'EUR 788.50'],
      ['Grand total', 'EUR 4,938.50'],
    ],
    total: { minor: 493_850, currency: 'EUR' },
    as: ['text.pdf', 'scan.pdf'],
  },
  {
    name: 'en-agenda',
    title: 'Partner webinar - agenda',
    lines: [
      ['09:00', 'Welcome'],
      ['09:15', 'Copilot for partners'],
      ['10:30', 'Questions'],
    ],
    total: null,
    as: ['text.pdf', 'scan.png'],
  },
];

const CONTENT_TYPES = {
  'text.pdf': 'application/pdf',
  'scan.pdf': 'application/pdf',
  'scan.png': 'image/png',
  'scan.jpg': 'image/jpeg',
} as const;

async function textPdf(invoice: Invoice): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date('2026-10-14T00:00:00Z'));
  doc.setModificationDate(new Date('2026-10-14T00:00:00Z'));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const pages = [invoice.lines, ...(invoice.secondPage ? [invoice.secondPage] : [])];
  pages.forEach((lines, index) => {
    const page = doc.addPage([595, 842]);
    if (index === 0) page.drawText(invoice.title, { x: 50, y: 780, size: 14, font: bold });
    lines.forEach(([label, amount], i) => {
      const y = 730 - i * 22;
      page.drawText(label, { x: 50, y, size: 11, font });
      if (amount) page.drawText(amount, { x: 400, y, size: 11, font });
    });
  });
  return doc.save();
}

function invoiceHtml(invoice: Invoice): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rows = invoice.lines
    .map(([l, a]) => `<tr><td>${escape(l)}</td><td class="amount">${escape(a)}</td></tr>`)
    .join('');
  return `<!doctype html><html><body style="margin:0;background:#fff">
  <div style="width:760px;padding:40px;font-family:'Open Sans',Arial,sans-serif;font-size:22px;
    color:#222;filter:grayscale(1) blur(0.4px);transform:rotate(0.4deg)">
  <h2 style="font-size:26px">${escape(invoice.title)}</h2>
  <table style="width:100%;font-size:22px;border-collapse:collapse">${rows}</table>
  <style>td{padding:6px 0}.amount{text-align:right}</style></div></body></html>`;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 840, height: 520 } });
  const expected: ExpectedReading[] = [];
  const write = (file: string, bytes: Uint8Array, invoice: Invoice, method: 'text' | 'ocr') => {
    writeFileSync(path.join(OUT, file), bytes);
    const kind = file.slice(invoice.name.length + 1) as keyof typeof CONTENT_TYPES;
    expected.push({
      file,
      contentType: CONTENT_TYPES[kind],
      method,
      fallbackCurrency: 'USD',
      total: invoice.total,
    });
  };
  try {
    for (const invoice of INVOICES) {
      for (const as of invoice.as) {
        const file = `${invoice.name}.${as}`;
        if (as === 'text.pdf') {
          write(file, await textPdf(invoice), invoice, 'text');
          continue;
        }
        await page.setContent(invoiceHtml(invoice));
        const type = as === 'scan.jpg' ? 'jpeg' : 'png';
        const image = await page.screenshot({ type, ...(type === 'jpeg' ? { quality: 70 } : {}) });
        if (as !== 'scan.pdf') {
          write(file, image, invoice, 'ocr');
          continue;
        }
        const doc = await PDFDocument.create();
        const embedded = await doc.embedPng(image);
        doc.addPage([embedded.width, embedded.height]).drawImage(embedded, { x: 0, y: 0 });
        write(file, await doc.save(), invoice, 'ocr');
      }
    }
  } finally {
    await browser.close();
  }
  writeFileSync(path.join(OUT, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
  console.log(`wrote ${expected.length} invoices and expected.json to ${OUT}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
