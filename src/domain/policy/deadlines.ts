import type { Claim } from '../claim/model';
import { SYSTEM } from '../claim/change';
import { Recipient, newNotification, trimOutbox } from '../notification';
import type { ClaimStatus } from '../status';
import { addDays } from '../dates';
import type { TenantPolicy } from './model';

/** Claims waiting for a reviewer, measured from their (last) submit. */
export const WAITING_STATUSES: readonly ClaimStatus[] = ['submitted', 'underReview'];

/** Monday to Friday days after `fromDay` up to and including `toDay` (`YYYY-MM-DD`). */
export function businessDaysBetween(fromDay: string, toDay: string): number {
  let days = 0;
  for (let d = addDays(fromDay, 1); d <= toDay; d = addDays(d, 1)) {
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days++;
  }
  return days;
}

/** Business days a claim has waited for its review, or undefined when it is not waiting. */
export function waitedDays(claim: Claim, now: Date): number | undefined {
  if (!WAITING_STATUSES.includes(claim.status) || !claim.submittedAt) return undefined;
  return businessDaysBetween(claim.submittedAt.slice(0, 10), now.toISOString().slice(0, 10));
}

/**
 * Past Review within: a reminder to the reviewers, then, each later day it still waits, to the
 * Incentives admins (escalation); at most one a day per claim, counted per submit.
 */
export function remindOverdueReview(
  claim: Claim,
  now: string,
  policy: TenantPolicy,
  to: { readonly reviewers: readonly Recipient[]; readonly admins: readonly Recipient[] },
): Claim {
  const days = waitedDays(claim, new Date(now));
  if (days === undefined || days <= policy.reviewWithinDays) return claim;
  const today = now.slice(0, 10);
  const earlier =
    claim.reviewReminded?.submittedAt === claim.submittedAt ? claim.reviewReminded : undefined;
  if (earlier?.on === today) return claim;
  const count = (earlier?.count ?? 0) + 1;
  const kind = count === 1 ? 'reviewOverdue' : 'reviewEscalated';
  const recipients = count === 1 ? to.reviewers : to.admins;
  const queued = recipients.map((r) =>
    newNotification({
      id: `${claim.number}-${kind}-${today}-${r.id}`,
      kind,
      to: r,
      from: SYSTEM,
      now,
      details: { claim: claim.number, days: String(days) },
    }),
  );
  return {
    ...claim,
    reviewReminded: { submittedAt: claim.submittedAt ?? '', on: today, count },
    outbox: trimOutbox([...claim.outbox, ...queued]),
  };
}
