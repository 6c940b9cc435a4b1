import { showInsights } from '../flows/insights';
import type { VerbTable } from './input';

/** The filters and pages of `insights` (issue 33): they only read, and every figure is rechecked. */
export const verbs: VerbTable<'insightsPage'> = {
  insightsPage: { verb: 'insightsPage', handle: (turn, data, s) => showInsights(turn, s, data) },
};
