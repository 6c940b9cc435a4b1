import { randomUUID } from 'node:crypto';
import { money } from '../../domain/money';
import { writePaymentWorkbook } from '../../exports/paymentWorkbook';
import type { Services } from '../services';
import type { Reply, Turn } from '../turn';
import { literal } from '../views/text';
import { answerWithExport } from './exports';
import { claimsOfFund, exportFileName, fundToExport } from './fundExport';

/**
 * `export payments <fund>` (Incentives admins): an XLSX with one row per payment of the fund's
 * claims, which a finance team reconciles against its bank and credit memos.
 */
export async function exportPayments(turn: Turn, services: Services, name: string): Promise<Reply> {
  const fund = await fundToExport(turn, services, name);
  const texts = turn.texts;
  const m = texts.messages;
  const w = m.export.payments;
  return answerWithExport(turn, services, fund.name, async () => {
    const blobName = `${turn.tenantId}/funds/${fund.id}/payments-${randomUUID()}.xlsx`;
    const fileName = exportFileName(fund, ` ${w.sheet}`);
    let total = 0;
    async function* counted() {
      for await (const claim of claimsOfFund(services.claims, turn.tenantId, fund.id)) {
        total += (claim.payments ?? []).reduce((sum, p) => sum + p.amount.minor, 0);
        yield claim;
      }
    }
    const count = await writePaymentWorkbook({
      store: services.exports,
      blobName,
      fileName,
      fund,
      claims: counted(),
      texts: {
        sheet: w.sheet,
        columns: {
          number: m.overview.number,
          title: m.export.workbook.title,
          owner: m.export.workbook.owner,
          method: m.detail.paymentMethod,
          amount: m.detail.amountPaid,
          date: m.detail.paymentDate,
          reference: m.detail.paymentReference,
          recordedBy: w.recordedBy,
        },
        method: (method) => texts.tDynamic(`paymentMethod.${method}`),
        total: m.export.workbook.total,
      },
    });
    return {
      blobName,
      heading: texts.t('export.paymentsHeading', { name: literal(fund.name) }),
      fileName,
      facts: [
        { title: w.sheet, value: String(count) },
        { title: m.overview.paid, value: texts.money(money(total, fund.allocated.currency)) },
      ],
    };
  });
}
