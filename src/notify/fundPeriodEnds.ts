import { randomUUID } from 'node:crypto';
import { addDays, isoDay } from '../domain/dates';
import { Fund, FundTotals, totalsFrom } from '../domain/fund';
import type { Recipient } from '../domain/notification';
import type { FundLedgerPort } from '../store/claims';
import type { FundRepository } from '../store/funds';
import type { JobLeases } from '../store/jobLeases';
import type { UserRepository } from '../store/users';

/** Incentives admins hear this many days before a fund's period ends how much of it is unspent. */
export const FUND_END_NOTICE_DAYS = 30;
/** The notice's lease outlives the period it is about: it is never taken again. */
const NOTICE_HELD_MS = 2 * 366 * 86_400_000;

export interface FundPeriodEndsOptions {
  readonly funds: FundRepository;
  readonly ledger: FundLedgerPort;
  readonly users: UserRepository;
  readonly leases: JobLeases;
  /** Sends the notice to one admin's 1:1 chat, in their language. */
  readonly send: (to: Recipient, fund: Fund, totals: FundTotals) => Promise<boolean>;
}

/**
 * Funds whose period ends within 30 days: their tenant's Incentives and global admins are told what
 * is left unspent, once per fund. Once is a job lease of the fund's own taken by a fresh owner: the
 * first instance to take it sends, and every later try (on any instance) finds it held.
 */
export class FundPeriodEnds {
  constructor(private readonly o: FundPeriodEndsOptions) {}

  async remind(now: Date): Promise<void> {
    const today = isoDay(now);
    for (const fund of await this.o.funds.endingBetween(
      today,
      addDays(today, FUND_END_NOTICE_DAYS),
    )) {
      const job = `fund-period-end:${fund.tenantId}:${fund.id}`;
      if (!(await this.o.leases.take(job, randomUUID(), { now, forMs: NOTICE_HELD_MS }))) continue;
      const totals = totalsFrom(fund, await this.o.ledger.fundLedger(fund.tenantId));
      const holders = (
        await Promise.all(
          (['incentivesAdmin', 'globalAdmin'] as const).map((r) =>
            this.o.users.withRole(fund.tenantId, r),
          ),
        )
      ).flat();
      const admins = holders.filter((u, i) => holders.findIndex((x) => x.id === u.id) === i);
      await Promise.all(
        admins.map((u) =>
          this.o.send(
            {
              id: u.id,
              name: u.name,
              ...(u.channelUserId ? { channelUserId: u.channelUserId } : {}),
            },
            fund,
            totals,
          ),
        ),
      );
    }
  }
}
