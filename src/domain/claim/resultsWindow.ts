import { addDays } from '../dates';
import { DECIDED_STATUSES } from '../status';
import type { Claim } from './model';

/** After the decision, the owner and Incentives admins may still add or change results this long. */
export const RESULTS_OPEN_DAYS = 90;

/** The day of the claim's last decision (Approve or Reject), kept since issue 33; else its last change. */
export const decidedOn = (claim: Claim): string | undefined =>
  DECIDED_STATUSES.includes(claim.status)
    ? (claim.decidedAt ?? claim.updatedAt).slice(0, 10)
    : undefined;

/** Whether `now` is within RESULTS_OPEN_DAYS after the claim's decision (false while undecided). */
export function inResultsWindow(claim: Claim, now: string): boolean {
  const decided = decidedOn(claim);
  return decided !== undefined && now.slice(0, 10) <= addDays(decided, RESULTS_OPEN_DAYS);
}
