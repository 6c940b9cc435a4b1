import type { Claim } from '../../domain/claim';
import type { Texts } from '../../i18n/i18n';
import { literal } from './text';

/** "Mar 3, 2027, reference PAY-1" for a Paid claim, or empty. */
export const paidLine = (texts: Texts, claim: Claim): string =>
  claim.payment
    ? texts.t('detail.paidLine', {
        date: texts.date(claim.payment.date),
        reference: literal(claim.payment.reference),
      })
    : '';
