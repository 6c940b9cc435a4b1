import assert from 'node:assert/strict';
import { Claim, addComment } from '../../../src/domain/claim';
import {
  ClaimStoreUnderTest,
  NOW,
  actor,
  builder,
  claimStoreInTests,
  newTenant,
} from './claimFixtures';

/**
 * What a claim's record keeps beyond its document, however long its history grows (issue 28): the
 * activities applied to it, so that a retry of any of them has no second effect.
 */
export function claimRecordContract(make: () => ClaimStoreUnderTest): void {
  describe('ClaimRepository contract: the record beyond the document', () => {
    const under = claimStoreInTests(make);

    it('an activity applied before 60 others is still applied once when it comes again', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      const { number } = await under.repo.create(t, 'f', builder(by));
      const first = (c: Claim) => addComment(c, by, 'first', NOW);
      await under.repo.update(t, number, 'a-first', first);
      for (let i = 1; i <= 60; i++) {
        await under.repo.update(t, number, `a-${i}`, (c) => addComment(c, by, `note ${i}`, NOW));
      }
      const before = (await under.repo.get(t, number)) as Claim;
      const again = await under.repo.update(t, number, 'a-first', first);
      assert.deepEqual(again.history, before.history, 'nothing recorded');
      const page = await under.repo.historyPage(again, { size: 100 });
      assert.equal(page.events.filter((e) => e.note === 'first').length, 1);
    });
  });
}
