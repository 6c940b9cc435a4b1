import assert from 'node:assert/strict';
import { person } from '../../../src/domain/claim';
import { money } from '../../../src/domain/money';
import { CLAIM_STATUSES, DECIDED_STATUSES } from '../../../src/domain/status';
import type { ClaimScope, ClaimSearch } from '../../../src/store/claims';
import { ClaimStoreUnderTest, actor, claimStoreInTests, newTenant } from './claimFixtures';

/**
 * Who a list and a search show a claim to, status by status, as canView decides (issue 28): a
 * contributor until the claim is decided (Paid is decided too), an owner only while their roles let
 * them make claims.
 */
export function claimVisibilityContract(
  make: () => ClaimStoreUnderTest & { readonly search: ClaimSearch },
): void {
  describe('ClaimRepository and ClaimSearch contract: visibility by status and role', () => {
    let search: ClaimSearch;
    const under = claimStoreInTests(() => {
      const made = make();
      search = made.search;
      return made;
    });
    const t = newTenant();
    const owner = actor(t, 'u-owner');
    const colleague = actor(t, 'u-colleague', []);
    /** The title of each seeded claim is its status. */
    const titlesIn = async (scope: ClaimScope): Promise<{ listed: string[]; found: string[] }> => {
      const page = await under.repo.list(t, scope, { size: 50 });
      const found = await search.search(t, scope, { words: [], skip: 0, count: 50 });
      return {
        listed: page.items.map((c) => c.title).sort(),
        found: found.map((c) => c.title).sort(),
      };
    };
    const user = (userId: string, includeOwned: boolean): ClaimScope => ({
      kind: 'user',
      userId,
      includeOwned,
      includeSubmitted: false,
    });

    before(async () => {
      for (const status of CLAIM_STATUSES) {
        const decided = ['approved', 'paid', 'disputed'].includes(status);
        await under.seed(t, owner, status, {
          status,
          contributors: [person(colleague)],
          ...(decided ? { approvedAmount: money(100000, 'EUR') } : {}),
        });
      }
    });

    it('a contributor lists and finds a claim until it is decided: never Approved, Rejected or Paid', async () => {
      const undecided = CLAIM_STATUSES.filter((s) => !DECIDED_STATUSES.includes(s)).sort();
      assert.ok(DECIDED_STATUSES.includes('paid'));
      const seen = await titlesIn(user(colleague.userId, false));
      assert.deepEqual(seen.listed, undecided);
      assert.deepEqual(seen.found, undecided);
    });

    it('an owner lists and finds their claims only while they may make claims', async () => {
      const all = [...CLAIM_STATUSES].sort();
      assert.deepEqual(await titlesIn(user(owner.userId, true)), { listed: all, found: all });
      assert.deepEqual(await titlesIn(user(owner.userId, false)), { listed: [], found: [] });
    });
  });
}
