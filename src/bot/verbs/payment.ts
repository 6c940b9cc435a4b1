import { recordPayment } from '../../domain/claim';
import { claimVerb } from './claimVerb';
import { VerbTable, now } from './input';

/** After the decision: an Incentives admin records each payment of the approved money. */
export const verbs: VerbTable<'recordPayment'> = {
  recordPayment: claimVerb('recordPayment', (turn, data) => ({
    apply: (claim, actor) =>
      recordPayment(
        claim,
        actor,
        {
          method: data.paymentMethod,
          amount: data.amountPaid,
          date: data.paymentDate,
          reference: data.paymentReference,
        },
        turn.texts.locale,
        now(turn),
      ),
    success: () => ({ style: 'good', text: turn.texts.t('detail.paymentRecorded'), items: [] }),
  })),
};
