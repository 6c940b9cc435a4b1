import type { stream } from 'exceljs';

/** One activity type's figures, as `insights` shows them (issue 33); money in minor units. */
export interface SummaryRow {
  readonly label: string;
  readonly approved: number;
  readonly pending: number;
  readonly pipeline: number;
  readonly revenue: number;
  /** Pipeline ÷ approved and revenue ÷ approved; undefined while nothing is approved. */
  readonly returnPipeline?: number;
  readonly returnRevenue?: number;
}

/** The summary sheet's words and rows (the fund's activity types, then the fund as a whole). */
export interface FundSummary {
  readonly sheet: string;
  readonly columns: Readonly<
    Record<Exclude<keyof SummaryRow, 'returnPipeline' | 'returnRevenue'>, string> &
      Record<'returnPipeline' | 'returnRevenue', string>
  >;
  readonly rows: readonly SummaryRow[];
}

/** Adds the summary sheet: the same figures as `insights`, values and number formats only. */
export function addSummarySheet(
  book: stream.xlsx.WorkbookWriter,
  summary: FundSummary,
  money: { readonly numFmt: string; readonly major: (minor: number) => number },
): void {
  const sheet = book.addWorksheet(summary.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  const c = summary.columns;
  const amount = { numFmt: money.numFmt };
  const ratio = { numFmt: '0.0"×"' };
  sheet.columns = [
    { header: c.label, key: 'label', width: 24 },
    { header: c.approved, key: 'approved', width: 16, style: amount },
    { header: c.pending, key: 'pending', width: 16, style: amount },
    { header: c.pipeline, key: 'pipeline', width: 16, style: amount },
    { header: c.revenue, key: 'revenue', width: 16, style: amount },
    { header: c.returnPipeline, key: 'returnPipeline', width: 18, style: ratio },
    { header: c.returnRevenue, key: 'returnRevenue', width: 18, style: ratio },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const r of summary.rows) {
    sheet
      .addRow({
        label: r.label,
        approved: money.major(r.approved),
        pending: money.major(r.pending),
        pipeline: money.major(r.pipeline),
        revenue: money.major(r.revenue),
        returnPipeline: r.returnPipeline ?? null,
        returnRevenue: r.returnRevenue ?? null,
      })
      .commit();
  }
  sheet.commit();
}
