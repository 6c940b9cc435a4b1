import { REMIND_DAYS_BEFORE_DUE, remindOpenRequests } from '../domain/claim';
import { addDays, isoDay } from '../domain/dates';
import type { ClaimRepository } from '../store/claims';

export interface RemindersOptions {
  readonly claims: ClaimRepository;
  readonly clock: () => Date;
  /** Starts delivery of a claim's queued notifications. */
  readonly deliver: (tenantId: string, number: string) => void;
}

/**
 * Upload reminders: today's reminder for each open request due within a day or overdue. The
 * claim's update is idempotent per day, so instances that run this at the same time queue one.
 */
export class Reminders {
  constructor(private readonly o: RemindersOptions) {}

  async remind(): Promise<void> {
    const now = this.o.clock();
    const soon = addDays(isoDay(now), REMIND_DAYS_BEFORE_DUE);
    for (const k of await this.o.claims.withRequestsDueBy(soon)) {
      const saved = await this.o.claims.update(k.tenantId, k.number, `remind:${isoDay(now)}`, (c) =>
        remindOpenRequests(c, now.toISOString()),
      );
      if (saved.outbox.some((n) => n.state === 'pending')) this.o.deliver(k.tenantId, k.number);
    }
  }
}
