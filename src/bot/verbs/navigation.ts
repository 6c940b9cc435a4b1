import { openClaim, showClaim } from '../flows/claimCards';
import { showHistory } from '../flows/claimHistory';
import { showNextClaim } from '../flows/nextClaim';
import { newClaimForm } from '../flows/newClaim';
import { showOverview, showReviewQueue } from '../flows/overview';
import type { VerbTable } from './input';

/** Cards that only show something: a claim, its history, a list, the next claim, the New claim form. */
export const verbs: VerbTable<
  | 'openClaim'
  | 'refreshClaim'
  | 'claimsPage'
  | 'reviewPage'
  | 'nextClaim'
  | 'history'
  | 'newClaimForm'
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
};
