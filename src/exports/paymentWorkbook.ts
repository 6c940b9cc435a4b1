import type { PaymentMethod } from '../domain/claim';
import type { Fund } from '../domain/fund';
import type { ClaimSummary } from '../store/claims';
import type { ExportStore } from '../store/exports';
import { writeFundSheet } from './fundSheet';

/** The payments workbook's words, in the user's language. */
export interface PaymentWorkbookTexts {
  readonly sheet: string;
  readonly columns: Readonly<
    Record<
      'number' | 'title' | 'owner' | 'method' | 'amount' | 'date' | 'reference' | 'recordedBy',
      string
    >
  >;
  readonly method: (method: PaymentMethod) => string;
  /** "Total", then one subtotal per payment method. */
  readonly total: string;
}

export interface PaymentWorkbook {
  readonly store: ExportStore;
  readonly blobName: string;
  readonly fileName: string;
  readonly fund: Fund;
  /** The fund's claims, page by page, as the claim store lists them (with their payments). */
  readonly claims: AsyncIterable<ClaimSummary>;
  readonly texts: PaymentWorkbookTexts;
}

/**
 * Writes one row per payment of a fund's claims, in the fund's currency, then the total and a
 * subtotal per payment method: each is the sum of the rows above it (added up in minor units, so a
 * finance team's sum of the column equals it). Values only, no formulas. How many payments it lists.
 */
export async function writePaymentWorkbook(w: PaymentWorkbook): Promise<number> {
  const target = { ...w, sheetName: w.texts.sheet };
  return writeFundSheet(target, async ({ sheet, numFmt, major }) => {
    const c = w.texts.columns;
    sheet.columns = [
      { header: c.number, key: 'number', width: 12 },
      { header: c.title, key: 'title', width: 36 },
      { header: c.owner, key: 'owner', width: 22 },
      { header: c.method, key: 'method', width: 16 },
      { header: c.amount, key: 'amount', width: 16, style: { numFmt } },
      { header: c.date, key: 'date', width: 12 },
      { header: c.reference, key: 'reference', width: 24 },
      { header: c.recordedBy, key: 'recordedBy', width: 22 },
    ];
    sheet.getRow(1).font = { bold: true };
    const byMethod = new Map<PaymentMethod, number>();
    let total = 0;
    let count = 0;
    for await (const claim of w.claims) {
      for (const p of claim.payments ?? []) {
        sheet
          .addRow({
            number: claim.number,
            title: claim.title,
            owner: claim.ownerName,
            method: w.texts.method(p.method),
            amount: major(p.amount.minor),
            date: p.date,
            reference: p.reference,
            recordedBy: p.by.name,
          })
          .commit();
        total += p.amount.minor;
        byMethod.set(p.method, (byMethod.get(p.method) ?? 0) + p.amount.minor);
        count += 1;
      }
    }
    sheet.addRow([]).commit();
    const totals = sheet.addRow({ number: w.texts.total, amount: major(total) });
    totals.font = { bold: true };
    totals.commit();
    for (const [method, minor] of byMethod) {
      sheet.addRow({ method: w.texts.method(method), amount: major(minor) }).commit();
    }
    return count;
  });
}
