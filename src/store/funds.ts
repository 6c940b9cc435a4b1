import { Container } from '@azure/cosmos';
import { AppError } from '../domain/errors';
import { Fund } from '../domain/fund';
import { CosmosDb, EtagConflict, queryAll, readDoc, updateDoc, writeDoc } from './cosmos';
import { StampedCache, TenantStamps } from './tenantStamps';

export interface FundRepository {
  /** Stores a new fund; the same id twice (a double click) keeps the first and returns it. */
  create(fund: Fund): Promise<Fund>;
  get(tenantId: string, id: string): Promise<Fund | undefined>;
  /**
   * Changes a fund (its money rules, `edit fund`) in one ETag-checked write; every instance reads
   * the change at its next turn. FUND_NOT_FOUND when there is no such fund.
   */
  update(tenantId: string, id: string, change: (fund: Fund) => Fund): Promise<Fund>;
  list(tenantId: string): Promise<Fund[]>;
  /** Funds, in every tenant, whose period ends from `from` to `to` (`YYYY-MM-DD`, both included). */
  endingBetween(from: string, to: string): Promise<Fund[]>;
  /** Drops the tenant's fund list this process keeps: funds were removed behind it (`reset demo`). */
  forgetList(tenantId: string): void;
}

type FundDoc = Fund & { readonly type: 'fund' };

/**
 * A fund read once, and the tenant's list, are kept while the tenant's funds stamp stays (see
 * TenantStamps; every claim card names its fund): a fund added or changed on any instance bumps it
 * once stored, and shows on every instance at once.
 */
export class CosmosFundRepository implements FundRepository {
  private readonly container: Container;
  private readonly stamps: TenantStamps;
  private readonly byId: StampedCache<Fund | undefined>;
  private readonly lists: StampedCache<Fund[]>;

  constructor(deps: { readonly db: CosmosDb; readonly stamps: TenantStamps }) {
    this.container = deps.db.container('funds');
    this.stamps = deps.stamps;
    this.lists = new StampedCache({ stamps: deps.stamps, kind: 'funds' });
    this.byId = new StampedCache({ stamps: deps.stamps, kind: 'funds' });
  }

  async create(fund: Fund): Promise<Fund> {
    try {
      await writeDoc<FundDoc>(this.container, { ...fund, type: 'fund' }, undefined);
      await this.stamps.bump(fund.tenantId, 'funds');
      return fund;
    } catch (e) {
      const twin = e instanceof EtagConflict ? await this.get(fund.tenantId, fund.id) : undefined;
      if (!twin) throw e;
      return twin;
    }
  }

  get(tenantId: string, id: string): Promise<Fund | undefined> {
    return this.byId.get(tenantId, `${tenantId}|${id}`, async () => {
      const found = await readDoc<FundDoc>(this.container, tenantId, id);
      if (found?.doc.type !== 'fund') return undefined;
      const { type: _type, ...fund } = found.doc;
      return fund;
    });
  }

  async update(tenantId: string, id: string, change: (fund: Fund) => Fund): Promise<Fund> {
    let unchanged: Fund | undefined;
    const saved = await updateDoc<FundDoc>(this.container, tenantId, id, (doc) => {
      if (doc?.type !== 'fund') throw new AppError('FUND_NOT_FOUND');
      const { type: _type, ...current } = doc;
      const next = change(current);
      if (next === current) unchanged = current;
      return next === current ? undefined : { ...next, type: 'fund' };
    });
    if (unchanged) return unchanged;
    if (!saved) throw new AppError('FUND_NOT_FOUND');
    await this.stamps.bump(tenantId, 'funds');
    const { type: _type, ...fund } = saved;
    return fund;
  }

  forgetList(tenantId: string): void {
    this.lists.forget(tenantId);
  }

  async endingBetween(from: string, to: string): Promise<Fund[]> {
    const docs = await queryAll<FundDoc>(
      this.container,
      "SELECT * FROM c WHERE c.type = 'fund' AND c.periodEnd >= @from AND c.periodEnd <= @to",
      [
        { name: '@from', value: from },
        { name: '@to', value: to },
      ],
    );
    return docs.map(({ type: _type, ...fund }) => fund);
  }

  async list(tenantId: string): Promise<Fund[]> {
    return this.lists.get(tenantId, tenantId, async () => {
      const docs = await queryAll<FundDoc>(
        this.container,
        'SELECT * FROM c WHERE c.tenantId = @t ORDER BY c.periodStart DESC',
        [{ name: '@t', value: tenantId }],
      );
      return docs.map(({ type: _type, ...fund }) => fund);
    });
  }
}
