import {
  commentOnItem,
  dispute,
  reject,
  requestInformation,
  startReview,
  submit,
  submitDeadline,
} from '../../domain/claim';
import { invalidInput } from '../../domain/errors';
import { parseAmount } from '../../domain/money';
import { fundCurrencyOf } from '../../domain/reimbursement';
import { approveWithPolicy, endApprovalRound } from '../../domain/policy';
import { LIMITS } from '../../domain/text';
import { changeClaim } from '../flows/claimChange';
import { coverOf, reviewersOf } from '../flows/claimAccess';
import { remainingFor } from '../flows/claimCards';
import { stringField } from '../handlers';
import type { Services } from '../services';
import { submittedNotice } from '../views/invoiceReading';
import { claimVerb } from './claimVerb';
import { VerbTable, now, optionalText, requiredText } from './input';

/** The people of `people` the bot has a 1:1 chat with (it can tell them at once). */
async function withPersonalChat(
  s: Services,
  tenantId: string,
  people: readonly { id: string }[],
): Promise<Set<string>> {
  const chats = await Promise.all(people.map((p) => s.conversations.get(tenantId, p.id)));
  return new Set(people.filter((_, i) => chats[i]).map((p) => p.id));
}

/** The review loop: submit, the reviewer's steps and decisions, and a dispute of a decision. */
export const verbs: VerbTable<
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
      let withChat = new Set<string>();
      return changeClaim(turn, s, data.claim, {
        prepare: async (claim) => {
          const [remaining, reviewers, fund] = await Promise.all([
            ledger.then((l) => remainingFor(s, claim, l)),
            reviewersOf(s, claim.tenantId, turn.now),
            s.funds.get(claim.tenantId, claim.fundId),
          ]);
          withChat = await withPersonalChat(s, turn.tenantId, reviewers);
          return { remaining, reviewers, deadline: submitDeadline(claim, fund) };
        },
        apply: (claim, actor, context) => submit(claim, actor, context, now(turn)),
        success: (claim) => {
          const told = claim.outbox.filter(
            (n) => n.kind === 'submitted' && n.createdAt === now(turn),
          );
          // A chat is opened for a reviewer Teams knows, except in the local loop (TeamsSender).
          const opens = !s.config.localLoop;
          const reached = told.some((n) => withChat.has(n.to.id) || (opens && n.to.channelUserId));
          return submittedNotice(
            turn.texts,
            claim,
            !told.length ? 'none' : reached ? 'told' : 'later',
          );
        },
      });
    },
  },
  startReview: claimVerb('startReview', (turn) => ({
    apply: (claim, actor) => startReview(claim, actor, now(turn)),
  })),
  approve: {
    verb: 'approve',
    handle: async (turn, data, s) => {
      // The policy and the reviewers are kept per process while the tenant's roles stay: no read of
      // the claim is added to an Approve (its write starts from the version last seen, as before).
      const [{ policy }, reviewers] = await Promise.all([
        s.policy.get(turn.tenantId),
        reviewersOf(s, turn.tenantId, turn.now),
      ]);
      return changeClaim(turn, s, data.claim, {
        apply: (claim, actor) =>
          approveWithPolicy(
            claim,
            actor,
            // Approved amounts are in the fund's currency, as the reimbursable amount is.
            parseAmount(
              stringField(data, 'approvedAmount') ?? '',
              turn.texts.locale,
              fundCurrencyOf(claim),
              'approvedAmount',
            ),
            optionalText(data, 'approveNote', LIMITS.note),
            now(turn),
            { policy, reviewers },
            optionalText(data, 'approveReason', LIMITS.note),
          ),
      });
    },
  },
  reject: claimVerb('reject', (turn, data) => ({
    apply: (claim, actor) =>
      reject(
        endApprovalRound(claim, actor, now(turn)),
        actor,
        requiredText(data, 'reason', LIMITS.note),
        now(turn),
      ),
  })),
  requestInformation: claimVerb('requestInformation', (turn, data) => ({
    apply: (claim, actor) => {
      const note = requiredText(data, 'note', LIMITS.note);
      const item = stringField(data, 'infoItem');
      const text = optionalText(data, 'infoFeedback', LIMITS.note);
      // Feedback is about one document: without it the feedback would be lost, so it is refused.
      if (text && !item) throw invalidInput([{ field: 'item', problem: 'feedbackNeedsDocument' }]);
      const feedback = item && text ? [{ documentId: item, text }] : [];
      const ended = endApprovalRound(claim, actor, now(turn));
      return requestInformation(ended, actor, note, now(turn), feedback);
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
    prepare: (claim) =>
      Promise.all([reviewersOf(s, claim.tenantId, turn.now), coverOf(s, claim.tenantId, turn.now)]),
    apply: (claim, actor, [reviewers, cover]) =>
      dispute(claim, actor, requiredText(data, 'reason', LIMITS.note), reviewers, now(turn), cover),
  })),
};
