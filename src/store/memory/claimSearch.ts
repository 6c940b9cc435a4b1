import type { ClaimScope } from '../claims/port';
import type { ClaimSearch, ClaimSearchQuery } from '../claims/search';
import type { ClaimSummary } from '../claims/summary';
import type { MemoryClaimRepository } from './claims';

/** Claims a search reads at most (the Cosmos search pages by TOP up to skip + count as well). */
const MOST = 10_000;

/** The twin of CosmosClaimSearch: the scope's claims newest first, by number or title words. */
export class MemoryClaimSearch implements ClaimSearch {
  constructor(private readonly claims: MemoryClaimRepository) {}

  async search(
    tenantId: string,
    scope: ClaimScope,
    query: ClaimSearchQuery,
  ): Promise<ClaimSummary[]> {
    const { items } = await this.claims.list(tenantId, scope, { size: MOST });
    const matches = (c: ClaimSummary): boolean => {
      const title = c.title.toLowerCase();
      const byWords = query.words.length > 0 && query.words.every((w) => title.includes(w));
      if (!query.number) return byWords || query.words.length === 0;
      return byWords || c.number === query.number;
    };
    return items.filter(matches).slice(query.skip, query.skip + query.count);
  }
}
