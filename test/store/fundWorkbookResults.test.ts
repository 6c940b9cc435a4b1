import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { Workbook } from 'exceljs';
import { money } from '../../src/domain/money';
import { totalsFrom } from '../../src/domain/fund';
import { writeFundWorkbook } from '../../src/exports/fundWorkbook';
import type { ClaimSummary } from '../../src/store/claims';
import type { ExportStore } from '../../src/store/exports';

const fund = {
  id: 'f1',
  tenantId: 't1',
  name: 'FY27 Co-op',
  periodStart: '2026-07-01',
  periodEnd: '2027-06-30',
  allocated: money(100_000_00, 'USD'),
  createdBy: { id: 'a', name: 'Ada' },
  createdAt: '2026-07-01T00:00:00.000Z',
};

/** An export store that keeps the saved bytes. */
function memoryExports(): ExportStore & { bytes(): Buffer } {
  let saved = Buffer.alloc(0);
  return {
    openDocument: () => Promise.reject(new Error('not here')),
    readUrl: () => Promise.resolve('memory://'),
    async save(_name: string, source: Readable) {
      const chunks: Buffer[] = [];
      for await (const c of source) chunks.push(Buffer.from(c as Buffer));
      saved = Buffer.concat(chunks);
      return saved.length;
    },
    bytes: () => saved,
  };
}

async function* claims(): AsyncIterable<ClaimSummary> {
  yield {
    number: 'CLM-0001',
    seq: 1,
    title: 'Webinar',
    status: 'approved',
    amount: money(1_500_00, 'USD'),
    approvedAmount: money(1_500_00, 'USD'),
    fundId: 'f1',
    ownerName: 'Olga',
  };
  yield {
    number: 'CLM-0002',
    seq: 2,
    title: 'Draft',
    status: 'editing',
    amount: money(100_00, 'USD'),
    fundId: 'f1',
    ownerName: 'Olga',
  };
}

describe('store: export fund with results columns and a summary sheet (issue 33)', () => {
  it('lists each claim’s results and, on Summary, the figures per activity type with return on spend', async () => {
    const store = memoryExports();
    const words = { claimed: 'Claimed', approved: 'Approved', paid: 'Paid' };
    await writeFundWorkbook({
      store,
      blobName: 'x.xlsx',
      fileName: 'x.xlsx',
      fund,
      totals: totalsFrom(fund, {}),
      claims: claims(),
      texts: {
        sheet: 'Claims',
        columns: {
          number: 'Claim',
          title: 'Title',
          owner: 'Owner',
          status: 'Status',
          ...words,
          leads: 'Leads',
          opportunities: 'Opportunities',
          pipeline: 'Pipeline',
          revenue: 'Revenue won',
        },
        status: (s) => s,
        totals: 'Total',
        allocated: 'Allocated',
        pending: 'Pending',
        reserved: 'Reserved',
        remaining: 'Remaining',
        leftOut: '…',
      },
      results: new Map([
        ['CLM-0001', { leads: 37, opportunities: 0, pipeline: 12_000_00, revenue: 2_500_00 }],
      ]),
      summary: {
        sheet: 'Summary',
        columns: {
          label: 'Activity type',
          approved: 'Approved',
          pending: 'Pending',
          pipeline: 'Pipeline',
          revenue: 'Revenue won',
          returnPipeline: 'Pipeline ÷ approved',
          returnRevenue: 'Revenue won ÷ approved',
        },
        rows: [
          {
            label: 'Webinar',
            approved: 1_500_00,
            pending: 0,
            pipeline: 12_000_00,
            revenue: 2_500_00,
            returnPipeline: 8,
            returnRevenue: 2_500 / 1_500,
          },
          { label: 'Event', approved: 0, pending: 100_00, pipeline: 0, revenue: 0 },
        ],
      },
    });
    const book = new Workbook();
    await book.xlsx.load(store.bytes() as unknown as ArrayBuffer);
    const rows = (name: string): unknown[][] => {
      const out: unknown[][] = [];
      book.getWorksheet(name)?.eachRow((r) => out.push(Array.from(r.values as unknown[]).slice(1)));
      return out;
    };
    const listed = rows('Claims');
    assert.deepEqual(listed[1].slice(7), [37, undefined, 12000, 2500]);
    assert.deepEqual(listed[2].slice(7), []);
    const summary = rows('Summary');
    assert.deepEqual(summary[1], ['Webinar', 1500, 0, 12000, 2500, 8, 2500 / 1500]);
    assert.deepEqual(summary[2].slice(0, 5), ['Event', 0, 100, 0, 0]);
    assert.equal(book.getWorksheet('Summary')?.getCell('F2').numFmt, '0.0"×"');
  });
});
