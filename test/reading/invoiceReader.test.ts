import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import {
  DEFAULT_READER_LIMITS,
  InvoiceReader,
  type InvoiceReaderLimits,
} from '../../src/reading/invoiceReader';
import type { ExpectedReading } from '../../testkit/invoiceFixtures';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'invoices');
const expected = JSON.parse(
  readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8'),
) as ExpectedReading[];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const fixture = (file: string) => readFileSync(path.join(FIXTURES, file));

async function manyPagesPdf(pages: number, totalOnPage: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) {
    const text = i === totalOnPage ? 'Total due USD 777.00' : `Terms and conditions, page ${i}`;
    doc.addPage([595, 842]).drawText(text, { x: 50, y: 700, size: 12, font });
  }
  return doc.save();
}

describe('invoice reader: totals from text PDFs, scans and image-only PDFs', function () {
  this.timeout(120_000);
  const readers: InvoiceReader[] = [];
  const reader = (limits: Partial<InvoiceReaderLimits> = {}) => {
    const made = new InvoiceReader({ ...DEFAULT_READER_LIMITS, ...limits });
    readers.push(made);
    return made;
  };
  after(() => Promise.all(readers.map((r) => r.close())));
  /** One reader with the default limits for every fixture: its OCR engine starts once. */
  let withDefaults: InvoiceReader | undefined;

  for (const want of expected) {
    it(`${want.file}: ${want.total ? `${want.total.minor} ${want.total.currency}` : 'no total'} by ${want.method}`, async () => {
      withDefaults ??= reader();
      const reading = await withDefaults.read({
        bytes: fixture(want.file),
        contentType: want.contentType,
        fallbackCurrency: want.fallbackCurrency,
      });
      if (!want.total) {
        assert.deepEqual(
          [reading.status, 'reason' in reading && reading.reason],
          ['unreadable', 'noTotal'],
        );
        return;
      }
      assert.equal(reading.status, 'read', JSON.stringify(reading));
      assert.deepEqual(reading.status === 'read' && [reading.total, reading.method], [
        want.total,
        want.method,
      ]);
    });
  }

  it('reads only the first pages: a total past them is not found, one within is', async () => {
    const limited = reader({ maxPages: 3 });
    const late = await limited.read({
      bytes: await manyPagesPdf(200, 150),
      contentType: 'application/pdf',
      fallbackCurrency: 'USD',
    });
    assert.deepEqual([late.status, 'reason' in late && late.reason], ['unreadable', 'noTotal']);
    const early = await limited.read({
      bytes: await manyPagesPdf(200, 2),
      contentType: 'application/pdf',
      fallbackCurrency: 'USD',
    });
    assert.equal(early.status === 'read' && early.pages, 200);
    assert.equal(early.status === 'read' && early.total.minor, 77_700);
  });

  it('says why a file cannot be read, and never throws', async () => {
    const cases: [Partial<InvoiceReaderLimits>, Uint8Array, string, string][] = [
      [{}, Buffer.from('%PDF-1.7\n garbage \n%%EOF'), 'application/pdf', 'damaged'],
      [{}, Buffer.concat([PNG_SIGNATURE, Buffer.from('not an image')]), 'image/png', 'damaged'],
      [{}, Buffer.from('PK\u0003\u0004'), 'application/zip', 'notSupported'],
      [{ maxBytes: 100 }, fixture('en-usd-event.text.pdf'), 'application/pdf', 'tooLarge'],
      [{ timeoutMs: 1 }, fixture('nl-eur-webinar.scan.jpg'), 'image/jpeg', 'timedOut'],
      // The PDF's worker thread is terminated at the deadline, whatever it is doing.
      [{ timeoutMs: 5 }, fixture('en-gbp-two-pages.text.pdf'), 'application/pdf', 'timedOut'],
      // pdf.js decodes no image above the pixel limit: the scan stays unread, nothing explodes.
      [{ maxImagePixels: 1000 }, fixture('en-eur-ads.scan.pdf'), 'application/pdf', 'noTotal'],
    ];
    for (const [limits, bytes, contentType, reason] of cases) {
      const reading = await reader(limits).read({ bytes, contentType, fallbackCurrency: 'USD' });
      assert.deepEqual(
        [reading.status, 'reason' in reading && reading.reason],
        ['unreadable', reason],
        `${contentType} with ${JSON.stringify(limits)}`,
      );
    }
  });

  it('abandons a recognition past its deadline, and the next reading starts a fresh engine', async () => {
    const hurried = reader({ timeoutMs: 400 });
    const scan = { contentType: 'image/png', fallbackCurrency: 'USD' };
    const late = await hurried.read({ ...scan, bytes: fixture('en-usd-event.scan.png') });
    assert.deepEqual([late.status, 'reason' in late && late.reason], ['unreadable', 'timedOut']);
    assert.ok(late.ms < 3_000, `gave up after ${late.ms} ms`);
    const patient = reader();
    const next = await patient.read({ ...scan, bytes: fixture('nl-eur-training.scan.png') });
    assert.equal(next.status === 'read' && next.total.minor, 232_774);
  });

  it('refuses work beyond its queue as busy, and reads the rest one at a time', async () => {
    const small = reader({ maxQueued: 2 });
    const input = {
      bytes: fixture('en-usd-event.text.pdf'),
      contentType: 'application/pdf',
      fallbackCurrency: 'USD',
    };
    const readings = await Promise.all([small.read(input), small.read(input), small.read(input)]);
    assert.deepEqual(
      readings.map((r) => r.status === 'read' || r.reason),
      [true, true, 'busy'],
    );
  });
});
