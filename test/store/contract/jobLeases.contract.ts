import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { JobLeases } from '../../../src/store/jobLeases';

const at = (seconds: number): Date => new Date(Date.UTC(2026, 2, 1, 9, 0, seconds));

/** What every JobLeases keeps: one holder per job at a time, renewals, take-over after expiry. */
export function jobLeasesContract(make: () => JobLeases): void {
  describe('JobLeases contract', () => {
    let leases: JobLeases;
    let job: string;
    beforeEach(() => {
      leases = make();
      job = `job-${randomUUID()}`;
    });

    it('the first owner takes the lease; another is refused while it runs; the holder renews it', async () => {
      assert.equal(await leases.take(job, 'a', { now: at(0), forMs: 10_000 }), true);
      assert.equal(await leases.take(job, 'b', { now: at(5), forMs: 10_000 }), false);
      assert.equal(await leases.take(job, 'a', { now: at(8), forMs: 10_000 }), true);
      assert.equal(await leases.take(job, 'b', { now: at(12), forMs: 10_000 }), false, 'renewed');
    });

    it('another owner takes over a lease that ran out', async () => {
      assert.equal(await leases.take(job, 'a', { now: at(0), forMs: 10_000 }), true);
      assert.equal(await leases.take(job, 'b', { now: at(10), forMs: 10_000 }), true);
      assert.equal(await leases.take(job, 'a', { now: at(11), forMs: 10_000 }), false);
    });

    it('owners racing for a free lease: exactly one gets it', async () => {
      const owners = Array.from({ length: 8 }, (_, i) => `owner-${i}`);
      const taken = await Promise.all(
        owners.map((o) => leases.take(job, o, { now: at(0), forMs: 10_000 })),
      );
      assert.equal(taken.filter(Boolean).length, 1);
    });

    it('jobs are leased each on their own', async () => {
      assert.equal(await leases.take(job, 'a', { now: at(0), forMs: 10_000 }), true);
      assert.equal(await leases.take(`${job}-other`, 'b', { now: at(0), forMs: 10_000 }), true);
    });
  });
}
