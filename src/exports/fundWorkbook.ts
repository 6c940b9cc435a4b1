import { Fund, FundTotals, approvedAmountOf, paidOf } from '../domain/fund';
import { reimbursableOf } from '../domain/reimbursement';
import type { ClaimResults, ClaimSummary } from '../store/claims';
import { FundSummary, addSummarySheet } from './fundSummarySheet';
import type { ExportStore } from '../store/exports';
import { writeFundSheet } from './fundSheet';

/** The workbook's words, in the user's language. */
export interface WorkbookTexts {
  readonly sheet: string;
  readonly columns: Readonly<
    Record<'number' | 'title' | 'owner' | 'status' | 'claimed' | 'approved' | 'paid', string> &
      Record<keyof ClaimResults, string>
  >;
  readonly status: (status: string) => string;
  readonly totals: string;
  readonly allocated: string;
  readonly pending: string;
  /** What approved fund requests hold: part of what the fund has promised. */
  readonly reserved: string;
  readonly remaining: string;
  /** What the totals leave out of the listed claims (drafts, rejected claims), said below them. */
  readonly leftOut: string;
}

export interface FundWorkbook {
  readonly store: ExportStore;
  readonly blobName: string;
  readonly fileName: string;
  readonly fund: Fund;
  readonly totals: FundTotals;
  /** The fund's claims, page by page, as the claim store lists them. */
  readonly claims: AsyncIterable<ClaimSummary>;
  readonly texts: WorkbookTexts;
  /** Each claim's results by number (issue 33): the results columns. */
  readonly results: ReadonlyMap<string, ClaimResults>;
  /** The summary sheet: the same figures as `insights`. */
  readonly summary: FundSummary;
}

/**
 * Writes a fund's claims and totals as an XLSX: values and number formats only, no formulas (the
 * totals are the fund's own sums). Rows are committed as they are written, so the workbook streams
 * into its upload. How many claims it lists.
 */
export async function writeFundWorkbook(w: FundWorkbook): Promise<number> {
  const target = { ...w, sheetName: w.texts.sheet };
  return writeFundSheet(target, async ({ book, sheet, numFmt, major }) => {
    const c = w.texts.columns;
    sheet.columns = [
      { header: c.number, key: 'number', width: 12 },
      { header: c.title, key: 'title', width: 40 },
      { header: c.owner, key: 'owner', width: 24 },
      { header: c.status, key: 'status', width: 16 },
      { header: c.claimed, key: 'claimed', width: 16, style: { numFmt } },
      { header: c.approved, key: 'approved', width: 16, style: { numFmt } },
      { header: c.paid, key: 'paid', width: 16, style: { numFmt } },
      { header: c.leads, key: 'leads', width: 10 },
      { header: c.opportunities, key: 'opportunities', width: 14 },
      { header: c.pipeline, key: 'pipeline', width: 16, style: { numFmt } },
      { header: c.revenue, key: 'revenue', width: 16, style: { numFmt } },
    ];
    sheet.getRow(1).font = { bold: true };
    let count = 0;
    const asCount = (n: number | undefined): number | null => (n ? n : null);
    for await (const claim of w.claims) {
      // What the claim asks of the fund (its reimbursable amount), as the fund's sums count it.
      const approved = approvedAmountOf(claim);
      const results = w.results.get(claim.number);
      sheet
        .addRow({
          number: claim.number,
          title: claim.title,
          owner: claim.ownerName,
          status: w.texts.status(claim.status),
          claimed: major(reimbursableOf(claim)?.minor ?? 0),
          approved: approved ? major(approved.minor) : null,
          paid: approved ? major(paidOf(claim)) : null,
          leads: asCount(results?.leads),
          opportunities: asCount(results?.opportunities),
          pipeline: results?.pipeline ? major(results.pipeline) : null,
          revenue: results?.revenue ? major(results.revenue) : null,
        })
        .commit();
      count += 1;
    }
    sheet.addRow([]).commit();
    const t = w.totals;
    const totals = sheet.addRow({
      number: w.texts.totals,
      claimed: major(t.claimed.minor),
      approved: major(t.approved.minor),
      paid: major(t.paid.minor),
    });
    totals.font = { bold: true };
    totals.commit();
    // Remaining = allocated − approved − pending − reserved: each named, so the sheet adds up.
    for (const [label, amount] of [
      [w.texts.allocated, t.allocated],
      [w.texts.pending, t.pending],
      [w.texts.reserved, t.reserved],
      [w.texts.remaining, t.remaining],
    ] as const) {
      sheet.addRow({ number: label, claimed: major(amount.minor) }).commit();
    }
    sheet.addRow({ number: w.texts.leftOut }).commit();
    sheet.commit();
    addSummarySheet(book, w.summary, { numFmt, major });
    return count;
  });
}
