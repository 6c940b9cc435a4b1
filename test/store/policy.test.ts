import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DEFAULT_POLICY, PolicyChange, PolicyRecord } from '../../src/domain/policy';
import type { CosmosDb } from '../../src/store/cosmos';
import { cosmosRepositories } from '../../src/store/cosmosRepositories';
import { MemoryPolicyRepository } from '../../src/store/memory/policy';
import { POLICY_CHANGES_KEPT, PolicyRepository } from '../../src/store/policy';
import { dropTestDatabase, openTestDatabase } from '../support/stack';

const newTenant = (): string => `tenant-${randomUUID()}`;
const change = (to: number): PolicyChange => ({
  by: { id: 'u-ada', name: 'Ada' },
  at: '2026-12-07T09:00:00.000Z',
  rule: 'reviewWithinDays',
  to,
});
const withDays = (record: PolicyRecord, days: number) => ({
  record: { ...record, policy: { ...record.policy, reviewWithinDays: days } },
  changes: [change(days)],
});

/** What every PolicyRepository does (the Cosmos one and its in-memory twin). */
function policyRepositoryContract(make: () => PolicyRepository): void {
  describe('PolicyRepository contract (issue 31)', () => {
    let repo: PolicyRepository;
    before(() => {
      repo = make();
    });

    it('a tenant without a policy has the defaults and no history', async () => {
      assert.deepEqual(await repo.get(newTenant()), { policy: DEFAULT_POLICY, changes: [] });
    });

    it('a change is stored with its history, and read back', async () => {
      const t = newTenant();
      const saved = await repo.change(t, (r) => withDays(r, 3));
      assert.equal(saved.policy.reviewWithinDays, 3);
      await repo.change(t, (r) => withDays(r, 4));
      const stored = await repo.get(t);
      assert.equal(stored.policy.reviewWithinDays, 4);
      assert.deepEqual(stored.changes, [change(3), change(4)]);
    });

    it('an edit that changes nothing stores nothing; one without history entries (away) is stored', async () => {
      const t = newTenant();
      await repo.change(t, (record) => ({ record, changes: [] }));
      assert.deepEqual(await repo.get(t), { policy: DEFAULT_POLICY, changes: [] });
      const absent = { id: 'u-megan', name: 'Megan' };
      const away = {
        [absent.id]: { absent, delegate: { id: 'u-isaiah', name: 'Isaiah' }, until: '2030-01-01' },
      };
      await repo.change(t, (record) => ({
        record: { ...record, policy: { ...record.policy, away } },
        changes: [],
      }));
      assert.deepEqual((await repo.get(t)).policy.away, away);
    });

    it(`keeps the newest ${POLICY_CHANGES_KEPT} changes`, async () => {
      const t = newTenant();
      for (let i = 1; i <= POLICY_CHANGES_KEPT + 2; i++) {
        await repo.change(t, (r) => withDays(r, (i % 50) + 1));
      }
      const { changes } = await repo.get(t);
      assert.equal(changes.length, POLICY_CHANGES_KEPT);
      assert.equal(changes.at(-1)?.to, ((POLICY_CHANGES_KEPT + 2) % 50) + 1);
    });
  });
}

describe('store/policy: in memory', () => {
  policyRepositoryContract(() => new MemoryPolicyRepository());
});

describe('store/policy: on the Cosmos emulator', function () {
  this.timeout(60_000);
  let db: CosmosDb;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => dropTestDatabase(db));

  policyRepositoryContract(() => cosmosRepositories(db).policy);
});
