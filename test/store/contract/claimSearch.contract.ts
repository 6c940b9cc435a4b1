import assert from 'node:assert/strict';
import type { ClaimRepository, ClaimSearch } from '../../../src/store/claims';
import { actor, builder, newTenant } from './claimFixtures';

export interface ClaimSearchUnderTest {
  readonly claims: ClaimRepository;
  readonly search: ClaimSearch;
}

/** The message extension's search (issue 21): what it finds, for whom, and in which order. */
export function claimSearchContract(make: () => ClaimSearchUnderTest): void {
  describe('ClaimSearch contract', () => {
    let under: ClaimSearchUnderTest;
    const tenant = newTenant();
    const olga = actor(tenant, 'u-olga');
    const bob = actor(tenant, 'u-bob');
    const all = { kind: 'tenant' } as const;
    const page = { skip: 0, count: 25 };
    const numbers = (rows: readonly { number: string }[]): string[] => rows.map((r) => r.number);

    before(async () => {
      under = make();
      const titles: [typeof olga, string][] = [
        [olga, 'Spring Webinar on Azure'],
        [bob, 'Partner summit booth'],
        [olga, 'Autumn webinar series'],
        [olga, 'Digital ads campaign'],
      ];
      for (const [i, [by, title]] of titles.entries()) {
        await under.claims.create(tenant, `form-${i}`, builder(by, title));
      }
    });

    it('finds every word of the title, in any case and order, newest first', async () => {
      assert.deepEqual(
        numbers(await under.search.search(tenant, all, { ...page, words: ['webinar'] })),
        ['CLM-0003', 'CLM-0001'],
      );
      assert.deepEqual(
        numbers(await under.search.search(tenant, all, { ...page, words: ['azure', 'spring'] })),
        ['CLM-0001'],
      );
      assert.deepEqual(await under.search.search(tenant, all, { ...page, words: ['nothing'] }), []);
    });

    it('finds a claim by its number whatever its title; no words and no number list them all', async () => {
      assert.deepEqual(
        numbers(await under.search.search(tenant, all, { ...page, words: [], number: 'CLM-0002' })),
        ['CLM-0002'],
      );
      assert.deepEqual(numbers(await under.search.search(tenant, all, { ...page, words: [] })), [
        'CLM-0004',
        'CLM-0003',
        'CLM-0002',
        'CLM-0001',
      ]);
    });

    it('keeps to what the scope may see, and to its tenant', async () => {
      const bobs = {
        kind: 'user',
        userId: bob.userId,
        includeOwned: true,
        includeSubmitted: false,
      } as const;
      assert.deepEqual(numbers(await under.search.search(tenant, bobs, { ...page, words: [] })), [
        'CLM-0002',
      ]);
      assert.deepEqual(await under.search.search(newTenant(), all, { ...page, words: [] }), []);
    });

    it('pages by skip and count', async () => {
      const second = await under.search.search(tenant, all, { skip: 1, count: 2, words: [] });
      assert.deepEqual(numbers(second), ['CLM-0003', 'CLM-0002']);
    });
  });
}
