import { markNotDuplicate } from '../../domain/claim';
import { stringField } from '../handlers';
import { claimVerb } from './claimVerb';
import { VerbTable, now } from './input';

/** A reviewer marks a duplicate invoice flag "checked, not a duplicate" (history records it). */
export const verbs: VerbTable<'markNotDuplicate'> = {
  markNotDuplicate: claimVerb('markNotDuplicate', (turn, data) => {
    const key = stringField(data, 'invoiceKey') ?? '';
    return {
      apply: (claim, actor) => markNotDuplicate(claim, actor, key, now(turn)),
      success: () => ({ style: 'good', text: turn.texts.t('detail.duplicateMarked'), items: [] }),
    };
  }),
};
