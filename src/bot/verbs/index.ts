import { DEADLINE_VERBS } from './deadlines';
import { DOCUMENT_VERBS } from './documents';
import { DUPLICATE_VERBS } from './duplicates';
import { EDITING_VERBS } from './editing';
import { FUND_REQUEST_VERBS } from './fundRequests';
import type { VerbTable } from './input';
import { INSIGHTS_VERBS } from './insights';
import type { Verb } from './names';
import { NAVIGATION_VERBS } from './navigation';
import { PAYMENT_VERBS } from './payment';
import { POLICY_VERBS } from './policy';
import { REVIEW_VERBS } from './review';

/** One handler per card verb, by family; the table type makes a missing verb a compile error. */
export const VERB_HANDLERS: VerbTable<Verb> = {
  ...NAVIGATION_VERBS,
  ...EDITING_VERBS,
  ...DOCUMENT_VERBS,
  ...REVIEW_VERBS,
  ...PAYMENT_VERBS,
  ...FUND_REQUEST_VERBS,
  ...POLICY_VERBS,
  ...DEADLINE_VERBS,
  ...INSIGHTS_VERBS,
  ...DUPLICATE_VERBS,
};
