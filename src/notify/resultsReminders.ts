import { remindResults } from '../domain/claim';
import { isoDay } from '../domain/dates';
import type { ClaimRepository } from '../store/claims';

/**
 * Asks owners for results RESULTS_REMINDER_DAYS after their activity's end (issue 33), once per claim:
 * it runs with the upload reminders where the sweep's job lease is held, and the claim's update has
 * one activity id, so a second run on any instance queues nothing.
 */
export async function remindResultsDue(
  claims: ClaimRepository,
  now: Date,
  deliver: (tenantId: string, number: string) => void,
): Promise<void> {
  for (const k of await claims.withResultsDueBy(isoDay(now))) {
    const saved = await claims.update(k.tenantId, k.number, 'results-reminder', (c) =>
      remindResults(c, now.toISOString()),
    );
    if (saved.outbox.some((n) => n.kind === 'resultsDue' && n.state === 'pending')) {
      deliver(k.tenantId, k.number);
    }
  }
}
