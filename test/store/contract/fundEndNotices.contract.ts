import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Fund, totalsFrom } from '../../../src/domain/fund';
import { newFundEndNotice, updateFundEndItem } from '../../../src/domain/fundEndNotice';
import { money } from '../../../src/domain/money';
import type { FundEndNoticeRepository } from '../../../src/store/fundEndNotices';

const NOW = '2031-03-01T09:00:00.000Z';
const fundIn = (tenantId: string): Fund => ({
  id: `fund-${randomUUID()}`,
  tenantId,
  name: 'Ending fund',
  periodStart: '2030-04-01',
  periodEnd: '2031-03-31',
  allocated: money(1_000_000, 'USD'),
  createdBy: { id: 'a', name: 'Ada' },
  createdAt: NOW,
});
const admins = [
  { id: 'pat', name: 'Pat' },
  { id: 'ivy', name: 'Ivy' },
  { id: 'pat', name: 'Pat' },
];

/**
 * What every FundEndNoticeRepository keeps: a notice is queued once per fund (a second queue, from
 * another instance, gets the first), changes are applied once per key, and the sweep finds what is
 * still owed.
 */
export function fundEndNoticesContract(make: () => FundEndNoticeRepository): void {
  describe('FundEndNoticeRepository contract', () => {
    let notices: FundEndNoticeRepository;
    let tenantId: string;
    beforeEach(() => {
      notices = make();
      tenantId = `tenant-${randomUUID()}`;
    });

    it('queues a notice once, each admin once; a second queue gets the first', async () => {
      const fund = fundIn(tenantId);
      const first = newFundEndNotice(fund, totalsFrom(fund, {}), admins, NOW);
      const later = newFundEndNotice(fund, totalsFrom(fund, {}), admins.slice(0, 1), NOW);
      const queued = await notices.queue(first);
      assert.deepEqual(await notices.queue(later), queued, 'the first stays');
      assert.deepEqual(await notices.get(tenantId, first.number), queued);
      assert.deepEqual(
        queued.outbox.map((n) => n.to.id),
        ['pat', 'ivy'],
      );
      // Two instances queuing at once: one notice.
      const other = fundIn(tenantId);
      const racing = await Promise.all(
        [admins, admins.slice(1)].map((to) =>
          notices.queue(newFundEndNotice(other, totalsFrom(other, {}), to, NOW)),
        ),
      );
      assert.deepEqual(racing[0], racing[1]);
      assert.deepEqual(await notices.get(`tenant-${randomUUID()}`, first.number), undefined);
    });

    it('applies a change once per key; the sweep finds notices owing items until they are settled', async () => {
      const fund = fundIn(tenantId);
      const notice = await notices.queue(newFundEndNotice(fund, totalsFrom(fund, {}), admins, NOW));
      const owing = async () =>
        (await notices.withOpenWork()).filter((k) => k.tenantId === tenantId);
      assert.deepEqual(await owing(), [{ tenantId, number: notice.number }]);
      const [pat, ivy] = notice.outbox;
      const settle = (id: string) => (n: typeof notice) =>
        updateFundEndItem(n, id, (x) => ({ ...x, state: 'delivered', attempts: x.attempts + 1 }));
      await notices.update(tenantId, notice.number, 'settle-pat', settle(pat.id));
      const again = await notices.update(tenantId, notice.number, 'settle-pat', (n) =>
        updateFundEndItem(n, pat.id, (x) => ({ ...x, attempts: 99 })),
      );
      assert.equal(again.outbox[0].attempts, 1, 'the same key applied once');
      await notices.update(tenantId, notice.number, 'wait-ivy', (n) =>
        updateFundEndItem(n, ivy.id, (x) => ({ ...x, state: 'awaitingInstall' })),
      );
      assert.deepEqual(await notices.awaitingFor(tenantId, 'ivy'), [
        { tenantId, number: notice.number },
      ]);
      assert.deepEqual(await notices.awaitingFor(tenantId, 'pat'), []);
      await notices.update(tenantId, notice.number, 'settle-ivy', settle(ivy.id));
      assert.deepEqual(await owing(), []);
    });
  });
}
