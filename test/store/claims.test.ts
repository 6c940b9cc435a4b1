import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Claim, ClaimInformation, addMetric, createClaim, person } from '../../src/domain/claim';
import { AppError } from '../../src/domain/errors';
import { fundTotals } from '../../src/domain/fund';
import { money } from '../../src/domain/money';
import { Actor, Role } from '../../src/domain/roles';
import { ClaimStatus } from '../../src/domain/status';
import { CosmosClaimRepository } from '../../src/store/claims';
import { CosmosDb, openCosmos } from '../../src/store/cosmos';
import { testConfig } from '../support/stack';

const NOW = '2026-03-01T09:00:00.000Z';
const INFO: ClaimInformation = {
  title: 'Spring webinar',
  activityType: 'webinar',
  activityStart: '2026-02-01',
  activityEnd: '2026-02-10',
  amount: money(150000, 'EUR'),
  description: '',
  additionalInfo: '',
};

const newTenant = (): string => `tenant-${randomUUID()}`;
const actor = (tenantId: string, userId: string, roles: Role[] = ['incentivesUser']): Actor => ({
  tenantId,
  userId,
  name: `Name of ${userId}`,
  roles: new Set(roles),
});

const builder =
  (by: Actor, title = INFO.title, fundId = 'fund-1') =>
  (seq: number): Claim =>
    createClaim({
      actor: by,
      seq,
      formId: `form-${seq}`,
      fund: { id: fundId, currency: 'EUR' },
      info: { ...INFO, title },
      now: NOW,
    });

const numbers = (items: readonly { number: string }[]): string[] => items.map((c) => c.number);

