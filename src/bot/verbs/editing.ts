import {
  addComment,
  addMetric,
  editExplanation,
  editInformation,
  readClaimInformation,
  readExchangeRate,
  readMetric,
  removeDocument,
  setExchangeRate,
} from '../../domain/claim';
import { LIMITS } from '../../domain/text';
import { changeClaim } from '../flows/claimChange';
import { stringField } from '../handlers';
import { claimVerb } from './claimVerb';
import { VerbTable, now, optionalText, requiredText } from './input';

/** Changes the owner and contributors make while a claim is editable, and comments. */
export const verbs: VerbTable<
  'addMetric' | 'editInformation' | 'comment' | 'editExplanation' | 'removeDocument'
> = {
  addMetric: claimVerb('addMetric', (turn, data) => ({
    apply: (claim, actor) => {
      const label = (kind: string) => turn.texts.tDynamic(`metricKind.${kind}`);
      const metric = readMetric(data, turn.texts.locale, claim.amount.currency, label);
      return addMetric(claim, actor, metric, now(turn));
    },
  })),
  editInformation: claimVerb('editInformation', (turn, data, s) => ({
    prepare: (claim) => s.funds.get(claim.tenantId, claim.fundId),
    apply: (claim, actor, fund) => {
      const edited = editInformation(
        claim,
        actor,
        readClaimInformation(data, claim.amount.currency, turn.texts.locale),
        now(turn),
        fund,
      );
      // The exchange rate rides on the same form and the same write.
      const rate = readExchangeRate(data.exchangeRate, turn.texts.locale);
      return rate === undefined ? edited : setExchangeRate(edited, actor, rate, now(turn));
    },
    success: () => ({ style: 'good', text: turn.texts.t('detail.saved'), items: [] }),
  })),
  comment: claimVerb('comment', (turn, data) => ({
    apply: (claim, actor) =>
      addComment(claim, actor, requiredText(data, 'comment', LIMITS.comment), now(turn)),
  })),
  editExplanation: claimVerb('editExplanation', (turn, data) => ({
    apply: (claim, actor) =>
      editExplanation(
        claim,
        actor,
        stringField(data, 'document') ?? '',
        optionalText(data, 'newExplanation', LIMITS.explanation),
        now(turn),
      ),
    success: () => ({ style: 'good', text: turn.texts.t('detail.saved'), items: [] }),
  })),
  removeDocument: {
    verb: 'removeDocument',
    handle: async (turn, data, s) => {
      const id = stringField(data, 'document') ?? '';
      let candidate: { blobName: string; fileName: string } | undefined;
      let removed: typeof candidate;
      const reply = await changeClaim(turn, s, data.claim, {
        apply: (claim, actor) => {
          candidate = claim.documents.find((d) => d.id === id);
          return removeDocument(claim, actor, id, now(turn));
        },
        // Called only once the write succeeded.
        success: () => {
          removed = candidate;
          return {
            style: 'good',
            text: turn.texts.t('detail.removed', { file: candidate?.fileName ?? '' }),
            items: [],
          };
        },
      });
      // The record is gone first; a crash before this delete leaves an orphan the sweep removes.
      if (removed) await s.files.delete(removed.blobName);
      return reply;
    },
  },
};
