import { Container } from '@azure/cosmos';
import { BoundedMap } from '../domain/boundedMap';
import { Fund } from '../domain/fund';
import { CosmosDb, EtagConflict, queryAll, readDoc, writeDoc } from './cosmos';
import { StampedCache, TenantStamps } from './tenantStamps';

export interface FundRepository {
  /** Stores a new fund; the same id twice (a double click) keeps the first and returns it. */
  create(fund: Fund): Promise<Fund>;
  get(tenantId: string, id: string): Promise<Fund | undefined>;
  list(tenantId: string): Promise<Fund[]>;
  /** Funds, in every tenant, whose period ends from `from` to `to` (`YYYY-MM-DD`, both included). */
  endingBetween(from: string, to: string): Promise<Fund[]>;
  /** Drops the tenant's fund list this process keeps: funds were removed behind it (`reset demo`). */
  forgetList(tenantId: string): void;
}

type FundDoc = Fund & { readonly type: 'fund' };

/**
 * Funds never change once created, so a fund read once is kept for the process's life (every claim
 * card names its fund). The list is kept while the tenant's funds stamp stays (see TenantStamps): a
 * fund added on any instance bumps it once stored, and shows on every instance at once.
 */
export class CosmosFundRepository implements FundRepository {
  private readonly container: Container;
  private readonly stamps: TenantStamps;
  private readonly byId = new BoundedMap<Fund>(10_000);
  private readonly lists: StampedCache<Fund[]>;

  constructor(deps: { readonly db: CosmosDb; readonly stamps: TenantStamps }) {
    this.container = deps.db.container('funds');
    this.stamps = deps.stamps;
    this.lists = new StampedCache({ stamps: deps.stamps, kind: 'funds' });
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

  async get(tenantId: string, id: string): Promise<Fund | undefined> {
    const key = `${tenantId}|${id}`;
    const known = this.byId.get(key);
    if (known) return known;
    const found = await readDoc<FundDoc>(this.container, tenantId, id);
    if (!found) return undefined;
    const { type: _type, ...fund } = found.doc;
    this.byId.set(key, fund);
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
      const funds = docs.map(({ type: _type, ...fund }) => fund);
      for (const f of funds) this.byId.set(`${tenantId}|${f.id}`, f);
      return funds;
    });
  }
}
