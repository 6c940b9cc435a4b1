import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../src/domain/errors';
import type { Fund } from '../../../src/domain/fund';
import { money } from '../../../src/domain/money';
import type { FundRepository } from '../../../src/store/funds';

const newTenant = (): string => `tenant-${randomUUID()}`;

const fund = (tenantId: string, id: string, changes: Partial<Fund> = {}): Fund => ({
  id,
  tenantId,
  name: `Fund ${id}`,
  periodStart: '2026-01-01',
  periodEnd: '2026-06-30',
  allocated: money(5_000_000, 'EUR'),
  createdBy: { id: 'u-admin', name: 'Ada Admin' },
  createdAt: '2025-12-01T00:00:00.000Z',
  ...changes,
});

/** What every FundRepository does; `make` gives the implementation under test. */
export function fundRepositoryContract(make: () => FundRepository): void {
  describe('FundRepository contract', () => {
    let repo: FundRepository;
    before(() => {
      repo = make();
    });

    it('creates a fund and reads it back exactly', async () => {
      const t = newTenant();
      const f = fund(t, 'f1');
      assert.deepEqual(await repo.create(f), f);
      const stored = await repo.get(t, 'f1');
      assert.deepEqual(stored, f);
      assert.equal('type' in (stored as object), false);
      assert.equal('_etag' in (stored as object), false);
    });

    it('the same id twice keeps the first fund and returns it', async () => {
      const t = newTenant();
      const first = fund(t, 'f1', { name: 'First' });
      await repo.create(first);
      const again = await repo.create(
        fund(t, 'f1', { name: 'Second', allocated: money(1, 'EUR') }),
      );
      assert.deepEqual(again, first);
      assert.deepEqual(await repo.get(t, 'f1'), first);
      assert.equal((await repo.list(t)).length, 1);
    });

    it('the same id concurrently stores one fund', async () => {
      const t = newTenant();
      const results = await Promise.all(
        ['A', 'B', 'C', 'D'].map((name) => repo.create(fund(t, 'f1', { name }))),
      );
      const stored = await repo.get(t, 'f1');
      assert.ok(stored);
      for (const r of results) assert.deepEqual(r, stored);
      assert.equal((await repo.list(t)).length, 1);
    });

    it('the same id in two tenants is two funds', async () => {
      const a = newTenant();
      const b = newTenant();
      await repo.create(fund(a, 'shared-id', { name: 'A' }));
      await repo.create(fund(b, 'shared-id', { name: 'B' }));
      assert.equal((await repo.get(a, 'shared-id'))?.name, 'A');
      assert.equal((await repo.get(b, 'shared-id'))?.name, 'B');
    });

    it("lists only the tenant's funds, newest period first", async () => {
      const t = newTenant();
      const other = newTenant();
      await repo.create(fund(t, 'h1', { periodStart: '2026-01-01' }));
      await repo.create(fund(t, 'h2', { periodStart: '2026-07-01', periodEnd: '2026-12-31' }));
      await repo.create(fund(t, 'old', { periodStart: '2025-01-01', periodEnd: '2025-12-31' }));
      await repo.create(fund(other, 'x'));
      const listed = await repo.list(t);
      assert.deepEqual(
        listed.map((f) => f.id),
        ['h2', 'h1', 'old'],
      );
      for (const f of listed) {
        assert.equal(f.tenantId, t);
        assert.equal('type' in f, false);
        assert.equal('_rid' in f, false);
      }
      assert.deepEqual(await repo.list(newTenant()), []);
    });

    it('a change (its money rules) is stored once and read back, in the list too', async () => {
      const t = newTenant();
      await repo.create(fund(t, 'f1'));
      await repo.get(t, 'f1');
      await repo.list(t);
      const half = (f: Fund): Fund => ({ ...f, reimbursementRate: 5000 });
      const saved = await repo.update(t, 'f1', half);
      assert.equal(saved.reimbursementRate, 5000);
      assert.deepEqual(await repo.get(t, 'f1'), saved);
      assert.deepEqual(await repo.list(t), [saved]);
      assert.deepEqual(await repo.update(t, 'f1', (f) => f), saved, 'no change, no write');
      await assert.rejects(
        repo.update(t, 'nope', half),
        (e: unknown) => e instanceof AppError && e.code === 'FUND_NOT_FOUND',
      );
    });

    it("another tenant's fund, or a missing one, is undefined", async () => {
      const t = newTenant();
      await repo.create(fund(t, 'f1'));
      assert.equal(await repo.get(newTenant(), 'f1'), undefined);
      assert.equal(await repo.get(t, 'nope'), undefined);
    });
  });
}