describe('store/claims on the Cosmos emulator', function () {
  this.timeout(20_000);

  let db: CosmosDb;
  let repo: CosmosClaimRepository;

  before(async function () {
    this.timeout(60_000);
    const config = await testConfig();
    assert.ok(config.cosmos, 'the test config points at the emulator');
    db = await openCosmos(config.cosmos);
    repo = new CosmosClaimRepository(db);
  });

  after(async () => {
    if (!db) return;
    await db.database.delete();
    db.close();
  });

  /** Creates a claim and moves it straight to a status (and other fields) with a raw store update. */
  async function seed(
    tenantId: string,
    by: Actor,
    formId: string,
    changes: Partial<Claim> = {},
  ): Promise<Claim> {
    const created = await repo.create(tenantId, formId, builder(by, formId));
    if (!Object.keys(changes).length) return created;
    return repo.update(tenantId, created.number, `seed-${formId}`, (c) => ({ ...c, ...changes }));
  }

  const rawEtag = async (tenantId: string, id: string): Promise<string> =>
    (await db.container('claims').item(id, tenantId).read()).etag;

  describe('create', () => {
    it('numbers claims CLM-0001, CLM-0002 … per tenant, tenants independent', async () => {
      const a = newTenant();
      const b = newTenant();
      const ownerA = actor(a, 'u-1');
      const ownerB = actor(b, 'u-1');
      assert.equal((await repo.create(a, 'fa1', builder(ownerA, 'A1'))).number, 'CLM-0001');
      assert.equal((await repo.create(a, 'fa2', builder(ownerA, 'A2'))).number, 'CLM-0002');
      assert.equal((await repo.create(b, 'fb1', builder(ownerB, 'B1'))).number, 'CLM-0001');
      assert.equal((await repo.create(a, 'fa3', builder(ownerA, 'A3'))).number, 'CLM-0003');
      assert.equal((await repo.create(b, 'fb2', builder(ownerB, 'B2'))).number, 'CLM-0002');

      const a1 = await repo.get(a, 'CLM-0001');
      const b1 = await repo.get(b, 'CLM-0001');
      assert.equal(a1?.title, 'A1');
      assert.equal(a1?.tenantId, a);
      assert.equal(b1?.title, 'B1');
      assert.equal(b1?.tenantId, b);
    });

    it('stores exactly what build made and returns it as the domain claim', async () => {
      const t = newTenant();
      const made = await repo.create(t, 'f', builder(actor(t, 'u-1')));
      const stored = await repo.get(t, made.number);
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
      const first = await repo.create(t, 'double-click', build);
      const second = await repo.create(t, 'double-click', build);
      assert.deepEqual(second, first);
      assert.equal(builds, 1);
      assert.equal((await repo.create(t, 'another', builder(by))).number, 'CLM-0002');
    });

    it('the same formId concurrently yields one claim', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      const all = await Promise.all(
        Array.from({ length: 5 }, () => repo.create(t, 'retried', builder(by))),
      );
      assert.deepEqual([...new Set(numbers(all))], ['CLM-0001']);
      assert.equal((await repo.create(t, 'next', builder(by))).number, 'CLM-0002');
    });

    it('20 concurrent creates get 20 distinct numbers without gaps', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      const created = await Promise.all(
        Array.from({ length: 20 }, (_, i) => repo.create(t, `form-${i}`, builder(by, `T${i}`))),
      );
      const expected = Array.from(
        { length: 20 },
        (_, i) => `CLM-${String(i + 1).padStart(4, '0')}`,
      );
      assert.deepEqual(numbers(created).sort(), expected);
      const page = await repo.list(t, { kind: 'tenant' }, { size: 50 });
      assert.deepEqual(numbers(page.items).sort(), expected);
      for (const c of created) assert.equal((await repo.get(t, c.number))?.title, c.title);
    });
  });

  describe('get', () => {
    it("another tenant's claim, or a missing one, is undefined", async () => {
      const a = newTenant();
      const claim = await repo.create(a, 'f', builder(actor(a, 'u-1')));
      assert.equal(await repo.get(newTenant(), claim.number), undefined);
      assert.equal(await repo.get(a, 'CLM-9999'), undefined);
      assert.equal(await repo.get(a, 'counter'), undefined, 'the number counter is not a claim');
    });
  });

  describe('update', () => {
    it('applies a change with its one history event', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      const claim = await repo.create(t, 'f', builder(by));
      const saved = await repo.update(t, claim.number, 'activity-1', (c) =>
        addMetric(c, by, { name: 'Leads', value: 12 }, NOW),
      );
      assert.deepEqual(
        saved.metrics.map((m) => [m.name, m.value]),
        [['Leads', 12]],
      );
      assert.deepEqual(await repo.get(t, claim.number), saved);
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
      const claim = await repo.create(t, 'f', builder(by));
      let calls = 0;
      const change = (c: Claim): Claim => {
        calls += 1;
        return addMetric(c, by, { name: 'Clicks', value: 5 }, NOW);
      };
      const first = await repo.update(t, claim.number, 'activity-1', change);
      const again = await repo.update(t, claim.number, 'activity-1', change);
      assert.equal(calls, 1);
      assert.deepEqual(again, first);
      assert.equal((await repo.get(t, claim.number))?.metrics.length, 1);
    });

    it('the same activity id concurrently is applied once', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      const claim = await repo.create(t, 'f', builder(by));
      await Promise.all(
        Array.from({ length: 4 }, () =>
          repo.update(t, claim.number, 'retried-activity', (c) =>
            addMetric(c, by, { name: 'Clicks', value: 5 }, NOW),
          ),
        ),
      );
      const stored = await repo.get(t, claim.number);
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
      const claim = await repo.create(t, 'f', builder(owner));
      await repo.update(t, claim.number, 'invite', (c) => ({
        ...c,
        contributors: [person(colleague)],
      }));

      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          repo.update(t, claim.number, `activity-${i}`, (c) =>
            addMetric(c, people[i % people.length], { name: `metric ${i}`, value: i }, NOW),
          ),
        ),
      );

      const stored = await repo.get(t, claim.number);
      assert.ok(stored);
      assert.deepEqual(
        stored.metrics.map((m) => m.value).sort((x, y) => x - y),
        Array.from({ length: 30 }, (_, i) => i),
      );
      assert.equal(new Set(stored.metrics.map((m) => m.id)).size, 30, 'metric ids are unique');
      assert.equal(stored.history.length, 31);
      assert.deepEqual(
        stored.history.map((e) => e.seq),
        Array.from({ length: 31 }, (_, i) => i + 1),
      );
      assert.equal(stored.history.filter((e) => e.kind === 'metricAdded').length, 30);
      assert.deepEqual(
        [...new Set(stored.history.slice(1).map((e) => e.by.id))].sort(),
        people.map((p) => p.userId).sort(),
      );
    });

    it('a missing claim is CLAIM_NOT_FOUND, also in another tenant', async () => {
      const t = newTenant();
      const claim = await repo.create(t, 'f', builder(actor(t, 'u-1')));
      for (const [tenant, number] of [
        [t, 'CLM-0404'],
        [newTenant(), claim.number],
      ]) {
        await assert.rejects(
          repo.update(tenant, number, 'a', (c) => c),
          (e: unknown) => e instanceof AppError && e.code === 'CLAIM_NOT_FOUND',
        );
      }
    });

    it('a refused change writes nothing and the refusal reaches the caller', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      const claim = await seed(t, by, 'f', { status: 'submitted' });
      const etag = await rawEtag(t, claim.number);
      await assert.rejects(
        repo.update(t, claim.number, 'late-edit', (c) =>
          addMetric(c, by, { name: 'x', value: 1 }, NOW),
        ),
        (e: unknown) => e instanceof AppError && e.code === 'STATUS_FORBIDS',
      );
      assert.equal(await rawEtag(t, claim.number), etag);
      assert.deepEqual(await repo.get(t, claim.number), claim);
    });

    it('a change that changes nothing costs no write', async () => {
      const t = newTenant();
      const claim = await repo.create(t, 'f', builder(actor(t, 'u-1')));
      const etag = await rawEtag(t, claim.number);
      const same = await repo.update(t, claim.number, 'noop', (c) => c);
      assert.deepEqual(same, claim);
      assert.equal(await rawEtag(t, claim.number), etag);
    });
  });

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
      claims.bobShared = await seed(t, bob, 'bob-shared', { contributors: [person(colleague)] });
      claims.bobSubmitted = await seed(t, bob, 'bob-submitted', { status: 'submitted' });
      claims.bobEditing = await seed(t, bob, 'bob-editing');
      claims.bobSharedApproved = await seed(t, bob, 'bob-shared-approved', {
        contributors: [person(colleague)],
        status: 'approved',
        approvedAmount: money(100000, 'EUR'),
      });
      await seed(other, actor(other, 'u-ann'), 'elsewhere', { status: 'submitted' });
    });

    const list = (scope: Parameters<CosmosClaimRepository['list']>[1]) =>
      repo.list(t, scope, { size: 50 });

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
      const page = await list({ kind: 'user', userId: ann.userId, includeSubmitted: false });
      assert.deepEqual(numbers(page.items), [claims.annSubmitted.number, claims.annEditing.number]);
    });

    it('user scope: the claims a colleague contributes to', async () => {
      const page = await list({ kind: 'user', userId: colleague.userId, includeSubmitted: false });
      assert.ok(numbers(page.items).includes(claims.bobShared.number));
      assert.equal(numbers(page.items).includes(claims.bobEditing.number), false);
    });

    it('user scope: a contributor no longer lists a claim once it is decided', async () => {
      const page = await list({ kind: 'user', userId: colleague.userId, includeSubmitted: false });
      assert.deepEqual(numbers(page.items), [claims.bobShared.number]);
    });

    it("reviewer scope: own claims plus every claim past Editing, never others' drafts", async () => {
      const page = await list({ kind: 'user', userId: reviewer.userId, includeSubmitted: true });
      assert.deepEqual(numbers(page.items), [
        claims.bobSharedApproved.number,
        claims.bobSubmitted.number,
        claims.annSubmitted.number,
      ]);
      const annAsReviewer = await list({
        kind: 'user',
        userId: ann.userId,
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
      const page = await repo.list(other, { kind: 'tenant' }, { size: 50 });
      assert.deepEqual(numbers(page.items), ['CLM-0001']);
      assert.equal(page.items[0].title, 'elsewhere');
      const bobElsewhere = await repo.list(
        other,
        { kind: 'user', userId: bob.userId, includeSubmitted: true },
        { size: 50 },
      );
      assert.deepEqual(numbers(bobElsewhere.items), ['CLM-0001']);
      const unknownTenant = await repo.list(newTenant(), { kind: 'tenant' }, { size: 50 });
      assert.deepEqual(unknownTenant.items, []);
    });

    it('pages with a keyset: `next` continues exactly where the page ended', async () => {
      const p = newTenant();
      const by = actor(p, 'u-1');
      for (let i = 1; i <= 7; i++) await repo.create(p, `f${i}`, builder(by, `P${i}`));
      const seen: string[][] = [];
      let before: number | undefined;
      for (;;) {
        const page = await repo.list(p, { kind: 'tenant' }, { before, size: 3 });
        seen.push(numbers(page.items));
        if (page.next === undefined) break;
        before = page.next;
      }
      assert.deepEqual(seen, [
        ['CLM-0007', 'CLM-0006', 'CLM-0005'],
        ['CLM-0004', 'CLM-0003', 'CLM-0002'],
        ['CLM-0001'],
      ]);
      const exact = await repo.list(p, { kind: 'tenant' }, { before: 7, size: 6 });
      assert.equal(exact.items.length, 6);
      assert.equal(exact.next, undefined, 'no next page when the last page is exactly full');
    });

    it('pages a user scope too', async () => {
      const page = await repo.list(
        t,
        { kind: 'user', userId: reviewer.userId, includeSubmitted: true },
        { size: 2 },
      );
      assert.deepEqual(numbers(page.items), [
        claims.bobSharedApproved.number,
        claims.bobSubmitted.number,
      ]);
      assert.equal(page.next, claims.bobSubmitted.seq);
      const rest = await repo.list(
        t,
        { kind: 'user', userId: reviewer.userId, includeSubmitted: true },
        { size: 2, before: page.next },
      );
      assert.deepEqual(numbers(rest.items), [claims.annSubmitted.number]);
      assert.equal(rest.next, undefined);
    });
  });

  describe('amounts and reviewQueue', () => {
    const t = newTenant();
    const by = actor(t, 'u-1');
    const statuses: ClaimStatus[] = [
      'editing',
      'submitted',
      'underReview',
      'approved',
      'disputed',
      'submitted',
      'actionRequired',
      'rejected',
    ];

    before(async () => {
      for (const [i, status] of statuses.entries()) {
        await seed(t, by, `f${i + 1}`, {
          status,
          ...(status === 'approved' ? { approvedAmount: money(90000, 'EUR') } : {}),
          ...(i === 5 ? { fundId: 'fund-2' } : {}),
        });
      }
      const o = newTenant();
      await seed(o, actor(o, 'u-1'), 'elsewhere', { status: 'submitted' });
    });

    it('amounts(): every claim past Editing with fund, status and amounts, tenant only', async () => {
      const rows = await repo.amounts(t);
      assert.equal(rows.length, statuses.length - 1);
      assert.deepEqual(
        rows.map((r) => r.status).sort(),
        statuses.filter((s) => s !== 'editing').sort(),
      );
      const approved = rows.find((r) => r.status === 'approved');
      assert.deepEqual(approved, {
        fundId: 'fund-1',
        status: 'approved',
        amount: money(150000, 'EUR'),
        approvedAmount: money(90000, 'EUR'),
      });
      assert.equal(rows.filter((r) => r.fundId === 'fund-2').length, 1);
      const totals = fundTotals(
        {
          id: 'fund-1',
          tenantId: t,
          name: 'F',
          periodStart: '2026-01-01',
          periodEnd: '2026-12-31',
          allocated: money(10_000_000, 'EUR'),
          createdBy: { id: 'u-1', name: 'x' },
          createdAt: NOW,
        },
        rows,
      );
      assert.equal(totals.claimed.minor, 5 * 150000);
      assert.equal(totals.pending.minor, 4 * 150000);
      assert.equal(totals.approved.minor, 90000);
    });

    it('reviewQueue(): submitted claims first, then under review and disputed, oldest first, limited', async () => {
      assert.deepEqual(numbers(await repo.reviewQueue(t, 10)), [
        'CLM-0002',
        'CLM-0006',
        'CLM-0003',
        'CLM-0005',
      ]);
      assert.deepEqual(numbers(await repo.reviewQueue(t, 2)), ['CLM-0002', 'CLM-0006']);
      assert.deepEqual(await repo.reviewQueue(newTenant(), 10), []);
    });
  });
});
