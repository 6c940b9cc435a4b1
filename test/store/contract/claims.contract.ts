import assert from 'node:assert/strict';
import { Claim, addMetric, person } from '../../../src/domain/claim';
import { AppError } from '../../../src/domain/errors';
import { newNotification } from '../../../src/domain/notification';
import {
  ClaimStoreUnderTest,
  INFO,
  NOW,
  actor,
  builder,
  firstNumbers,
  newTenant,
  numbers,
  claimStoreInTests,
} from './claimFixtures';

/**
 * What every ClaimRepository does with single claims: numbers, idempotent creates and updates, the
 * last seen version, posted cards, and the sweeps' queries. Lists and the review queue are in
 * claimLists.contract.ts, the fund sums in claimFunds.contract.ts.
 */
export function claimRepositoryContract(make: () => ClaimStoreUnderTest): void {
  describe('ClaimRepository contract: claims', () => {
    const under = claimStoreInTests(make);
    const { seed, ensureFunds } = under;

    describe('create', () => {
      it('numbers claims CLM-0001, CLM-0002 … per tenant, tenants independent', async () => {
        const a = newTenant();
        const b = newTenant();
        const ownerA = actor(a, 'u-1');
        const ownerB = actor(b, 'u-1');
        assert.equal((await under.repo.create(a, 'fa1', builder(ownerA, 'A1'))).number, 'CLM-0001');
        assert.equal((await under.repo.create(a, 'fa2', builder(ownerA, 'A2'))).number, 'CLM-0002');
        assert.equal((await under.repo.create(b, 'fb1', builder(ownerB, 'B1'))).number, 'CLM-0001');
        assert.equal((await under.repo.create(a, 'fa3', builder(ownerA, 'A3'))).number, 'CLM-0003');
        assert.equal((await under.repo.create(b, 'fb2', builder(ownerB, 'B2'))).number, 'CLM-0002');

        const a1 = await under.repo.get(a, 'CLM-0001');
        const b1 = await under.repo.get(b, 'CLM-0001');
        assert.equal(a1?.title, 'A1');
        assert.equal(a1?.tenantId, a);
        assert.equal(b1?.title, 'B1');
        assert.equal(b1?.tenantId, b);
      });

      it('stores exactly what build made and returns it as the domain claim', async () => {
        const t = newTenant();
        const made = await under.repo.create(t, 'f', builder(actor(t, 'u-1')));
        const stored = await under.repo.get(t, made.number);
        assert.deepEqual(stored, made);
        for (const key of ['type', 'contributorIds', 'appliedActivities', '_etag', '_ts']) {
          assert.equal(key in (stored as object), false, `${key} is not part of the claim`);
        }
      });

      it('the same formId twice yields the same claim and uses one number', async () => {
        const t = newTenant();
        const by = actor(t, 'u-1');
        let builds = 0;
        const build = (seq: number): Claim => {
          builds += 1;
          return builder(by, 'Once')(seq);
        };
        const first = await under.repo.create(t, 'double-click', build);
        const second = await under.repo.create(t, 'double-click', build);
        assert.deepEqual(second, first);
        assert.equal(builds, 1);
        assert.equal((await under.repo.create(t, 'another', builder(by))).number, 'CLM-0002');
      });

      it('the same formId concurrently yields one claim', async () => {
        const t = newTenant();
        const by = actor(t, 'u-1');
        const all = await Promise.all(
          Array.from({ length: 5 }, () => under.repo.create(t, 'retried', builder(by))),
        );
        assert.deepEqual([...new Set(numbers(all))], ['CLM-0001']);
        assert.equal((await under.repo.create(t, 'next', builder(by))).number, 'CLM-0002');
      });

      it('20 concurrent creates get 20 distinct numbers without gaps', async () => {
        const t = newTenant();
        const by = actor(t, 'u-1');
        const created = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            under.repo.create(t, `form-${i}`, builder(by, `T${i}`)),
          ),
        );
        assert.deepEqual(numbers(created).sort(), firstNumbers(20));
        const page = await under.repo.list(t, { kind: 'tenant' }, { size: 50 });
        assert.deepEqual(numbers(page.items).sort(), firstNumbers(20));
        for (const c of created) assert.equal((await under.repo.get(t, c.number))?.title, c.title);
      });

      it('a build that throws stores nothing and takes no number', async () => {
        const t = newTenant();
        const by = actor(t, 'u-1');
        await assert.rejects(
          under.repo.create(t, 'refused', () => {
            throw new AppError('NOT_ALLOWED', { action: 'createClaim' });
          }),
          (e: unknown) => e instanceof AppError && e.code === 'NOT_ALLOWED',
        );
        assert.equal(await under.repo.get(t, 'CLM-0001'), undefined);
        assert.equal((await under.repo.create(t, 'allowed', builder(by))).number, 'CLM-0001');
      });
    });

    describe('get', () => {
      it("another tenant's claim, or a missing one, is undefined", async () => {
        const a = newTenant();
        const claim = await under.repo.create(a, 'f', builder(actor(a, 'u-1')));
        assert.equal(await under.repo.get(newTenant(), claim.number), undefined);
        assert.equal(await under.repo.get(a, 'CLM-9999'), undefined);
        assert.equal(
          await under.repo.get(a, 'counter'),
          undefined,
          'the number counter is not a claim',
        );
      });

      it('a claim handed out is a copy: changing it changes nothing stored', async () => {
        const t = newTenant();
        const { number } = await under.repo.create(t, 'f', builder(actor(t, 'u-1')));
        const got = (await under.repo.get(t, number)) as unknown as {
          title: string;
          metrics: unknown[];
        };
        got.title = 'Changed by a caller';
        got.metrics.push({ id: 'm', name: 'x', value: 1 });
        const stored = await under.repo.get(t, number);
        assert.equal(stored?.title, INFO.title);
        assert.deepEqual(stored?.metrics, []);
      });
    });

    describe('update', () => {
      it('applies a change with its one history event', async () => {
        const t = newTenant();
        const by = actor(t, 'u-1');
        const claim = await under.repo.create(t, 'f', builder(by));
        const saved = await under.repo.update(t, claim.number, 'activity-1', (c) =>
          addMetric(c, by, { name: 'Leads', value: 12 }, NOW),
        );
        assert.deepEqual(
          saved.metrics.map((m) => [m.name, m.value]),
          [['Leads', 12]],
        );
        assert.deepEqual(await under.repo.get(t, claim.number), saved);
        assert.deepEqual(
          saved.history.map((e) => [e.seq, e.kind]),
          [
            [1, 'created'],
            [2, 'metricAdded'],
          ],
        );
      });

      it('the same activity id twice is applied once', async () => {
        const t = newTenant();
        const by = actor(t, 'u-1');
        const claim = await under.repo.create(t, 'f', builder(by));
        let calls = 0;
        const change = (c: Claim): Claim => {
          calls += 1;
          return addMetric(c, by, { name: 'Clicks', value: 5 }, NOW);
        };
        const first = await under.repo.update(t, claim.number, 'activity-1', change);
        const again = await under.repo.update(t, claim.number, 'activity-1', change);
        assert.equal(calls, 1);
        assert.deepEqual(again, first);
        assert.equal((await under.repo.get(t, claim.number))?.metrics.length, 1);
      });

      it('the same activity id concurrently is applied once', async () => {
        const t = newTenant();
        const by = actor(t, 'u-1');
        const claim = await under.repo.create(t, 'f', builder(by));
        await Promise.all(
          Array.from({ length: 4 }, () =>
            under.repo.update(t, claim.number, 'retried-activity', (c) =>
              addMetric(c, by, { name: 'Clicks', value: 5 }, NOW),
            ),
          ),
        );
        const stored = await under.repo.get(t, claim.number);
        assert.equal(stored?.metrics.length, 1);
        assert.equal(stored?.history.length, 2);
      });

      it('30 concurrent updates by several people lose nothing', async () => {
        const t = newTenant();
        const owner = actor(t, 'u-owner');
        const colleague = actor(t, 'u-colleague', ['incentivesUser']);
        const people = [
          owner,
          actor(t, 'u-ia', ['incentivesAdmin']),
          actor(t, 'u-ga', ['globalAdmin']),
          colleague,
        ];
        const claim = await under.repo.create(t, 'f', builder(owner));
        await under.repo.update(t, claim.number, 'invite', (c) => ({
          ...c,
          contributors: [person(colleague)],
        }));

        await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            under.repo.update(t, claim.number, `activity-${i}`, (c) =>
              addMetric(c, people[i % people.length], { name: `metric ${i}`, value: i }, NOW),
            ),
          ),
        );

        const stored = await under.repo.get(t, claim.number);
        assert.ok(stored);
        assert.deepEqual(
          stored.metrics.map((m) => m.value).sort((x, y) => x - y),
          Array.from({ length: 30 }, (_, i) => i),
        );
        assert.equal(new Set(stored.metrics.map((m) => m.id)).size, 30, 'metric ids are unique');
        // The claim keeps its newest events; the whole history has every change once, in order.
        const kept = stored.history.map((e) => e.seq);
        assert.deepEqual(
          kept,
          Array.from({ length: kept.length }, (_, i) => 32 - kept.length + i),
        );
        const whole: number[] = [];
        let before: number | undefined;
        do {
          const page = await under.repo.historyPage(stored, {
            size: 50,
            ...(before ? { before } : {}),
          });
          whole.push(...page.events.map((e) => e.seq));
          before = page.next;
        } while (before);
        assert.deepEqual(
          whole.reverse(),
          Array.from({ length: 31 }, (_, i) => i + 1),
        );
      });

      it('a missing claim is CLAIM_NOT_FOUND, also in another tenant', async () => {
        const t = newTenant();
        const claim = await under.repo.create(t, 'f', builder(actor(t, 'u-1')));
        for (const [tenant, number] of [
          [t, 'CLM-0404'],
          [newTenant(), claim.number],
        ]) {
          await assert.rejects(
            under.repo.update(tenant, number, 'a', (c) => c),
            (e: unknown) => e instanceof AppError && e.code === 'CLAIM_NOT_FOUND',
          );
        }
      });

      it('a refused change writes nothing and the refusal reaches the caller', async () => {
        const t = newTenant();
        const by = actor(t, 'u-1');
        const { number } = await seed(t, by, 'f', { status: 'submitted' });
        await under.repo.fundLedger(t); // the submission's fund sums posted (where that is a write of its own)
        const claim = await under.repo.get(t, number);
        await assert.rejects(
          under.repo.update(t, number, 'late-edit', (c) =>
            addMetric(c, by, { name: 'x', value: 1 }, NOW),
          ),
          (e: unknown) => e instanceof AppError && e.code === 'STATUS_FORBIDS',
        );
        assert.deepEqual(await under.repo.get(t, number), claim);
        await under.repo.update(t, number, 'late-edit', (c) => ({ ...c, title: 'Allowed later' }));
        assert.equal(
          (await under.repo.get(t, number))?.title,
          'Allowed later',
          'a refused activity is not remembered as applied',
        );
      });

      it('a change that changes nothing returns the stored claim', async () => {
        const t = newTenant();
        const claim = await under.repo.create(t, 'f', builder(actor(t, 'u-1')));
        assert.deepEqual(await under.repo.update(t, claim.number, 'noop', (c) => c), claim);
        assert.deepEqual(await under.repo.get(t, claim.number), claim);
      });
    });

    describe('the version last seen, and posted cards', () => {
      it('lastSeen is the version this store last read or wrote, nothing for one never seen', async () => {
        const t = newTenant();
        const by = actor(t, 'u-1');
        assert.equal(under.repo.lastSeen(t, 'CLM-0001'), undefined);
        const created = await under.repo.create(t, 'f', builder(by));
        assert.deepEqual(under.repo.lastSeen(t, created.number), created);
        const changed = await under.repo.update(t, created.number, 'a', (c) =>
          addMetric(c, by, { name: 'Leads', value: 3 }, NOW),
        );
        assert.deepEqual(under.repo.lastSeen(t, created.number), changed);
        assert.deepEqual(
          under.repo.lastSeen(t, created.number),
          await under.repo.get(t, created.number),
        );
      });

      it('rememberCard keeps a posted card once, without a history event', async () => {
        const t = newTenant();
        const { number } = await under.repo.create(t, 'f', builder(actor(t, 'u-1')));
        const card = {
          viewerId: 'u-1',
          activityId: 'activity-card-1',
          conversation: { conversation: { id: '19:chat' } },
          at: NOW,
        };
        await under.repo.rememberCard(t, number, card);
        await under.repo.rememberCard(t, number, card);
        const stored = await under.repo.get(t, number);
        assert.deepEqual(stored?.postedCards, [card]);
        assert.equal(stored?.history.length, 1);
      });
    });

    describe("the sweeps' queries (every tenant)", () => {
      const mine = (keys: readonly { tenantId: string; number: string }[], t: string): string[] =>
        keys
          .filter((k) => k.tenantId === t)
          .map((k) => k.number)
          .sort();

      it('withRequestsDueBy: claims in Editing with an open upload request due by the day', async () => {
        const t = newTenant();
        const by = actor(t, 'u-1');
        await ensureFunds(t);
        const request = (due: string, fulfilledAt?: string) => ({
          id: `r-${due}`,
          to: { id: 'u-2', name: 'Colleague' },
          types: ['invoice' as const],
          note: '',
          due,
          requestedBy: person(by),
          at: NOW,
          ...(fulfilledAt ? { fulfilledAt } : {}),
        });
        const due10 = await seed(t, by, 'due-10', {
          uploadRequests: [request('2026-03-20'), request('2026-03-10')],
        });
        const due12 = await seed(t, by, 'due-12', { uploadRequests: [request('2026-03-12')] });
        await seed(t, by, 'fulfilled', { uploadRequests: [request('2026-03-01', NOW)] });
        await seed(t, by, 'submitted', {
          status: 'submitted',
          uploadRequests: [request('2026-03-01')],
        });
        await seed(t, by, 'none');
        assert.deepEqual(mine(await under.repo.withRequestsDueBy('2026-03-09'), t), []);
        assert.deepEqual(mine(await under.repo.withRequestsDueBy('2026-03-10'), t), [due10.number]);
        assert.deepEqual(mine(await under.repo.withRequestsDueBy('2026-12-31'), t), [
          due10.number,
          due12.number,
        ]);
      });

      it('withOpenNotifications: claims with undelivered notifications, all or for one recipient', async () => {
        const t = newTenant();
        const by = actor(t, 'u-1');
        const note = (
          id: string,
          to: string,
          state: 'pending' | 'delivered' | 'awaitingInstall',
        ) => ({
          ...newNotification({
            id,
            kind: 'submitted',
            to: { id: to, name: to },
            from: person(by),
            now: NOW,
          }),
          state,
        });
        const open = await seed(t, by, 'open', {
          outbox: [note('n1', 'u-rev', 'pending'), note('n2', 'u-old', 'delivered')],
        });
        const waiting = await seed(t, by, 'waiting', {
          outbox: [note('n3', 'u-new', 'awaitingInstall')],
        });
        await seed(t, by, 'done', { outbox: [note('n4', 'u-rev', 'delivered')] });
        await seed(t, by, 'quiet');
        assert.deepEqual(mine(await under.repo.withOpenNotifications(), t), [
          open.number,
          waiting.number,
        ]);
        const forUser = (userId: string) =>
          under.repo.withOpenNotifications({ tenantId: t, userId });
        assert.deepEqual(mine(await forUser('u-rev'), t), [open.number]);
        assert.deepEqual(mine(await forUser('u-new'), t), [waiting.number]);
        assert.deepEqual(await forUser('u-old'), []);
        assert.deepEqual(
          await under.repo.withOpenNotifications({ tenantId: newTenant(), userId: 'u-rev' }),
          [],
        );
      });
    });
  });
}
