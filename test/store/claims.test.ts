import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Items } from '@azure/cosmos';
import { Claim, ClaimInformation, addMetric, createClaim, person } from '../../src/domain/claim';
import { AppError } from '../../src/domain/errors';
import {
  ClaimAmounts,
  Fund,
  FundExhaustedError,
  ledgerKey,
  ledgerOf,
  totalsFrom,
} from '../../src/domain/fund';
import { money } from '../../src/domain/money';
import { Actor, Role } from '../../src/domain/roles';
import { ClaimStatus } from '../../src/domain/status';
import { CosmosClaimRepository, ReviewQueueKey, isReviewQueueKey } from '../../src/store/claims';
import { CosmosDb, openCosmos, queryAll } from '../../src/store/cosmos';
import { CosmosFundRepository } from '../../src/store/funds';
import { TenantRecords } from '../../src/store/tenantRecord';
import { sharedStack, testConfig } from '../support/stack';
import { startCountingProxy, totalOf } from '../../testkit/countingProxy';
import { sleep } from '../notify/helpers';

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

/** How long a read of the tenant record serves (src/store/tenantRecord.ts), and a little more. */
const RECORD_FRESH_MS = 1100;

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

/** The database, with a count of the documents the claims container's queries return. */
function countingReads(db: CosmosDb): { db: CosmosDb; rows: () => number } {
  let rows = 0;
  const claims = db.container('claims');
  const items = new Proxy(claims.items, {
    get(target, property) {
      if (property !== 'query') return Reflect.get(target, property);
      return (...args: Parameters<Items['query']>) => {
        const iterator = target.query(...args);
        const fetchAll = iterator.fetchAll.bind(iterator);
        iterator.fetchAll = async () => {
          const response = await fetchAll();
          rows += response.resources.length;
          return response;
        };
        return iterator;
      };
    },
  });
  const container = new Proxy(claims, {
    get: (target, property) => (property === 'items' ? items : Reflect.get(target, property)),
  });
  return {
    db: { ...db, container: (name) => (name === 'claims' ? container : db.container(name)) },
    rows: () => rows,
  };
}

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

  /**
   * Another instance on the same database whose requests are counted at a proxy: `work` gets it
   * and the requests it sent so far, by operation.
   */
  async function withCountedInstance(
    work: (
      instance: CosmosClaimRepository,
      operations: () => Record<string, number>,
    ) => Promise<void>,
  ): Promise<void> {
    const stack = await sharedStack();
    const proxy = await startCountingProxy(stack.cosmos.endpoint);
    const counted = await openCosmos({
      ...stack.cosmos,
      endpoint: proxy.endpoint,
      database: db.database.id,
    });
    try {
      await work(new CosmosClaimRepository(counted), () => ({
        ...proxy.counts()[db.database.id]?.operations,
      }));
    } finally {
      counted.close();
      await proxy.stop();
    }
  }

  /** The funds the claims here name, allocated more than they ever claim (submits reserve on them). */
  const funded = new Set<string>();
  async function ensureFunds(tenantId: string): Promise<void> {
    if (funded.has(tenantId)) return;
    funded.add(tenantId);
    const funds = new CosmosFundRepository(db);
    for (const id of ['fund-1', 'fund-2']) {
      await funds.create({
        id,
        tenantId,
        name: id,
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        allocated: money(1_000_000_000, 'EUR'),
        createdBy: { id: 'admin', name: 'Admin' },
        createdAt: NOW,
      });
    }
  }

  /** Creates a claim and moves it straight to a status (and other fields) with a raw store update. */
  async function seed(
    tenantId: string,
    by: Actor,
    formId: string,
    changes: Partial<Claim> = {},
  ): Promise<Claim> {
    await ensureFunds(tenantId);
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

    it('creates on three instances at once: distinct numbers without gaps, each with its claim', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      const instances = [repo, new CosmosClaimRepository(db), new CosmosClaimRepository(db)];
      const created = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          instances[i % 3].create(t, `multi-${i}`, builder(by, `M${i}`)),
        ),
      );
      const expected = Array.from(
        { length: 24 },
        (_, i) => `CLM-${String(i + 1).padStart(4, '0')}`,
      );
      assert.deepEqual(numbers(created).sort(), expected);
      const stored = await Promise.all(created.map((c) => repo.get(t, c.number)));
      assert.deepEqual(
        stored.map((c) => c?.title),
        created.map((c) => c.title),
      );
    });

    it('stores creates that arrive together in one batch: few requests, distinct numbers, a double click once', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      await withCountedInstance(async (instance, operations) => {
        const forms = [...Array.from({ length: 20 }, (_, i) => `burst-${i}`), 'burst-3'];
        const created = await Promise.all(
          forms.map((form, i) => instance.create(t, form, builder(by, `B${i}`))),
        );
        const requests = Object.entries(operations())
          .filter(([operation]) => operation.startsWith('claims.'))
          .reduce((sum, [, n]) => sum + n, 0);
        // The record's first read, a batch or two, the double click's claim read back.
        assert.ok(
          requests <= 4,
          `${requests} requests for 21 creates: ${JSON.stringify(operations())}`,
        );
        assert.equal(created[20].number, created[3].number, 'the same form twice: one claim');
        assert.equal(created[20].title, 'B3');
        const distinct = [...new Set(numbers(created))].sort();
        assert.deepEqual(
          distinct,
          Array.from({ length: 20 }, (_, i) => `CLM-${String(i + 1).padStart(4, '0')}`),
        );
        const stored = await Promise.all(distinct.map((n) => repo.get(t, n)));
        assert.deepEqual(
          stored.map((c) => c?.title),
          distinct.map((n) => created.find((c) => c.number === n)?.title),
        );
      });
    });

    it('stores a new claim and takes its number in one request', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      await repo.create(t, 'one-0', builder(by, 'First'));
      await withCountedInstance(async (instance, operations) => {
        await instance.create(t, 'one-1', builder(by, 'Second'));
        const before = totalOf(operations());
        const third = await instance.create(t, 'one-2', builder(by, 'Third'));
        assert.equal(totalOf(operations()) - before, 1, JSON.stringify(operations()));
        assert.equal(third.number, 'CLM-0003');
        assert.equal((await repo.get(t, third.number))?.title, 'Third');
      });
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
      const { number } = await seed(t, by, 'f', { status: 'submitted' });
      await repo.fundLedger(t); // the submission's fund sums posted (a write of their own)
      const claim = await repo.get(t, number);
      const etag = await rawEtag(t, number);
      await assert.rejects(
        repo.update(t, number, 'late-edit', (c) => addMetric(c, by, { name: 'x', value: 1 }, NOW)),
        (e: unknown) => e instanceof AppError && e.code === 'STATUS_FORBIDS',
      );
      assert.equal(await rawEtag(t, number), etag);
      assert.deepEqual(await repo.get(t, number), claim);
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

  describe('fund reservations', () => {
    const submitted = (c: Claim): Claim => ({ ...c, status: 'submitted' });
    const key = ledgerKey('fund-1', 'EUR');
    /** The fund sums as stored now, and as the tenant's claims add up. */
    async function sums(t: string): Promise<{ stored: unknown; claims: unknown }> {
      const claims = await queryAll<ClaimAmounts>(
        db.container('claims'),
        "SELECT c.fundId, c.status, c.amount, c.approvedAmount FROM c WHERE c.tenantId = @t AND c.type = 'claim'",
        [{ name: '@t', value: t }],
      );
      const fresh = new CosmosClaimRepository(db);
      return { stored: (await fresh.fundLedger(t))[key], claims: ledgerOf(claims)[key] };
    }

    it('a change that does not fit is refused naming what remains, and writes nothing', async () => {
      const t = newTenant();
      await new CosmosFundRepository(db).create({
        id: 'fund-1',
        tenantId: t,
        name: 'Small',
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        allocated: money(200000, 'EUR'),
        createdBy: { id: 'admin', name: 'Admin' },
        createdAt: NOW,
      });
      funded.add(t);
      const by = actor(t, 'u-1');
      const first = await seed(t, by, 'first');
      const second = await seed(t, by, 'second');
      await repo.update(t, first.number, 'submit-1', submitted);
      const etag = await rawEtag(t, second.number);
      await assert.rejects(
        repo.update(t, second.number, 'submit-2', submitted),
        (e: unknown) =>
          e instanceof FundExhaustedError &&
          e.remaining.minor === 50000 &&
          e.remaining.currency === 'EUR',
      );
      assert.equal(await rawEtag(t, second.number), etag);
      const { stored, claims } = await sums(t);
      assert.deepEqual(stored, claims);
    });

    it('a claim write that loses a race takes its reservation back and reserves again', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      const { number } = await seed(t, by, 'raced');
      const other = new CosmosClaimRepository(db);
      await repo.get(t, number);
      await other.update(t, number, 'meanwhile', (c) =>
        addMetric(c, by, { name: 'x', value: 1 }, NOW),
      );
      await repo.update(t, number, 'submit', submitted);
      const { stored, claims } = await sums(t);
      assert.deepEqual(stored, claims);
      assert.equal((stored as { pending: number }).pending, INFO.amount.minor);
    });

    it('a reservation whose claim write never happened (a crash) is released by a later read', async () => {
      const t = newTenant();
      const { number } = await seed(t, actor(t, 'u-1'), 'crashed');
      await repo.fundLedger(t);
      const records = new TenantRecords(db.container('claims'), async () => ({}));
      const lost = {
        id: 'lost-entry',
        fundId: 'fund-1',
        currency: 'EUR',
        claimed: INFO.amount.minor,
        approved: 0,
        pending: INFO.amount.minor,
      };
      await records.reserve(t, {
        number,
        entries: [lost],
        allocated: new Map([['fund-1', money(1_000_000_000, 'EUR')]]),
      });
      const held = await sums(t);
      assert.equal((held.stored as { pending: number }).pending, INFO.amount.minor);
      assert.equal((held.claims as { pending: number } | undefined)?.pending ?? 0, 0);

      const reader = new CosmosClaimRepository(db, { holdSettlesMs: 0 });
      await reader.fundLedger(t);
      const end = Date.now() + 5000;
      let now = await sums(t);
      while (JSON.stringify(now.stored) !== JSON.stringify(now.claims) && Date.now() < end) {
        await sleep(100);
        now = await sums(t);
      }
      assert.deepEqual(now.stored, now.claims);
      await records.release(t, [lost]);
      assert.deepEqual((await sums(t)).stored, now.claims, 'released once, however often asked');
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

    const fund1: Fund = {
      id: 'fund-1',
      tenantId: t,
      name: 'F',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      allocated: money(10_000_000, 'EUR'),
      createdBy: { id: 'u-1', name: 'x' },
      createdAt: NOW,
    };

    it('fundLedger(): the sums of every claim past Editing, per fund, this tenant only', async () => {
      const ledger = await repo.fundLedger(t);
      assert.deepEqual(Object.keys(ledger).sort(), ['fund-1 EUR', 'fund-2 EUR']);
      const totals = totalsFrom(fund1, ledger);
      assert.equal(totals.claimed.minor, 5 * 150000);
      assert.equal(totals.pending.minor, 4 * 150000);
      assert.equal(totals.approved.minor, 90000);
      assert.deepEqual(ledger[ledgerKey('fund-2', 'EUR')], {
        currency: 'EUR',
        claimed: 150000,
        approved: 0,
        pending: 150000,
        paid: 0,
      });
      const rows = await queryAll<ClaimAmounts>(
        db.container('claims'),
        "SELECT c.fundId, c.status, c.amount, c.approvedAmount FROM c WHERE c.tenantId = @t AND c.type = 'claim'",
        [{ name: '@t', value: t }],
      );
      assert.deepEqual(
        ledger,
        ledgerOf(rows),
        'the ledger equals the sums counted from the claims',
      );
      const claimsLeft = await queryAll<{ n: number }>(
        db.container('claims'),
        "SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @t AND c.type = 'claim' AND c.openOutbox = true",
        [{ name: '@t', value: t }],
      );
      assert.deepEqual(claimsLeft, [0], 'every entry is posted and cleared from its claim');
    });

    it('fundLedger(): a decision moves the sums at once; a lower approval frees the difference', async () => {
      const submitted = await seed(t, by, 'ledger-1', { status: 'submitted' });
      const before = totalsFrom(fund1, await repo.fundLedger(t));
      await repo.update(t, submitted.number, 'approve-low', (c) => ({
        ...c,
        status: 'approved',
        approvedAmount: money(100000, 'EUR'),
      }));
      const after = totalsFrom(fund1, await repo.fundLedger(t));
      assert.equal(after.pending.minor, before.pending.minor - 150000);
      assert.equal(after.approved.minor, before.approved.minor + 100000);
      assert.equal(after.remaining.minor, before.remaining.minor + 50000);
    });

    it('fundLedger(): entries left in a claim by a crash are posted once, however often posting runs', async () => {
      const other = new CosmosClaimRepository(db);
      const claim = await seed(t, by, 'ledger-2');
      // A change written with its entries, as a process that died before posting them leaves it.
      const raw = db.container('claims').item(claim.number, t);
      const { resource } = await raw.read<Record<string, unknown>>();
      const entry = {
        id: 'crash-entry',
        fundId: 'fund-1',
        currency: 'EUR',
        claimed: 150000,
        approved: 0,
        pending: 150000,
      };
      await raw.replace({
        ...resource,
        status: 'submitted',
        ledgerEntries: [entry],
        openOutbox: true,
      });
      const before = totalsFrom(fund1, await other.fundLedger(t));
      await Promise.all([
        other.postLedgerEntries(t, claim.number),
        repo.postLedgerEntries(t, claim.number),
      ]);
      await other.postLedgerEntries(t, claim.number);
      const after = totalsFrom(fund1, await other.fundLedger(t));
      assert.equal(after.claimed.minor - before.claimed.minor, 150000);
      assert.deepEqual((await repo.get(t, claim.number))?.ledgerEntries, []);
    });

    it('fundLedger(): a tenant whose claims predate the ledger gets it from its claims', async () => {
      const o = newTenant();
      await seed(o, actor(o, 'u-1'), 'old-1', { status: 'submitted' });
      await repo.fundLedger(o);
      // The tenant's record as written before it held a ledger: the counter alone.
      await db
        .container('claims')
        .items.upsert({ id: 'counter', tenantId: o, type: 'counter', last: 1, forms: [] });
      const fresh = new CosmosClaimRepository(db);
      assert.equal((await fresh.fundLedger(o))[ledgerKey('fund-1', 'EUR')]?.claimed, 150000);
      assert.equal(
        (await fresh.create(o, 'after-upgrade', builder(actor(o, 'u-1')))).number,
        'CLM-0002',
      );
    });

    it('overview(): reads a page again only when a claim of the tenant was added or changed, on any instance (within a second)', async () => {
      const o = newTenant();
      const owner = actor(o, 'u-1');
      const scope = { kind: 'user', userId: 'u-1', includeSubmitted: false } as const;
      const page = { size: 10 };
      const titles = async (r: CosmosClaimRepository) =>
        (await r.overview(o, scope, page)).page.items.map((c) => `${c.number} ${c.status}`);
      await seed(o, owner, 'ov-1');
      assert.deepEqual(await titles(repo), ['CLM-0001 editing']);
      // Written behind the repository's back: the tenant's list version does not move.
      const hidden = builder(owner, 'Hidden')(99);
      await db.container('claims').items.create({ ...hidden, type: 'claim', contributorIds: [] });
      assert.deepEqual(
        await titles(repo),
        ['CLM-0001 editing'],
        'served from the page read before',
      );
      const other = new CosmosClaimRepository(db);
      await other.create(o, 'ov-2', builder(owner, 'Second'));
      await sleep(RECORD_FRESH_MS);
      assert.deepEqual(await titles(repo), [
        'CLM-0099 editing',
        'CLM-0002 editing',
        'CLM-0001 editing',
      ]);
      await other.update(o, 'CLM-0002', 'rename', (c) => ({ ...c, title: 'Renamed' }));
      await other.fundLedger(o);
      await sleep(RECORD_FRESH_MS);
      const renamed = (await repo.overview(o, scope, page)).page.items.find(
        (c) => c.number === 'CLM-0002',
      );
      assert.equal(
        renamed?.title,
        'Renamed',
        'a change seen by another instance moves the version on',
      );
      await other.update(o, 'CLM-0001', 'submit', (c) => ({ ...c, status: 'submitted' }));
      const { page: after, funds } = await other.overview(o, scope, page);
      assert.equal(after.items.find((c) => c.number === 'CLM-0001')?.status, 'submitted');
      assert.equal(
        funds[ledgerKey('fund-1', 'EUR')]?.pending,
        150000,
        'its own change, with the sums, at once',
      );
    });
    it('overview(): one read of the tenant record serves a second of overviews and fund sums', async () => {
      const o = newTenant();
      const owner = actor(o, 'u-1');
      const scope = { kind: 'user', userId: 'u-1', includeSubmitted: false } as const;
      await seed(o, owner, 'once-1');
      await repo.fundLedger(o);
      await withCountedInstance(async (fresh, operations) => {
        const reads = () => operations()['claims.read'] ?? 0;
        const started = Date.now();
        for (let i = 0; i < 5; i++) {
          await fresh.overview(o, scope, { size: 10 });
          await fresh.fundLedger(o);
        }
        assert.ok(Date.now() - started < RECORD_FRESH_MS, 'the turns ran within the second');
        assert.equal(reads(), 1, JSON.stringify(operations()));
        await sleep(RECORD_FRESH_MS);
        await fresh.overview(o, scope, { size: 10 });
        assert.equal(reads(), 2, 'read again after the second');
      });
    });
  });

  describe('reviewQueue paging', () => {
    const t = newTenant();
    const other = newTenant();
    const at = (minute: number): string => new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString();
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

    /** Deletes and writes the claim again: the store now meets it after claims with higher numbers. */
    async function reinsert(tenantId: string, number: string): Promise<void> {
      const item = db.container('claims').item(number, tenantId);
      const { resource } = await item.read<Record<string, unknown>>();
      assert.ok(resource);
      const { _rid, _self, _etag, _attachments, _ts, ...doc } = resource;
      await item.delete();
      await db.container('claims').items.create(doc);
    }

    async function walk(tenantId: string, size: number): Promise<string[][]> {
      const pages: string[][] = [];
      let after: ReviewQueueKey | undefined;
      do {
        const page = await repo.reviewQueue(tenantId, { after, size });
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
      // Claims submitted at the same moment, stored in another order than their numbers.
      for (const n of [3, 7]) await reinsert(t, `CLM-000${n}`);
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
      const page = await repo.reviewQueue(t, {
        after: { rank: 0, submittedAt: SAME, seq: 7 },
        size: 3,
      });
      assert.deepEqual(
        page.items.map((c) => c.title),
        ['t-11', 't-16', 't-20'],
      );
      assert.deepEqual(page.next, { rank: 0, submittedAt: SAME, seq: 20 });
      const pastTheEnd = await repo.reviewQueue(t, {
        after: { rank: 1, submittedAt: '9999', seq: 0 },
        size: 3,
      });
      assert.deepEqual(pastTheEnd, { items: [] });
    });

    it('isReviewQueueKey() accepts the keys pages return and nothing else', async () => {
      const { next } = await repo.reviewQueue(t, { size: 1 });
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

    it('reads about a page, not the whole queue', async () => {
      const long = newTenant();
      const by = actor(long, 'u-1');
      for (let i = 0; i < 60; i++) {
        await repo.create(long, `long-${i}`, (seq) => ({
          ...builder(by, `long-${i}`)(seq),
          status: 'submitted',
          submittedAt: at(i),
        }));
      }
      const counted = countingReads(db);
      const counting = new CosmosClaimRepository(counted.db);
      let after: ReviewQueueKey | undefined;
      for (const expected of [
        ['long-0', 'long-4'],
        ['long-5', 'long-9'],
      ]) {
        const before = counted.rows();
        const page = await counting.reviewQueue(long, { after, size: 5 });
        assert.deepEqual([page.items[0].title, page.items[4].title], expected);
        assert.ok(counted.rows() - before <= 2 * (5 + 2), `${counted.rows() - before} rows read`);
        after = page.next;
      }
    });
  });
});
