import {
  addComment,
  commentOnItem,
  editExplanation,
  removeDocument,
  addMetric,
  approve,
  dispute,
  editInformation,
  readClaimInformation,
  readMetric,
  reject,
  requestInformation,
  startReview,
  submit,
} from '../../domain/claim';
import { InputIssue, invalidInput } from '../../domain/errors';
import { parseAmount } from '../../domain/money';
import { LIMITS, readText } from '../../domain/text';
import { changeClaim, remainingFor, reviewersOf, showClaim, showHistory } from '../flows/claims';
import { completeUpload, startUpload } from '../flows/fileUpload';
import { addFund } from '../flows/funds';
import { newClaimForm, submitNewClaim } from '../flows/newClaim';
import { submittedNotice } from '../views/invoiceReading';
import { showOverview, showReviewQueue } from '../flows/overview';
import { requestUploadFromCard } from '../flows/uploadRequest';
import { CardData, VerbHandler, stringField } from '../handlers';
import type { Turn } from '../turn';
import type { Verb } from './names';
import { openDocument } from './openDocument';

/** A required free text from card data, or INVALID_INPUT naming the field. */
function requiredText(data: CardData, field: string, max: number): string {
  const issues: InputIssue[] = [];
  const text = readText(issues, field, data[field], max);
  if (issues.length) throw invalidInput(issues);
  return text;
}

function optionalText(data: CardData, field: string, max: number): string {
  const issues: InputIssue[] = [];
  const text = readText(issues, field, data[field], max, { required: false });
  if (issues.length) throw invalidInput(issues);
  return text;
}

const now = (turn: Turn): string => turn.now.toISOString();

/** One handler per card verb. The record type makes a missing or misspelled verb a compile error. */
export const VERB_HANDLERS: { readonly [V in Verb]: VerbHandler<V> } = {
  openClaim: { verb: 'openClaim', handle: (turn, data, s) => showClaim(turn, s, data.claim) },
  refreshClaim: {
    verb: 'refreshClaim',
    handle: (turn, data, s) => showClaim(turn, s, data.claim),
  },
  claimsPage: { verb: 'claimsPage', handle: (turn, data, s) => showOverview(turn, s, data.before) },
  reviewPage: {
    verb: 'reviewPage',
    handle: (turn, data, s) => showReviewQueue(turn, s, data.after),
  },
  newClaimForm: { verb: 'newClaimForm', handle: (turn, _data, s) => newClaimForm(turn, s) },
  createClaim: { verb: 'createClaim', handle: (turn, data, s) => submitNewClaim(turn, s, data) },
  history: {
    verb: 'history',
    handle: (turn, data, s) => showHistory(turn, s, data.claim, data.before),
  },
  requestUpload: {
    verb: 'requestUpload',
    handle: (turn, data, s) => requestUploadFromCard(turn, s, data),
  },
  addFund: { verb: 'addFund', handle: (turn, data, s) => addFund(turn, s, data) },
  addMetric: {
    verb: 'addMetric',
    handle: (turn, data, s) =>
      changeClaim(turn, s, data.claim, {
        apply: (claim, actor) =>
          addMetric(claim, actor, readMetric(data, turn.texts.locale), now(turn)),
      }),
  },
  editInformation: {
    verb: 'editInformation',
    handle: (turn, data, s) =>
      changeClaim(turn, s, data.claim, {
        apply: (claim, actor) =>
          editInformation(
            claim,
            actor,
            readClaimInformation(data, claim.amount.currency, turn.texts.locale),
            now(turn),
          ),
        success: () => ({ style: 'good', text: turn.texts.t('detail.saved'), items: [] }),
      }),
  },
  comment: {
    verb: 'comment',
    handle: (turn, data, s) =>
      changeClaim(turn, s, data.claim, {
        apply: (claim, actor) =>
          addComment(claim, actor, requiredText(data, 'comment', LIMITS.comment), now(turn)),
      }),
  },
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
  startUpload: { verb: 'startUpload', handle: (turn, data, s) => startUpload(turn, s, data) },
  startReplace: {
    verb: 'startReplace',
    handle: (turn, data, s) => startUpload(turn, s, data, true),
  },
  editExplanation: {
    verb: 'editExplanation',
    handle: (turn, data, s) =>
      changeClaim(turn, s, data.claim, {
        apply: (claim, actor) =>
          editExplanation(
            claim,
            actor,
            stringField(data, 'document') ?? '',
            optionalText(data, 'newExplanation', LIMITS.explanation),
            now(turn),
          ),
        success: () => ({ style: 'good', text: turn.texts.t('detail.saved'), items: [] }),
      }),
  },
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
  completeUpload: {
    verb: 'completeUpload',
    handle: (turn, data, s) => completeUpload(turn, s, data),
  },
  startReview: {
    verb: 'startReview',
    handle: (turn, data, s) =>
      changeClaim(turn, s, data.claim, {
        apply: (claim, actor) => startReview(claim, actor, now(turn)),
      }),
  },
  approve: {
    verb: 'approve',
    handle: (turn, data, s) =>
      changeClaim(turn, s, data.claim, {
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
      }),
  },
  reject: {
    verb: 'reject',
    handle: (turn, data, s) =>
      changeClaim(turn, s, data.claim, {
        apply: (claim, actor) =>
          reject(claim, actor, requiredText(data, 'reason', LIMITS.note), now(turn)),
      }),
  },
  requestInformation: {
    verb: 'requestInformation',
    handle: (turn, data, s) =>
      changeClaim(turn, s, data.claim, {
        apply: (claim, actor) => {
          const note = requiredText(data, 'note', LIMITS.note);
          const item = stringField(data, 'infoItem');
          const text = optionalText(data, 'infoFeedback', LIMITS.note);
          const feedback = item && text ? [{ documentId: item, text }] : [];
          return requestInformation(claim, actor, note, now(turn), feedback);
        },
      }),
  },
  commentOnItem: {
    verb: 'commentOnItem',
    handle: (turn, data, s) =>
      changeClaim(turn, s, data.claim, {
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
      }),
  },
  dispute: {
    verb: 'dispute',
    handle: (turn, data, s) =>
      changeClaim(turn, s, data.claim, {
        prepare: (claim) => reviewersOf(s, claim.tenantId),
        apply: (claim, actor, reviewers) =>
          dispute(claim, actor, requiredText(data, 'reason', LIMITS.note), reviewers, now(turn)),
      }),
  },
  openDocument,
};
