import { Container } from '@azure/cosmos';
import { Fund } from '../domain/fund';
import { CosmosDb, EtagConflict, queryAll, readDoc, writeDoc } from './cosmos';

export interface FundRepository {
  /** Stores a new fund; the same id twice (a double click) keeps the first and returns it. */
  create(fund: Fund): Promise<Fund>;
  get(tenantId: string, id: string): Promise<Fund | undefined>;
  list(tenantId: string): Promise<Fund[]>;
}

type FundDoc = Fund & { readonly type: 'fund' };

export class CosmosFundRepository implements FundRepository {
  private readonly container: Container;

  constructor(db: CosmosDb) {
    this.container = db.container('funds');
  }

  async create(fund: Fund): Promise<Fund> {
    try {
      await writeDoc<FundDoc>(this.container, { ...fund, type: 'fund' }, undefined);
      return fund;
    } catch (e) {
      const twin = e instanceof EtagConflict ? await this.get(fund.tenantId, fund.id) : undefined;
      if (!twin) throw e;
      return twin;
    }
  }

  async get(tenantId: string, id: string): Promise<Fund | undefined> {
    const found = await readDoc<FundDoc>(this.container, tenantId, id);
    if (!found) return undefined;
    const { type: _type, ...fund } = found.doc;
    return fund;
  }

  async list(tenantId: string): Promise<Fund[]> {
    const docs = await queryAll<FundDoc>(
      this.container,
      'SELECT * FROM c WHERE c.tenantId = @t ORDER BY c.periodStart DESC',
      [{ name: '@t', value: tenantId }],
    );
    return docs.map(({ type: _type, ...fund }) => fund);
  }
}
