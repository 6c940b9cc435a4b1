/** Every Action.Execute verb the cards use; the handler table must cover exactly these. */
export const VERBS = [
  'openClaim',
  'refreshClaim',
  'claimsPage',
  'newClaimForm',
  'createClaim',
  'addMetric',
  'editInformation',
  'comment',
  'history',
  'submit',
  'startUpload',
  'completeUpload',
  'addFund',
  'startReview',
  'approve',
  'reject',
  'requestInformation',
  'commentOnItem',
  'dispute',
] as const;
export type Verb = (typeof VERBS)[number];
