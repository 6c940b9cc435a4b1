import { remindSubmitDeadline } from '../domain/claim';
import { isoDay } from '../domain/dates';
import type { ClaimRepository } from '../store/claims';
import type { FundRepository } from '../store/funds';

export interface SubmitDeadlinesOptions {
  readonly claims: ClaimRepository;
  readonly funds: FundRepository;
  readonly deliver: (tenantId: string, number: string) => void;
}

/**
 * Claims waiting for their owner to submit them: the owner is reminded 14, 7 and 1 days before the
 * submit deadline. It runs with the other reminders, where the sweep's job lease is held (one
 * instance at a time); each reminder is marked in the claim's own write (ETag-checked), so a second
 * run, on any instance, queues nothing more.
 */
export class SubmitDeadlines {
  constructor(private readonly o: SubmitDeadlinesOptions) {}

  async remind(now: Date): Promise<void> {
    const at = now.toISOString();
    for (const k of await this.o.claims.awaitingSubmit()) {
      const claim = await this.o.claims.get(k.tenantId, k.number);
      if (!claim) continue;
      const fund = await this.o.funds.get(k.tenantId, claim.fundId);
      // Most days nothing is due: no write then.
      if (remindSubmitDeadline(claim, fund, at) === claim) continue;
      const saved = await this.o.claims.update(
        k.tenantId,
        k.number,
        `submit-deadline:${isoDay(now)}`,
        (c) => remindSubmitDeadline(c, fund, at),
      );
      if (saved.outbox.some((n) => n.state === 'pending')) this.o.deliver(k.tenantId, k.number);
    }
  }
}
