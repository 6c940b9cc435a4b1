import type { Recipient } from '../domain/notification';
import { awayNow, redirected, remindOverdueReview } from '../domain/policy';
import type { Role } from '../domain/roles';
import { isoDay } from '../domain/dates';
import type { ClaimRepository } from '../store/claims';
import type { PolicyRepository } from '../store/policy';
import type { UserRepository } from '../store/users';

export interface ReviewDeadlinesOptions {
  readonly claims: ClaimRepository;
  readonly policy: PolicyRepository;
  readonly users: UserRepository;
  readonly deliver: (tenantId: string, number: string) => void;
}

/**
 * Claims waiting longer than their tenant's Review within: a reminder to the reviewers, then to the
 * Incentives admins, at most one a day per claim. It runs with the upload reminders, where the
 * sweep's job lease is held (one instance at a time); the claim's update is idempotent per day, so
 * a second run the same day, on any instance, queues nothing.
 */
export class ReviewDeadlines {
  constructor(private readonly o: ReviewDeadlinesOptions) {}

  async remind(now: Date): Promise<void> {
    const byTenant = new Map<string, string[]>();
    for (const k of await this.o.claims.waitingForReview()) {
      byTenant.set(k.tenantId, [...(byTenant.get(k.tenantId) ?? []), k.number]);
    }
    for (const [tenantId, numbers] of byTenant) {
      const { policy } = await this.o.policy.get(tenantId);
      const away = awayNow({ policy, changes: [] }, now);
      const people = async (...roles: Role[]): Promise<Recipient[]> => {
        const holders = (
          await Promise.all(roles.map((r) => this.o.users.withRole(tenantId, r)))
        ).flat();
        const recipients = holders.map((u) => ({
          id: u.id,
          name: u.name,
          ...(u.channelUserId ? { channelUserId: u.channelUserId } : {}),
        }));
        return redirected(recipients, away);
      };
      const to = { reviewers: await people('reviewer'), admins: await people('incentivesAdmin') };
      for (const number of numbers) {
        const saved = await this.o.claims.update(
          tenantId,
          number,
          `review-deadline:${isoDay(now)}`,
          (c) => remindOverdueReview(c, now.toISOString(), policy, to),
        );
        if (saved.outbox.some((n) => n.state === 'pending')) this.o.deliver(tenantId, number);
      }
    }
  }
}
