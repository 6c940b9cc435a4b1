import { cancelUploadRequest } from '../../domain/claim';
import { showDocument, showDocuments } from '../flows/documents';
import { completeUpload, startUpload } from '../flows/fileUpload';
import { requestUploadFromCard } from '../flows/uploadRequest';
import { stringField } from '../handlers';
import { claimVerb } from './claimVerb';
import { VerbTable, now } from './input';

/** Files: sending one (or a replacement), asking a colleague for one, opening and listing them. */
export const verbs: VerbTable<
  | 'startUpload'
  | 'startReplace'
  | 'completeUpload'
  | 'requestUpload'
  | 'documentsPage'
  | 'documentDetails'
  | 'cancelUploadRequest'
> = {
  startUpload: { verb: 'startUpload', handle: (turn, data, s) => startUpload(turn, s, data) },
  startReplace: {
    verb: 'startReplace',
    handle: (turn, data, s) => startUpload(turn, s, data, true),
  },
  completeUpload: {
    verb: 'completeUpload',
    handle: (turn, data, s) => completeUpload(turn, s, data),
  },
  requestUpload: {
    verb: 'requestUpload',
    handle: (turn, data, s) => requestUploadFromCard(turn, s, data),
  },
  documentsPage: {
    verb: 'documentsPage',
    handle: (turn, data, s) => showDocuments(turn, s, { claim: data.claim, page: data.page }),
  },
  documentDetails: {
    verb: 'documentDetails',
    handle: (turn, data, s) =>
      showDocument(turn, s, {
        claim: data.claim,
        document: data.document,
        page: data.page,
        feedbackBefore: data.feedbackBefore,
      }),
  },
  cancelUploadRequest: claimVerb('cancelUploadRequest', (turn, data) => {
    const id = stringField(data, 'request') ?? '';
    return {
      apply: (claim, actor) => cancelUploadRequest(claim, actor, id, now(turn)),
      success: (claim) => ({
        style: 'good',
        text: turn.texts.t('detail.requestCancelled', {
          name: claim.uploadRequests.find((r) => r.id === id)?.to.name ?? '',
        }),
        items: [],
      }),
    };
  }),
};
