import {
  approve,
  commentOnItem,
  dispute,
  reject,
  requestInformation,
  startReview,
  submit,
} from '../../domain/claim';
import { invalidInput } from '../../domain/errors';
import { parseAmount } from '../../domain/money';
import { LIMITS } from '../../domain/text';
import { changeClaim, remainingFor, reviewersOf } from '../flows/claims';
import { stringField } from '../handlers';
import { submittedNotice } from '../views/invoiceReading';
import { claimVerb } from './claimVerb';
import { VerbTable, now, optionalText, requiredText } from './input';

/** The review loop: submit, the reviewer's steps and decisions, and a dispute of a decision. */
export const REVIEW_VERBS: VerbTable<
  | 'submit'
  | 'startReview'
  | 'approve'
  | 'reject'
  | 'requestInformation'
  | 'commentOnItem'
  | 'dispute'
> = {
  submit: {
    verb: 'submit',
    handle: (turn, data, s) => {
      // The tenant's fund sums do not depend on the claim: they are read alongside it.
      const ledger = s.claims.fundLedger(turn.tenantId);
      ledger.catch(() => undefined);
      return changeClaim(turn, s, data.claim, {
        prepare: async (claim) => {
          const [remaining, reviewers] = await Promise.all([
            ledger.then((l) => remainingFor(s, claim, l)),
            reviewersOf(s, claim.tenantId),
          ]);
          return { remaining, reviewers };
        },
        apply: (claim, actor, context) => submit(claim, actor, context, now(turn)),
        success: (claim) => submittedNotice(turn.texts, claim),
      });
    },
  },
  startReview: claimVerb('startReview', (turn) => ({
    apply: (claim, actor) => startReview(claim, actor, now(turn)),
  })),
  approve: claimVerb('approve', (turn, data) => ({
    apply: (claim, actor) =>
      approve(
        claim,
        actor,
        parseAmount(
          stringField(data, 'approvedAmount') ?? '',
          turn.texts.locale,
          claim.amount.currency,
          'approvedAmount',
        ),
        optionalText(data, 'approveNote', LIMITS.note),
        now(turn),
      ),
  })),
  reject: claimVerb('reject', (turn, data) => ({
    apply: (claim, actor) =>
      reject(claim, actor, requiredText(data, 'reason', LIMITS.note), now(turn)),
  })),
  requestInformation: claimVerb('requestInformation', (turn, data) => ({
    apply: (claim, actor) => {
      const note = requiredText(data, 'note', LIMITS.note);
      const item = stringField(data, 'infoItem');
      const text = optionalText(data, 'infoFeedback', LIMITS.note);
      // Feedback is about one document: without it the feedback would be lost, so it is refused.
      if (text && !item) throw invalidInput([{ field: 'item', problem: 'feedbackNeedsDocument' }]);
      const feedback = item && text ? [{ documentId: item, text }] : [];
      return requestInformation(claim, actor, note, now(turn), feedback);
    },
  })),
  commentOnItem: claimVerb('commentOnItem', (turn, data) => ({
    apply: (claim, actor) =>
      commentOnItem(
        claim,
        actor,
        {
          documentId: stringField(data, 'item') ?? '',
          text: requiredText(data, 'feedback', LIMITS.note),
        },
        now(turn),
      ),
  })),
  dispute: claimVerb('dispute', (turn, data, s) => ({
    prepare: (claim) => reviewersOf(s, claim.tenantId),
    apply: (claim, actor, reviewers) =>
      dispute(claim, actor, requiredText(data, 'reason', LIMITS.note), reviewers, now(turn)),
  })),
};
