import { Container } from '@azure/cosmos';
import { CosmosDb, queryAll } from '../cosmos';
import type { ClaimScope } from './port';
import { ClaimSummary, SUMMARY_FIELDS } from './summary';
import { QueryParameter, visibleTo } from './visibility';

export interface ClaimSearch {
  /**
   * The claims of `scope` whose number is `number` or whose title holds every one of `words`
   * (case-insensitive), newest first; no number and no words list them all.
   */
  search(tenantId: string, scope: ClaimScope, query: ClaimSearchQuery): Promise<ClaimSummary[]>;
}

export interface ClaimSearchQuery {
  /** Lower-case words, each of which the title must contain. */
  readonly words: readonly string[];
  /** A claim number (`CLM-0042`) that matches whatever its title. */
  readonly number?: string;
  readonly skip: number;
  readonly count: number;
}

/**
 * Search over the claims container. Pages by TOP rather than OFFSET, which the local emulator lacks:
 * a page reads the pages before it again, so callers keep `skip` bounded.
 */
export class CosmosClaimSearch implements ClaimSearch {
  private readonly container: Container;

  constructor(db: CosmosDb) {
    this.container = db.container('claims');
  }

  async search(
    tenantId: string,
    scope: ClaimScope,
    query: ClaimSearchQuery,
  ): Promise<ClaimSummary[]> {
    const parameters: QueryParameter[] = [{ name: '@t', value: tenantId }];
    const words = query.words.map((word, i) => {
      parameters.push({ name: `@w${i}`, value: word });
      return `CONTAINS(LOWER(c.title), @w${i})`;
    });
    let matches = words.join(' AND ');
    if (query.number) {
      parameters.push({ name: '@n', value: query.number });
      matches = matches ? `(${matches}) OR c.number = @n` : 'c.number = @n';
    }
    const who = visibleTo(scope, parameters);
    const rows = await queryAll<ClaimSummary>(
      this.container,
      `SELECT TOP ${query.skip + query.count} ${SUMMARY_FIELDS} FROM c WHERE c.tenantId = @t AND c.type = 'claim'${who}${matches ? ` AND (${matches})` : ''} ORDER BY c.seq DESC`,
      parameters,
    );
    return rows.slice(query.skip);
  }
}
