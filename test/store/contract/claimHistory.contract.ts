import assert from 'node:assert/strict';
import { Claim, HISTORY_MOST, HistoryEvent, addComment } from '../../../src/domain/claim';
import {
  ClaimStoreUnderTest,
  NOW,
  actor,
  builder,
  claimStoreInTests,
  newTenant,
} from './claimFixtures';

/**
 * A claim's history beyond the newest events its document keeps (issue 16): every event stays
 * reachable, newest first, a page at a time, and the claim itself keeps at most HISTORY_MOST.
 */
export function claimHistoryContract(make: () => ClaimStoreUnderTest): void {
  describe('ClaimRepository contract: history', () => {
    const under = claimStoreInTests(make);

    const allPages = async (claim: Claim, size: number): Promise<HistoryEvent[]> => {
      const events: HistoryEvent[] = [];
      let before: number | undefined;
      do {
        const page = await under.repo.historyPage(claim, { size, before });
        assert.ok(page.events.length <= size);
        events.push(...page.events);
        before = page.next;
      } while (before !== undefined);
      return events;
    };

    it('keeps every event of 250 changes reachable, newest first; the claim keeps its newest', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      const { number } = await under.repo.create(t, 'f', builder(by));
      for (let i = 1; i <= 250; i++) {
        await under.repo.update(t, number, `a-${i}`, (c) => addComment(c, by, `note ${i}`, NOW));
      }
      const claim = (await under.repo.get(t, number)) as Claim;
      assert.ok(claim.history.length <= HISTORY_MOST);
      assert.equal(claim.history.at(-1)?.note, 'note 250');
      const events = await allPages(claim, 30);
      assert.deepEqual(
        events.map((e) => e.seq),
        Array.from({ length: 251 }, (_, i) => 251 - i),
      );
      assert.equal(events.find((e) => e.seq === 2)?.note, 'note 1');
    });

    it('pages from a continuation, and the last page has none', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      const { number } = await under.repo.create(t, 'f', builder(by));
      for (let i = 1; i <= 60; i++) {
        await under.repo.update(t, number, `a-${i}`, (c) => addComment(c, by, `n${i}`, NOW));
      }
      const claim = (await under.repo.get(t, number)) as Claim;
      const page = await under.repo.historyPage(claim, { before: 12, size: 5 });
      assert.deepEqual(
        page.events.map((e) => e.seq),
        [11, 10, 9, 8, 7],
      );
      assert.equal(page.next, 7);
      const last = await under.repo.historyPage(claim, { before: 4, size: 5 });
      assert.deepEqual(
        last.events.map((e) => e.seq),
        [3, 2, 1],
      );
      assert.equal(last.next, undefined);
    });
  });
}
