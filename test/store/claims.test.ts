import assert from 'node:assert/strict';
import type { Items } from '@azure/cosmos';
import { Claim, addMetric } from '../../src/domain/claim';
import { AppError } from '../../src/domain/errors';
import { ClaimAmounts, ledgerKey, ledgerOf, totalsFrom } from '../../src/domain/fund';
import { money } from '../../src/domain/money';
import { CosmosClaimRepository, CosmosClaimSearch, ReviewQueueKey } from '../../src/store/claims';
import { CosmosDb, openCosmos, queryAll } from '../../src/store/cosmos';
import { cosmosRepositories } from '../../src/store/cosmosRepositories';
import { TenantRecords } from '../../src/store/tenantRecord';
import { dropTestDatabase, openTestDatabase, sharedStack } from '../support/stack';
import { startCountingProxy, totalOf } from '../../testkit/countingProxy';
import { sleep } from '../notify/helpers';
import { claimFundsContract } from './contract/claimFunds.contract';
import { claimHistoryContract } from './contract/claimHistory.contract';
import { claimRecordContract } from './contract/claimRecord.contract';
import { invoiceKeysContract } from './contract/invoiceKeys.contract';
import { claimSearchContract } from './contract/claimSearch.contract';
import { claimListsContract } from './contract/claimLists.contract';
import { claimVisibilityContract } from './contract/claimVisibility.contract';
import { claimRepositoryContract } from './contract/claims.contract';
import {
  ClaimStoreUnderTest,
  INFO,
  NOW,
  actor,
  builder,
  firstNumbers,
  fundRecord,
  newTenant,
  numbers,
  claimStoreInTests,
} from './contract/claimFixtures';

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
    db = await openTestDatabase();
    repo = new CosmosClaimRepository(db);
  });

  after(() => dropTestDatabase(db));

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

  /** The claims stored again as they are: the store now meets them after claims with higher numbers. */
  async function reinsert(tenantId: string, numbers: readonly string[]): Promise<void> {
    for (const number of numbers) {
      const item = db.container('claims').item(number, tenantId);
      const { resource } = await item.read<Record<string, unknown>>();
      assert.ok(resource);
      const { _rid, _self, _etag, _attachments, _ts, ...doc } = resource;
      await item.delete();
      await db.container('claims').items.create(doc);
    }
  }

  const underTest = (): ClaimStoreUnderTest => ({
    claims: repo,
    funds: cosmosRepositories(db).funds,
    reorder: reinsert,
  });
  claimRepositoryContract(underTest);
  claimListsContract(underTest);
  claimVisibilityContract(() => ({ ...underTest(), search: new CosmosClaimSearch(db) }));
  claimFundsContract(underTest);
  claimHistoryContract(underTest);
  claimRecordContract(underTest);
  invoiceKeysContract(underTest);
  claimSearchContract(() => ({ claims: repo, search: new CosmosClaimSearch(db) }));

  const { seed } = claimStoreInTests(underTest);

  const rawEtag = async (tenantId: string, id: string): Promise<string> =>
    (await db.container('claims').item(id, tenantId).read()).etag;

  describe('create, on Cosmos DB', () => {
    it('creates on three instances at once: distinct numbers without gaps, each with its claim', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      const instances = [repo, new CosmosClaimRepository(db), new CosmosClaimRepository(db)];
      const created = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          instances[i % 3].create(t, `multi-${i}`, builder(by, `M${i}`)),
        ),
      );
      const expected = firstNumbers(24);
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
        assert.deepEqual(distinct, firstNumbers(20));
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

  describe('update, on Cosmos DB', () => {
    it('a refused change, or one that changes nothing, costs no write', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      const { number } = await seed(t, by, 'f', { status: 'submitted' });
      await repo.fundLedger(t); // the submission's fund sums posted (a write of their own)
      const etag = await rawEtag(t, number);
      await assert.rejects(
        repo.update(t, number, 'late-edit', (c) => addMetric(c, by, { name: 'x', value: 1 }, NOW)),
        (e: unknown) => e instanceof AppError && e.code === 'STATUS_FORBIDS',
      );
      await repo.update(t, number, 'noop', (c) => c);
      assert.equal(await rawEtag(t, number), etag);
    });
  });

  describe('fund reservations, on Cosmos DB', () => {
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

  describe('fund sums and overview pages, on Cosmos DB', () => {
    const t = newTenant();
    const by = actor(t, 'u-1');
    const fund1 = fundRecord({ tenantId: t, id: 'fund-1', allocated: 10_000_000 });

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

    it('overview(): reads a page again only when a claim of the tenant was added or changed, on any instance (at once)', async () => {
      const o = newTenant();
      const owner = actor(o, 'u-1');
      const scope = {
        kind: 'user',
        userId: 'u-1',
        includeOwned: true,
        includeSubmitted: false,
      } as const;
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
      assert.deepEqual(await titles(repo), [
        'CLM-0099 editing',
        'CLM-0002 editing',
        'CLM-0001 editing',
      ]);
      await other.update(o, 'CLM-0002', 'rename', (c) => ({ ...c, title: 'Renamed' }));
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
    it('overview(): each reads the tenant record anew; overviews at the same moment share reads', async () => {
      const o = newTenant();
      const owner = actor(o, 'u-1');
      const scope = {
        kind: 'user',
        userId: 'u-1',
        includeOwned: true,
        includeSubmitted: false,
      } as const;
      await seed(o, owner, 'once-1');
      await repo.fundLedger(o);
      await withCountedInstance(async (fresh, operations) => {
        const reads = () => operations()['claims.read'] ?? 0;
        for (let i = 0; i < 3; i++) await fresh.overview(o, scope, { size: 10 });
        assert.equal(
          reads(),
          3,
          `one read each, one after another: ${JSON.stringify(operations())}`,
        );
        await Promise.all(Array.from({ length: 20 }, () => fresh.overview(o, scope, { size: 10 })));
        assert.ok(reads() - 3 <= 2, `20 at once share at most 2 reads: ${reads() - 3}`);
      });
    });
  });

  describe('reviewQueue, on Cosmos DB', () => {
    const at = (minute: number): string => new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString();

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
