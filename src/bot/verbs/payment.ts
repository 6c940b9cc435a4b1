import { recordPayment } from '../../domain/claim';
import { claimVerb } from './claimVerb';
import { VerbTable, now } from './input';

/** After the decision: an Incentives admin records that the approved money went out. */
export const PAYMENT_VERBS: VerbTable<'recordPayment'> = {
  recordPayment: claimVerb('recordPayment', (turn, data) => ({
    apply: (claim, actor) =>
      recordPayment(
        claim,
        actor,
        { date: data.paymentDate, reference: data.paymentReference },
        now(turn),
      ),
    success: () => ({ style: 'good', text: turn.texts.t('detail.paymentRecorded'), items: [] }),
  })),
};
