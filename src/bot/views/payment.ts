import { Claim, isPartlyPaid, owedOf } from '../../domain/claim';
import { paidOf } from '../../domain/fund';
import { money } from '../../domain/money';
import type { Texts } from '../../i18n/i18n';
import { literal } from './text';

/** "$500.00 by Bank transfer on Mar 3, 2027, reference PAY-1", one line per payment, or empty. */
export const paidLine = (texts: Texts, claim: Claim): string =>
  (claim.payments ?? [])
    .map((p) =>
      texts.t('detail.paymentLine', {
        amount: texts.money(p.amount),
        method: texts.tDynamic(`paymentMethod.${p.method}`),
        date: texts.date(p.date),
        reference: literal(p.reference),
      }),
    )
    .join('\n');

/** "$500.00 of $1,000.00 paid, $500.00 still owed" while an approved claim is partly paid, or empty. */
export function partlyPaidLine(texts: Texts, claim: Claim): string {
  if (!isPartlyPaid(claim) || !claim.approvedAmount) return '';
  return texts.t('detail.partlyPaidLine', {
    paid: texts.money(money(paidOf(claim), claim.approvedAmount.currency)),
    approved: texts.money(claim.approvedAmount),
    owed: texts.money(owedOf(claim)),
  });
}
