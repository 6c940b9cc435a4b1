import assert from 'node:assert/strict';
import {
  Claim,
  ClaimDocument,
  FEEDBACK_KEPT,
  Feedback,
  addComment,
  addDocument,
  withMoreFeedback,
} from '../../../src/domain/claim';
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
 * activities applied to it, so that a retry of any of them has no second effect, and every piece of
 * feedback on its documents.
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

    it('keeps all 25 pieces of feedback on a document, newest first a page at a time; the claim keeps the newest', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      const { number } = await under.repo.create(t, 'f', builder(by));
      const doc = {
        id: 'd-1',
        type: 'invoice' as const,
        fileName: 'invoice.pdf',
        blobName: `${t}/${number}/d-1/invoice.pdf`,
        size: 10,
        contentType: 'application/pdf',
        sha256: '0'.repeat(64),
        explanation: '',
      };
      await under.repo.update(t, number, 'doc', (c) => addDocument(c, by, doc, NOW));
      const person = { id: 'r-1', name: 'Rita' };
      for (let i = 1; i <= 25; i++) {
        await under.repo.update(t, number, `fb-${i}`, (c) => ({
          ...c,
          documents: c.documents.map((d) =>
            withMoreFeedback(d, { by: person, at: NOW, text: `piece ${i}` }),
          ),
        }));
      }
      const claim = (await under.repo.get(t, number)) as Claim;
      const stored = claim.documents[0] as ClaimDocument;
      assert.ok(stored.feedback.length <= FEEDBACK_KEPT, `${stored.feedback.length} kept`);
      const all: Feedback[] = [];
      let before: number | undefined;
      do {
        const page = await under.repo.feedbackPage(claim, stored, { size: 7, before });
        assert.ok(page.feedback.length <= 7);
        all.push(...page.feedback);
        before = page.next;
      } while (before !== undefined);
      assert.deepEqual(
        all.map((f) => f.text),
        Array.from({ length: 25 }, (_, i) => `piece ${25 - i}`),
      );
    });
  });
}
