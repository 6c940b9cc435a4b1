import type { Container } from '@azure/cosmos';
import { AppError } from '../domain/errors';
import type { FundEndNotice } from '../domain/fundEndNotice';
import { isOpen } from '../domain/notification';
import { CosmosDb, EtagConflict, queryAll, readDoc, updateDoc, writeDoc } from './cosmos';

/** A fund-end notice as the outbox sweep finds it. */
export interface FundEndNoticeKey {
  readonly tenantId: string;
  readonly number: string;
}

/**
 * Fund-end notices (issue 32) and their outboxes: queued once per fund, then delivered, retried and
 * settled by the one outbox engine (notify/outboxes.ts) like claims' and fund requests' notices.
 */
export interface FundEndNoticeRepository {
  /**
   * Stores the notice with its outbox, once: when one with its id is stored already (queued by
   * another instance, or before a crash), that one is kept and returned.
   */
  queue(notice: FundEndNotice): Promise<FundEndNotice>;
  get(tenantId: string, number: string): Promise<FundEndNotice | undefined>;
  /** Applies `change` in one conditional write; a key already applied changes nothing. */
  update(
    tenantId: string,
    number: string,
    key: string,
    change: (notice: FundEndNotice) => FundEndNotice,
  ): Promise<FundEndNotice>;
  /** Notices, in every tenant, with items still to deliver. */
  withOpenWork(): Promise<FundEndNoticeKey[]>;
  /** The tenant's notices with an item kept for `userId` until they write to the bot. */
  awaitingFor(tenantId: string, userId: string): Promise<FundEndNoticeKey[]>;
}

/** How many applied keys a notice remembers (each delivery attempt writes two or three). */
const REMEMBERED_KEYS = 40;

/** A notice as stored, in the tenant's partition of the claims container. */
interface FundEndNoticeDoc extends FundEndNotice {
  readonly type: 'fundEndNotice';
  /** Derived from the outbox, for the sweep. */
  readonly openOutbox: boolean;
  readonly applied: readonly string[];
}

const toDoc = (notice: FundEndNotice, applied: readonly string[]): FundEndNoticeDoc => ({
  ...notice,
  type: 'fundEndNotice',
  openOutbox: notice.outbox.some(isOpen),
  applied: applied.slice(-REMEMBERED_KEYS),
});

function toNotice(doc: FundEndNoticeDoc): FundEndNotice {
  const { type: _type, openOutbox: _open, applied: _applied, ...notice } = doc;
  return notice;
}

export class CosmosFundEndNoticeRepository implements FundEndNoticeRepository {
  private readonly container: Container;

  constructor(db: CosmosDb) {
    this.container = db.container('claims');
  }

  async queue(notice: FundEndNotice): Promise<FundEndNotice> {
    try {
      await writeDoc(this.container, toDoc(notice, []), undefined);
      return notice;
    } catch (e) {
      const queued =
        e instanceof EtagConflict ? await this.get(notice.tenantId, notice.id) : undefined;
      if (!queued) throw e;
      return queued;
    }
  }

  async get(tenantId: string, number: string): Promise<FundEndNotice | undefined> {
    const found = await readDoc<FundEndNoticeDoc>(this.container, tenantId, number);
    return found?.doc.type === 'fundEndNotice' ? toNotice(found.doc) : undefined;
  }

  async update(
    tenantId: string,
    number: string,
    key: string,
    change: (notice: FundEndNotice) => FundEndNotice,
  ): Promise<FundEndNotice> {
    const saved = await updateDoc<FundEndNoticeDoc>(this.container, tenantId, number, (doc) => {
      if (doc?.type !== 'fundEndNotice') throw new AppError('FUND_NOT_FOUND', { notice: number });
      if (doc.applied.includes(key)) return undefined;
      const current = toNotice(doc);
      const next = change(current);
      return next === current ? undefined : toDoc(next, [...doc.applied, key]);
    });
    if (!saved) throw new AppError('FUND_NOT_FOUND', { notice: number });
    return toNotice(saved);
  }

  withOpenWork(): Promise<FundEndNoticeKey[]> {
    return queryAll<FundEndNoticeKey>(
      this.container,
      "SELECT c.tenantId, c.number FROM c WHERE c.type = 'fundEndNotice' AND c.openOutbox = true",
      [],
    );
  }

  async awaitingFor(tenantId: string, userId: string): Promise<FundEndNoticeKey[]> {
    const rows = await queryAll<FundEndNoticeKey>(
      this.container,
      "SELECT c.tenantId, c.number FROM c JOIN n IN c.outbox WHERE c.tenantId = @t AND c.type = 'fundEndNotice' AND c.openOutbox = true AND n.to.id = @u AND n.state = 'awaitingInstall'",
      [
        { name: '@t', value: tenantId },
        { name: '@u', value: userId },
      ],
    );
    return [...new Map(rows.map((k) => [k.number, k])).values()];
  }
}
