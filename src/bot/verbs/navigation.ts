import { openClaim, showClaim, showHistory } from '../flows/claims';
import { addFund } from '../flows/funds';
import { showNextClaim } from '../flows/nextClaim';
import { newClaimForm, submitNewClaim } from '../flows/newClaim';
import { showOverview, showReviewQueue } from '../flows/overview';
import type { VerbTable } from './input';

/** Cards that show something (a claim, a list, a form) and the forms that create a claim or fund. */
export const verbs: VerbTable<
  | 'openClaim'
  | 'refreshClaim'
  | 'claimsPage'
  | 'reviewPage'
  | 'nextClaim'
  | 'history'
  | 'newClaimForm'
  | 'createClaim'
  | 'addFund'
> = {
  openClaim: { verb: 'openClaim', handle: (turn, data, s) => openClaim(turn, s, data.claim) },
  refreshClaim: {
    verb: 'refreshClaim',
    handle: (turn, data, s) => showClaim(turn, s, data.claim),
  },
  claimsPage: { verb: 'claimsPage', handle: (turn, data, s) => showOverview(turn, s, data.before) },
  reviewPage: {
    verb: 'reviewPage',
    handle: (turn, data, s) => showReviewQueue(turn, s, data),
  },
  nextClaim: {
    verb: 'nextClaim',
    handle: (turn, data, s) => showNextClaim(turn, s, data.claim),
  },
  history: {
    verb: 'history',
    handle: (turn, data, s) => showHistory(turn, s, data.claim, data.before),
  },
  newClaimForm: { verb: 'newClaimForm', handle: (turn, _data, s) => newClaimForm(turn, s) },
  createClaim: { verb: 'createClaim', handle: (turn, data, s) => submitNewClaim(turn, s, data) },
  addFund: { verb: 'addFund', handle: (turn, data, s) => addFund(turn, s, data) },
};
