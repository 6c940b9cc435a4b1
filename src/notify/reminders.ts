import { REMIND_DAYS_BEFORE_DUE, remindOpenRequests } from '../domain/claim';
import { addDays, isoDay } from '../domain/dates';
import type { ClaimRepository } from '../store/claims';
import type { FundRepository } from '../store/funds';
import type { PolicyRepository } from '../store/policy';
import type { UserRepository } from '../store/users';
import { FundPeriodEnds, FundPeriodEndsOptions } from './fundPeriodEnds';
import { remindResultsDue } from './resultsReminders';
import { ReviewDeadlines } from './reviewDeadlines';
import { SubmitDeadlines } from './submitDeadlines';

export interface RemindersOptions {
  readonly claims: ClaimRepository;
  readonly clock: () => Date;
  /** Starts delivery of a claim's queued notifications. */
  readonly deliver: (tenantId: string, number: string) => void;
  /** Review deadlines (issue 31): the tenants' policies and who to remind. */
  readonly reviews?: { readonly policy: PolicyRepository; readonly users: UserRepository };
  /** Submit deadlines (issue 32): the funds whose periods bound them. */
  readonly deadlines?: { readonly funds: FundRepository };
  /** Funds' period ends (issue 32): the admins told what is unspent, 30 days before. */
  readonly fundEnds?: FundPeriodEndsOptions;
}

/**
 * Upload reminders, results reminders (resultsReminders.ts), then review and submit deadlines: today's reminder for each open request due within a day or overdue. The
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
    await remindResultsDue(this.o.claims, now, this.o.deliver);
    if (this.o.reviews) await new ReviewDeadlines({ ...this.o, ...this.o.reviews }).remind(now);
    if (this.o.deadlines) {
      await new SubmitDeadlines({ ...this.o, ...this.o.deadlines }).remind(now);
    }
    if (this.o.fundEnds) await new FundPeriodEnds(this.o.fundEnds).remind(now);
  }
}
