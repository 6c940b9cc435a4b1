import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFFont, StandardFonts } from 'pdf-lib';
import { launchChromium } from '../testkit/browser';
import { DEMO_DOCUMENTS_DIR } from '../src/demo/demoDocuments';

/**
 * `npm run demo-documents`: writes demo/documents/ — the files of the local demo seed
 * (src/demo/demoClaims.ts): invoices whose totals the bot's reader finds, agendas (text PDFs made
 * with pdf-lib) and screenshots of campaign results (PNGs Chromium renders). No dates on them: the
 * seed places its claims relative to today.
 */
type Line = readonly [string, string];

interface PdfDocument {
  readonly file: string;
  readonly title: string;
  readonly lines: readonly Line[];
}

const BILL_TO: Line = ['Bill to: Contoso Ltd, Partner marketing', ''];

const invoice = (
  file: string,
  vendor: string,
  lines: readonly Line[],
  total: string,
): PdfDocument => ({
  file,
  title: vendor,
  lines: [BILL_TO, ['Terms: 30 days', ''], ...lines, ['Total due', total]],
});

const PDFS: readonly PdfDocument[] = [
  invoice(
    'invoice-summit-booth.pdf',
    'Fabrikam Events Ltd - Invoice FE-2211',
    [
      ['Booth space 6 x 3 m, Partner Summit', '$1,900.00'],
      ['Furniture and power', '$400.00'],
      ['Subtotal', '$2,300.00'],
    ],
    '$2,300.00',
  ),
  invoice(
    'invoice-webinar-series.pdf',
    'Contoso Media - Invoice CM-3078',
    [
      ['Webinar production, 3 sessions', '$4,200.00'],
      ['Speaker travel', '$300.00'],
      ['Catering for the studio audience', '$350.00'],
      ['Subtotal', '$4,850.00'],
    ],
    '$4,850.00',
  ),
  invoice(
    'invoice-keynote.pdf',
    'Fabrikam Events Ltd - Invoice FE-2240',
    [
      ['Keynote sponsorship package', '$3,600.00'],
      ['Logo on stage screens', '$300.00'],
      ['Subtotal', '$3,900.00'],
    ],
    '$3,900.00',
  ),
  invoice(
    'invoice-linkedin.pdf',
    'Northwind Advertising - Invoice NW-7720',
    [
      ['LinkedIn sponsored content, 30 days', '$5,400.00'],
      ['Creative production', '$800.00'],
      ['Subtotal', '$6,200.00'],
    ],
    '$6,200.00',
  ),
  invoice(
    'invoice-training.pdf',
    'Tailspin Training - Invoice TT-0918',
    [
      ['Modern Work training day, 28 seats', '$2,800.00'],
      ['Venue and lunch', '$350.00'],
      ['Subtotal', '$3,150.00'],
    ],
    '$3,150.00',
  ),
  invoice(
    'invoice-security-webinar.pdf',
    'Contoso Media - Invoice CM-3121',
    [
      ['Security webinar production', '$3,900.00'],
      ['Registration page and reminders', '$550.00'],
      ['Subtotal', '$4,450.00'],
    ],
    '$4,450.00',
  ),
  invoice(
    'invoice-dynamics-webinar.pdf',
    'Contoso Media - Invoice CM-3140',
    [
      ['Dynamics 365 partner webinar production', '$2,500.00'],
      ['Follow-up mailing', '$250.00'],
      ['Subtotal', '$2,750.00'],
    ],
    '$2,750.00',
  ),
  invoice(
    'invoice-print-ads.pdf',
    'Wingtip Press - Invoice WP-3310',
    [
      ['Two half-page ads, IT Partner Monthly', '$1,600.00'],
      ['Ad design', '$200.00'],
      ['Subtotal', '$1,800.00'],
    ],
    '$1,800.00',
  ),
  invoice(
    'invoice-roadshow.pdf',
    'Litware Venues - Invoice LV-5502',
    [
      ['Roadshow venue Utrecht, half day', '$1,350.00'],
      ['Coffee, lunch and signage', '$450.00'],
      ['Subtotal', '$1,800.00'],
    ],
    '$1,800.00',
  ),
  {
    file: 'agenda-webinar.pdf',
    title: 'Partner webinar - agenda',
    lines: [
      ['15:00', 'Welcome and introductions'],
      ['15:10', 'What is new for partners'],
      ['15:40', 'Customer story'],
      ['16:00', 'Questions and next steps'],
    ],
  },
  {
    file: 'agenda-event.pdf',
    title: 'Partner Summit - our sessions',
    lines: [
      ['09:30', 'Keynote: Copilot for every partner'],
      ['11:00', 'Breakout: cloud migration offers'],
      ['13:00', 'Booth demos (all day)'],
    ],
  },
  {
    file: 'agenda-training.pdf',
    title: 'Modern Work training day - agenda',
    lines: [
      ['09:00', 'Teams and Copilot in practice'],
      ['11:00', 'Security basics for small businesses'],
      ['13:30', 'Hands-on labs'],
      ['16:00', 'Certification voucher hand-out'],
    ],
  },
];

