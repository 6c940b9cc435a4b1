import { completeUpload, startUpload } from '../flows/fileUpload';
import { requestUploadFromCard } from '../flows/uploadRequest';
import type { VerbTable } from './input';
import { openDocument } from './openDocument';

/** Files: sending one (or a replacement), asking a colleague for one, opening one from a shared chat. */
export const DOCUMENT_VERBS: VerbTable<
  'startUpload' | 'startReplace' | 'completeUpload' | 'requestUpload' | 'openDocument'
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
  openDocument,
};
