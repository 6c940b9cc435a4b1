import { addDays, isoDay } from '../domain/dates';
import { totalsFrom } from '../domain/fund';
import { fundEndNoticeId, newFundEndNotice } from '../domain/fundEndNotice';
import type { Recipient } from '../domain/notification';
import type { FundLedgerPort } from '../store/claims';
import type { FundEndNoticeRepository } from '../store/fundEndNotices';
import type { FundRepository } from '../store/funds';
import type { JobLeases } from '../store/jobLeases';

/** Incentives admins hear this many days before a fund's period ends how much of it is unspent. */
export const FUND_END_NOTICE_DAYS = 30;
/** The notice's lease outlives the period it is about: it is never taken again. */
const NOTICE_HELD_MS = 2 * 366 * 86_400_000;
/**
 * The one owner every instance takes a fund's notice lease as: any instance may queue the notice
 * (queueing is once by the notice's id); a lease held by another owner was taken by a version of
 * the app that sent the notice itself, so the notice went out already.
 */
const QUEUING = 'queued-in-outbox';

export interface FundPeriodEndsOptions {
  readonly funds: FundRepository;
  readonly ledger: FundLedgerPort;
  /** The tenant's Incentives and global admins, stored and configured (BOOTSTRAP_ADMINS). */
  readonly admins: (tenantId: string) => Promise<Recipient[]>;
  readonly leases: JobLeases;
  readonly notices: FundEndNoticeRepository;
  /** Starts the outbox engine's delivery of a queued notice. */
  readonly deliver: (tenantId: string, number: string) => void;
}

/**
 * Funds whose period ends within 30 days: their tenant's Incentives and global admins are told what
 * is left unspent, once per fund. The notice and its outbox are stored once (its id is the fund's),
 * then the one outbox engine delivers it: leased per admin, retried with backoff and Retry-After,
 * and found by the sweep if this instance dies before sending it.
 */
export class FundPeriodEnds {
  constructor(private readonly o: FundPeriodEndsOptions) {}

  async remind(now: Date): Promise<void> {
    const today = isoDay(now);
    for (const fund of await this.o.funds.endingBetween(
      today,
      addDays(today, FUND_END_NOTICE_DAYS),
    )) {
      const id = fundEndNoticeId(fund.id);
      if (await this.o.notices.get(fund.tenantId, id)) continue;
      const job = `fund-period-end:${fund.tenantId}:${fund.id}`;
      if (!(await this.o.leases.take(job, QUEUING, { now, forMs: NOTICE_HELD_MS }))) continue;
      const totals = totalsFrom(fund, await this.o.ledger.fundLedger(fund.tenantId));
      const admins = await this.o.admins(fund.tenantId);
      await this.o.notices.queue(newFundEndNotice(fund, totals, admins, now.toISOString()));
      this.o.deliver(fund.tenantId, id);
    }
  }
}
