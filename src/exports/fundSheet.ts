import { PassThrough } from 'node:stream';
import { stream } from 'exceljs';
import type { Fund } from '../domain/fund';
import { minorDigits } from '../domain/money';
import type { ExportStore } from '../store/exports';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Sheet = ReturnType<stream.xlsx.WorkbookWriter['addWorksheet']>;

/** The one sheet of a fund's export, with the fund's currency as a number format. */
export interface FundSheet {
  /** The workbook, for a sheet more after this one (committed first). */
  readonly book: stream.xlsx.WorkbookWriter;
  readonly sheet: Sheet;
  /** `#,##0.00 "USD"`: amounts are values in major units, formatted in the fund's currency. */
  readonly numFmt: string;
  /** Minor units as the major units a spreadsheet sums. */
  major(minor: number): number;
}

export interface FundSheetTarget {
  readonly store: ExportStore;
  readonly blobName: string;
  readonly fileName: string;
  readonly fund: Fund;
  readonly sheetName: string;
}

/**
 * Streams an XLSX of one sheet into its upload while `fill` writes its rows (committed as they are
 * written); `fill`'s result once the workbook is stored. A failure while writing is the one
 * reported: the upload then fails too.
 */
export async function writeFundSheet<T>(
  t: FundSheetTarget,
  fill: (s: FundSheet) => Promise<T>,
): Promise<T> {
  const out = new PassThrough();
  const saving = t.store.save(t.blobName, out, { contentType: XLSX, fileName: t.fileName });
  saving.catch(() => undefined);
  const book = new stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const sheet = book.addWorksheet(t.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  const currency = t.fund.allocated.currency;
  const digits = minorDigits(currency);
  const numFmt = `#,##0${digits ? `.${'0'.repeat(digits)}` : ''} "${currency}"`;
  let result: T;
  try {
    result = await fill({ book, sheet, numFmt, major: (minor) => minor / 10 ** digits });
    sheet.commit();
    await book.commit();
  } catch (e) {
    out.destroy(e as Error);
    throw e;
  }
  await saving;
  return result;
}
