import assert from 'node:assert/strict';
import { Claim, person } from '../../../src/domain/claim';
import { ledgerKey } from '../../../src/domain/fund';
import { money } from '../../../src/domain/money';
import type { ClaimStatus } from '../../../src/domain/status';
import { ClaimScope, ReviewQueueKey, isReviewQueueKey } from '../../../src/store/claims';
import {
  ClaimStoreUnderTest,
  actor,
  builder,
  claimStoreInTests,
  newTenant,
  numbers,
} from './claimFixtures';

/** What every ClaimRepository lists: claims by scope, newest first, and the review queue. */
export function claimListsContract(make: () => ClaimStoreUnderTest): void {
  describe('ClaimRepository contract: lists and the review queue', () => {
    const under = claimStoreInTests(make);
    const { seed } = under;

    describe('list', () => {
      const t = newTenant();
      const other = newTenant();
      const ann = actor(t, 'u-ann');
      const bob = actor(t, 'u-bob');
      const colleague = actor(t, 'u-colleague', []);
      const reviewer = actor(t, 'u-reviewer', ['reviewer']);
      const claims: Record<string, Claim> = {};

      before(async () => {
        claims.annEditing = await seed(t, ann, 'ann-editing');
        claims.annSubmitted = await seed(t, ann, 'ann-submitted', { status: 'submitted' });
        claims.bobShared = await seed(t, bob, 'bob-shared', {
          contributors: [person(colleague)],
        });
        claims.bobSubmitted = await seed(t, bob, 'bob-submitted', { status: 'submitted' });
        claims.bobEditing = await seed(t, bob, 'bob-editing');
        claims.bobSharedApproved = await seed(t, bob, 'bob-shared-approved', {
          contributors: [person(colleague)],
          status: 'approved',
          approvedAmount: money(100000, 'EUR'),
        });
        await seed(other, actor(other, 'u-ann'), 'elsewhere', { status: 'submitted' });
      });

      const list = (scope: ClaimScope) => under.repo.list(t, scope, { size: 50 });

      it('tenant scope: every claim of the tenant, newest first', async () => {
        const page = await list({ kind: 'tenant' });
        assert.deepEqual(numbers(page.items), [
          'CLM-0006',
          'CLM-0005',
          'CLM-0004',
          'CLM-0003',
          'CLM-0002',
          'CLM-0001',
        ]);
        assert.equal(page.next, undefined);
      });

      it('summaries carry what the overview shows', async () => {
        const page = await list({ kind: 'tenant' });
        assert.deepEqual(page.items[0], {
          number: 'CLM-0006',
          seq: 6,
          title: 'bob-shared-approved',
          status: 'approved',
          amount: money(150000, 'EUR'),
          approvedAmount: money(100000, 'EUR'),
          fundId: 'fund-1',
          ownerName: 'Name of u-bob',
        });
        assert.equal(page.items[5].approvedAmount, undefined);
      });

      it('user scope: the claims a user owns', async () => {
        const page = await list({
          kind: 'user',
          userId: ann.userId,
          includeOwned: true,
          includeSubmitted: false,
        });
        assert.deepEqual(numbers(page.items), [
          claims.annSubmitted.number,
          claims.annEditing.number,
        ]);
      });

      it('user scope: a contributor lists the claim until it is decided', async () => {
        const page = await list({
          kind: 'user',
          userId: colleague.userId,
          includeOwned: true,
          includeSubmitted: false,
        });
        assert.deepEqual(numbers(page.items), [claims.bobShared.number]);
      });

      it("reviewer scope: own claims plus every claim past Editing, never others' drafts", async () => {
        const page = await list({
          kind: 'user',
          userId: reviewer.userId,
          includeOwned: true,
          includeSubmitted: true,
        });
        assert.deepEqual(numbers(page.items), [
          claims.bobSharedApproved.number,
          claims.bobSubmitted.number,
          claims.annSubmitted.number,
        ]);
        const annAsReviewer = await list({
          kind: 'user',
          userId: ann.userId,
          includeOwned: true,
          includeSubmitted: true,
        });
        assert.deepEqual(numbers(annAsReviewer.items), [
          claims.bobSharedApproved.number,
          claims.bobSubmitted.number,
          claims.annSubmitted.number,
          claims.annEditing.number,
        ]);
      });

      it("never lists another tenant's claims", async () => {
        const page = await under.repo.list(other, { kind: 'tenant' }, { size: 50 });
        assert.deepEqual(numbers(page.items), ['CLM-0001']);
        assert.equal(page.items[0].title, 'elsewhere');
        const bobElsewhere = await under.repo.list(
          other,
          { kind: 'user', userId: bob.userId, includeOwned: true, includeSubmitted: true },
          { size: 50 },
        );
        assert.deepEqual(numbers(bobElsewhere.items), ['CLM-0001']);
        const unknownTenant = await under.repo.list(newTenant(), { kind: 'tenant' }, { size: 50 });
        assert.deepEqual(unknownTenant.items, []);
      });

      it('pages with a keyset: `next` continues exactly where the page ended', async () => {
        const p = newTenant();
        const by = actor(p, 'u-1');
        for (let i = 1; i <= 7; i++) await under.repo.create(p, `f${i}`, builder(by, `P${i}`));
        const seen: string[][] = [];
        let before: number | undefined;
        for (;;) {
          const page = await under.repo.list(p, { kind: 'tenant' }, { before, size: 3 });
          seen.push(numbers(page.items));
          if (page.next === undefined) break;
          before = page.next;
        }
        assert.deepEqual(seen, [
          ['CLM-0007', 'CLM-0006', 'CLM-0005'],
          ['CLM-0004', 'CLM-0003', 'CLM-0002'],
          ['CLM-0001'],
        ]);
        const exact = await under.repo.list(p, { kind: 'tenant' }, { before: 7, size: 6 });
        assert.equal(exact.items.length, 6);
        assert.equal(exact.next, undefined, 'no next page when the last page is exactly full');
      });

      it('pages a user scope too', async () => {
        const scope = {
          kind: 'user',
          userId: reviewer.userId,
          includeOwned: true,
          includeSubmitted: true,
        } as const;
        const page = await under.repo.list(t, scope, { size: 2 });
        assert.deepEqual(numbers(page.items), [
          claims.bobSharedApproved.number,
          claims.bobSubmitted.number,
        ]);
        assert.equal(page.next, claims.bobSubmitted.seq);
        const rest = await under.repo.list(t, scope, { size: 2, before: page.next });
        assert.deepEqual(numbers(rest.items), [claims.annSubmitted.number]);
        assert.equal(rest.next, undefined);
      });

      it('overview: the page of list and the fund sums, with this store’s own changes at once', async () => {
        const o = newTenant();
        const owner = actor(o, 'u-1');
        const scope = {
          kind: 'user',
          userId: 'u-1',
          includeOwned: true,
          includeSubmitted: false,
        } as const;
        const { number } = await seed(o, owner, 'ov-1');
        const first = await under.repo.overview(o, scope, { size: 10 });
        assert.deepEqual(first.page, await under.repo.list(o, scope, { size: 10 }));
        await under.repo.update(o, number, 'submit', (c) => ({ ...c, status: 'submitted' }));
        await under.repo.create(o, 'ov-2', builder(owner, 'Second'));
        const { page, funds } = await under.repo.overview(o, scope, { size: 10 });
        assert.deepEqual(
          page.items.map((c) => `${c.number} ${c.status}`),
          ['CLM-0002 editing', 'CLM-0001 submitted'],
        );
        assert.equal(funds[ledgerKey('fund-1', 'EUR')]?.pending, 150000);
      });
    });

    describe('reviewQueue paging', () => {
      const t = newTenant();
      const other = newTenant();
      const at = (minute: number): string =>
        new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString();
      const SAME = at(30);
      /** Claim i + 1 of the tenant: its status and submission time (undefined: old data without one). */
      const plan: [ClaimStatus, string | undefined][] = [
        ['submitted', at(50)],
        ['underReview', at(5)],
        ['submitted', SAME],
        ['editing', undefined],
        ['submitted', undefined],
        ['disputed', at(1)],
        ['submitted', SAME],
        ['approved', at(2)],
        ['underReview', undefined],
        ['submitted', at(10)],
        ['submitted', SAME],
        ['actionRequired', at(3)],
        ['disputed', SAME],
        ['submitted', undefined],
        ['underReview', SAME],
        ['submitted', SAME],
        ['rejected', at(4)],
        ['submitted', at(40)],
        ['underReview', at(5)],
        ['submitted', SAME],
      ];
      /** Submitted (old data first, then by time, equal times by number), then Under review and Disputed likewise. */
      const QUEUE = [5, 14, 10, 3, 7, 11, 16, 20, 18, 1, 9, 6, 2, 19, 13, 15].map((n) => `t-${n}`);

      async function walk(tenantId: string, size: number): Promise<string[][]> {
        const pages: string[][] = [];
        let after: ReviewQueueKey | undefined;
        do {
          const page = await under.repo.reviewQueue(tenantId, { after, size });
          if (page.next) assert.equal(page.items.length, size, 'only the last page is short');
          pages.push(page.items.map((c) => c.title));
          after = page.next;
        } while (after && pages.length <= QUEUE.length);
        return pages;
      }

      before(async () => {
        const by = actor(t, 'u-1');
        for (const [i, [status, submittedAt]] of plan.entries()) {
          await seed(t, by, `t-${i + 1}`, { status, submittedAt });
        }
        // Claims submitted at the same moment, met by the store in another order than their numbers.
        await under.store.reorder?.(t, ['CLM-0003', 'CLM-0007']);
        const stranger = actor(other, 'u-1');
        await seed(other, stranger, 'other-1', { status: 'submitted', submittedAt: SAME });
        await seed(other, stranger, 'other-2', { status: 'submitted', submittedAt: undefined });
        await seed(other, stranger, 'other-3', { status: 'underReview', submittedAt: at(0) });
      });

      it('every page size gives the whole queue in order, once, this tenant only', async () => {
        for (const size of [1, 2, 3, 4, 5, 6, 7, 8, 15, 16, 17, 50]) {
          const pages = await walk(t, size);
          assert.deepEqual(pages.flat(), QUEUE, `size ${size}`);
          assert.equal(pages.length, Math.max(1, Math.ceil(QUEUE.length / size)), `size ${size}`);
        }
        assert.deepEqual((await walk(other, 2)).flat(), ['other-2', 'other-1', 'other-3']);
        assert.deepEqual(await walk(newTenant(), 20), [[]]);
      });

      it('a page starts right after the key it is given, wherever that key came from', async () => {
        const page = await under.repo.reviewQueue(t, {
          after: { rank: 0, submittedAt: SAME, seq: 7 },
          size: 3,
        });
        assert.deepEqual(
          page.items.map((c) => c.title),
          ['t-11', 't-16', 't-20'],
        );
        assert.deepEqual(page.next, { rank: 0, submittedAt: SAME, seq: 20 });
        const pastTheEnd = await under.repo.reviewQueue(t, {
          after: { rank: 1, submittedAt: '9999', seq: 0 },
          size: 3,
        });
        assert.deepEqual(pastTheEnd, { items: [] });
      });

      it('isReviewQueueKey() accepts the keys pages return and nothing else', async () => {
        const { next } = await under.repo.reviewQueue(t, { size: 1 });
        assert.ok(isReviewQueueKey(next));
        const valid = { rank: 1, submittedAt: '', seq: 3 };
        assert.ok(isReviewQueueKey(valid));
        for (const forged of [
          undefined,
          null,
          'rank',
          [1, '', 3],
          { ...valid, rank: 2 },
          { ...valid, rank: -1 },
          { ...valid, rank: 0.5 },
          { ...valid, rank: '0' },
          { ...valid, seq: -1 },
          { ...valid, seq: 2 ** 60 },
          { ...valid, submittedAt: 7 },
          { ...valid, submittedAt: 'x'.repeat(41) },
          { rank: 0, seq: 1 },
        ]) {
          assert.equal(isReviewQueueKey(forged), false, JSON.stringify(forged));
        }
      });
    });
  });
}
