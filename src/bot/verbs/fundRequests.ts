import {
  claimFromRequest,
  decideFundRequest,
  newFundRequestForm,
  showFundRequest,
  submitFundRequest,
} from '../flows/fundRequests';
import type { VerbTable } from './input';

/** Pre-approval: the New fund request form, the request card and its decisions, Create claim. */
export const verbs: VerbTable<
  | 'newFundRequestForm'
  | 'createFundRequest'
  | 'openFundRequest'
  | 'approveRequest'
  | 'declineRequest'
  | 'claimFromRequest'
  | 'withdrawRequest'
> = {
  newFundRequestForm: {
    verb: 'newFundRequestForm',
    handle: (turn, _data, s) => newFundRequestForm(turn, s),
  },
  createFundRequest: {
    verb: 'createFundRequest',
    handle: (turn, data, s) => submitFundRequest(turn, s, data),
  },
  openFundRequest: {
    verb: 'openFundRequest',
    handle: (turn, data, s) => showFundRequest(turn, s, data.request),
  },
  approveRequest: {
    verb: 'approveRequest',
    handle: (turn, data, s) => decideFundRequest(turn, s, data, 'approve'),
  },
  declineRequest: {
    verb: 'declineRequest',
    handle: (turn, data, s) => decideFundRequest(turn, s, data, 'decline'),
  },
  withdrawRequest: {
    verb: 'withdrawRequest',
    handle: (turn, data, s) => decideFundRequest(turn, s, data, 'withdraw'),
  },
  claimFromRequest: {
    verb: 'claimFromRequest',
    handle: (turn, data, s) => claimFromRequest(turn, s, data),
  },
};
