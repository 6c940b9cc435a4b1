import type { FundEndNotice } from '../../domain/fundEndNotice';
import { AppError } from '../../domain/errors';
import { isOpen } from '../../domain/notification';
import type { FundEndNoticeKey, FundEndNoticeRepository } from '../fundEndNotices';
import { stored } from './stored';

/** Fund-end notices in this process's memory: the twin of CosmosFundEndNoticeRepository. */
export class MemoryFundEndNoticeRepository implements FundEndNoticeRepository {
  private readonly docs = new Map<string, { notice: FundEndNotice; applied: Set<string> }>();

  async queue(notice: FundEndNotice): Promise<FundEndNotice> {
    const key = `${notice.tenantId}|${notice.number}`;
    const kept = this.docs.get(key);
    if (kept) return stored(kept.notice);
    this.docs.set(key, { notice: stored(notice), applied: new Set() });
    return stored(notice);
  }

  async get(tenantId: string, number: string): Promise<FundEndNotice | undefined> {
    const kept = this.docs.get(`${tenantId}|${number}`);
    return kept && stored(kept.notice);
  }

  async update(
    tenantId: string,
    number: string,
    key: string,
    change: (notice: FundEndNotice) => FundEndNotice,
  ): Promise<FundEndNotice> {
    const kept = this.docs.get(`${tenantId}|${number}`);
    if (!kept) throw new AppError('FUND_NOT_FOUND', { notice: number });
    if (kept.applied.has(key)) return stored(kept.notice);
    const next = change(stored(kept.notice));
    kept.notice = stored(next);
    kept.applied.add(key);
    return stored(next);
  }

  async withOpenWork(): Promise<FundEndNoticeKey[]> {
    return [...this.docs.values()]
      .map((k) => k.notice)
      .filter((n) => n.outbox.some(isOpen))
      .map(({ tenantId, number }) => ({ tenantId, number }));
  }

  async awaitingFor(tenantId: string, userId: string): Promise<FundEndNoticeKey[]> {
    return [...this.docs.values()]
      .map((k) => k.notice)
      .filter(
        (n) =>
          n.tenantId === tenantId &&
          n.outbox.some((x) => x.to.id === userId && x.state === 'awaitingInstall'),
      )
      .map(({ tenantId: t, number }) => ({ tenantId: t, number }));
  }
}