interface Screenshot {
  readonly file: string;
  readonly heading: string;
  readonly figures: readonly Line[];
}

const SCREENSHOTS: readonly Screenshot[] = [
  {
    file: 'webinar-attendance.png',
    heading: 'Webinar report - attendance',
    figures: [
      ['Registered', '160'],
      ['Attended live', '118'],
      ['Average time watched', '41 min'],
      ['Questions asked', '23'],
    ],
  },
  {
    file: 'campaign-results.png',
    heading: 'Campaign manager - Copilot for SMB',
    figures: [
      ['Impressions', '1,250,000'],
      ['Clicks', '18,400'],
      ['Click-through rate', '1.47%'],
      ['Leads', '212'],
    ],
  },
];

async function textPdf(doc: PdfDocument): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  // Fixed dates: running the script again writes the same bytes.
  pdf.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  pdf.setModificationDate(new Date('2026-01-01T00:00:00Z'));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const page = pdf.addPage([595, 842]);
  page.drawText(doc.title, { x: 50, y: 780, size: 14, font: bold });
  doc.lines.forEach(([label, value], i) => {
    const y = 730 - i * 22;
    const lineFont: PDFFont = label === 'Total due' ? bold : font;
    page.drawText(label, { x: 50, y, size: 11, font: lineFont });
    if (value) page.drawText(value, { x: 400, y, size: 11, font: lineFont });
  });
  return pdf.save();
}

function screenshotHtml(shot: Screenshot): string {
  const tiles = shot.figures
    .map(
      ([label, value]) =>
        `<div class="tile"><div class="value">${value}</div><div class="label">${label}</div></div>`,
    )
    .join('');
  return `<!doctype html><html><body style="margin:0;background:#f3f2f1;font-family:Arial,sans-serif">
  <div style="background:#464775;color:#fff;padding:14px 20px;font-size:18px">${shot.heading}</div>
  <div style="display:grid;grid-template-columns:1fr 1fr;gap:14px;padding:20px">${tiles}</div>
  <style>.tile{background:#fff;border-radius:6px;padding:16px}.value{font-size:30px;color:#242424}
  .label{font-size:14px;color:#616161;margin-top:4px}</style></body></html>`;
}

async function main(): Promise<void> {
  mkdirSync(DEMO_DOCUMENTS_DIR, { recursive: true });
  for (const doc of PDFS) {
    writeFileSync(path.join(DEMO_DOCUMENTS_DIR, doc.file), await textPdf(doc));
  }
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 560, height: 290 } });
    for (const shot of SCREENSHOTS) {
      await page.setContent(screenshotHtml(shot));
      writeFileSync(path.join(DEMO_DOCUMENTS_DIR, shot.file), await page.screenshot());
    }
  } finally {
    await browser.close();
  }
  console.log(`wrote ${PDFS.length + SCREENSHOTS.length} files to ${DEMO_DOCUMENTS_DIR}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
