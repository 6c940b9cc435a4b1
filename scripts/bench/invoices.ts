import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { InvoiceReading } from '../../src/domain/invoiceTotal';
import { InvoiceReader } from '../../src/reading/invoiceReader';
import type { ExpectedReading } from '../../testkit/invoiceFixtures';
import { Bench } from './env';
import { MeasureResult } from './report';
import { median, ms, ratio } from './stats';

/**
 * 8. Invoices read: every fixture of test/fixtures/invoices (`npm run invoice-fixtures`) read as an
 * upload is read, by the reader the bot uses: how many totals were found, how many were right,
 * and the time a page takes by text and by OCR (OCR's first file includes starting the engine).
 * Quick mode reads the first text PDF and the first scan, once.
 */

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'invoices');
const MAX_TEXT_PAGE_MS = 1_000;
const MAX_OCR_PAGE_MS = 5_000;

interface Outcome {
  readonly want: ExpectedReading;
  readonly reading: InvoiceReading;
}

const correct = ({ want, reading }: Outcome): boolean =>
  want.total
    ? reading.status === 'read' &&
      reading.total.minor === want.total.minor &&
      reading.total.currency === want.total.currency
    : reading.status === 'unreadable';

const pages = (r: InvoiceReading): number => (r.status === 'read' ? r.pages : 1);

/** The first fixture read by each method: a text PDF and a scan. */
const firstOfEachMethod = (fixtures: readonly ExpectedReading[]): ExpectedReading[] =>
  fixtures.filter((f, i) => fixtures.findIndex((g) => g.method === f.method) === i);

export async function measureInvoices(bench: Bench): Promise<MeasureResult> {
  const fixtures = JSON.parse(
    readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8'),
  ) as ExpectedReading[];
  const expected = bench.quick ? firstOfEachMethod(fixtures) : fixtures;
  const reader = new InvoiceReader();
  const outcomes: Outcome[] = [];
  try {
    for (let run = 0; run < (bench.quick ? 1 : 3); run++) {
      for (const want of expected) {
        const reading = await reader.read({
          bytes: readFileSync(path.join(FIXTURES, want.file)),
          contentType: want.contentType,
          fallbackCurrency: want.fallbackCurrency,
        });
        outcomes.push({ want, reading });
      }
    }
  } finally {
    await reader.close();
  }
  const by = (method: 'text' | 'ocr') => outcomes.filter((o) => o.want.method === method);
  const perPage = (list: Outcome[]) => median(list.map((o) => o.reading.ms / pages(o.reading)));
  const row = (method: 'text' | 'ocr', label: string, maxMs: number) => {
    const list = by(method);
    const right = list.filter(correct).length;
    const found = list.filter((o) => o.reading.status === 'read').length;
    const withTotal = list.filter((o) => o.want.total).length;
    return [
      {
        name: `${label}: found / correct`,
        figure: `${found} found, ${right} of ${list.length} correct`,
        baseline: `${withTotal} have a total`,
        ratio: ratio(right / list.length),
        target: 'all correct',
        pass: right === list.length,
        why: 'A wrong or missing total is a fixture the reader gets wrong: see the table below.',
      },
      {
        name: `${label}: time a page (p50)`,
        figure: ms(perPage(list)),
        baseline: method === 'ocr' ? `text ${ms(perPage(by('text')))}` : '',
        ratio: method === 'ocr' ? ratio(perPage(list) / perPage(by('text'))) : '',
        target: `≤ ${ms(maxMs)}`,
        pass: perPage(list) <= maxMs,
      },
    ];
  };
  return {
    title: '8. Invoices read (text and OCR)',
    rows: [...row('text', 'text PDFs', MAX_TEXT_PAGE_MS), ...row('ocr', 'scans', MAX_OCR_PAGE_MS)],
    details: [
      `${bench.quick ? 'The first text PDF and the first scan' : 'Every fixture'} of ` +
        `\`test/fixtures/invoices\` (${bench.quick ? `${expected.length} of its ${fixtures.length}` : expected.length} ` +
        'files, made by ' +
        '`npm run invoice-fixtures`: text PDFs, PNG and JPEG scans, image-only PDFs, in English ' +
        'and Dutch, two without a total), read one after another by `InvoiceReader` with its ' +
        'default limits; a page time is the reading time divided by the pages read.',
      '',
      '| file | expected | read | ms |',
      '|---|---|---|---|',
      ...outcomes
        .slice(0, expected.length)
        .map(
          ({ want, reading }) =>
            `| ${want.file} | ${want.total ? `${want.total.minor} ${want.total.currency}` : 'none'} | ${
              reading.status === 'read'
                ? `${reading.total.minor} ${reading.total.currency} (${reading.method})`
                : reading.reason
            } | ${reading.ms} |`,
        ),
    ],
  };
}
