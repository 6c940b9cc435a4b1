import type { Fund } from '../../domain/fund';
import { AppError } from '../../domain/errors';
import type { FundRepository } from '../funds';
import { stored } from './stored';

/** Funds in this process's memory: the twin of CosmosFundRepository, for fast tests. */
export class MemoryFundRepository implements FundRepository {
  private readonly funds = new Map<string, Fund>();

  async create(fund: Fund): Promise<Fund> {
    const key = `${fund.tenantId}|${fund.id}`;
    const first = this.funds.get(key) ?? stored(fund);
    this.funds.set(key, first);
    return stored(first);
  }

  async get(tenantId: string, id: string): Promise<Fund | undefined> {
    const fund = this.funds.get(`${tenantId}|${id}`);
    return fund && stored(fund);
  }

  async update(tenantId: string, id: string, change: (fund: Fund) => Fund): Promise<Fund> {
    const key = `${tenantId}|${id}`;
    const current = this.funds.get(key);
    if (!current) throw new AppError('FUND_NOT_FOUND');
    const next = stored(change(stored(current)));
    this.funds.set(key, next);
    return stored(next);
  }

  async endingBetween(from: string, to: string): Promise<Fund[]> {
    return [...this.funds.values()]
      .filter((f) => f.periodEnd >= from && f.periodEnd <= to)
      .map(stored);
  }

  /** This twin keeps no list apart from the funds themselves: nothing to forget. */
  forgetList(): void {}

  async list(tenantId: string): Promise<Fund[]> {
    return [...this.funds.values()]
      .filter((f) => f.tenantId === tenantId)
      .sort((a, b) => (a.periodStart < b.periodStart ? 1 : a.periodStart > b.periodStart ? -1 : 0))
      .map(stored);
  }
}
