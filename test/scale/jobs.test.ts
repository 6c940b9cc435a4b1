import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Notifications, SWEEP_JOB } from '../../src/notify/notifications';
import type { Messenger } from '../../src/notify/messenger';
import type { ClaimKey } from '../../src/store/claims';
import { MemoryClaimRepository } from '../../src/store/memory/claims';
import { MemoryConversationRepository } from '../../src/store/memory/conversations';
import { MemoryFundRepository } from '../../src/store/memory/funds';
import { MemoryJobLeases } from '../../src/store/memory/jobLeases';
import { sleep } from '../notify/helpers';

/** Counts the sweeps (each starts with the query for undelivered notifications). */
class CountingClaims extends MemoryClaimRepository {
  sweeps = 0;

  override async withOpenNotifications(recipient?: {
    tenantId: string;
    userId: string;
  }): Promise<ClaimKey[]> {
    if (!recipient) this.sweeps += 1;
    return super.withOpenNotifications(recipient);
  }
}

const SWEEP_EVERY_MS = 40;

/** Periodic jobs run once however many instances run (issue 23). */
describe('scale: the periodic sweep runs on one instance at a time', () => {
  const instance = (claims: CountingClaims, leases: MemoryJobLeases) =>
    new Notifications({
      claims,
      conversations: new MemoryConversationRepository(),
      messenger: {} as Messenger,
      render: () => ({ type: 'AdaptiveCard' }) as never,
      fallbackText: () => '',
      renderClaimFor: async () => ({ type: 'AdaptiveCard' }) as never,
      mayReceive: async () => true,
      instanceId: randomUUID(),
      leases,
    });

  it('three instances sharing the lease: each sweeps at start, then only the holder sweeps; another takes over when it stops', async () => {
    const leases = new MemoryJobLeases();
    const counted = [0, 1, 2].map(() => new CountingClaims({ funds: new MemoryFundRepository() }));
    const instances = counted.map((c) => instance(c, leases));
    try {
      instances.forEach((n) => n.start(SWEEP_EVERY_MS));
      await sleep(SWEEP_EVERY_MS * 10);
      const sweeps = counted.map((c) => c.sweeps);
      assert.deepEqual(
        sweeps.map((n) => n > 1),
        sweeps.map((n) => n === Math.max(...sweeps)),
        `only the holder sweeps after the start-up sweep: ${JSON.stringify(sweeps)}`,
      );
      assert.equal(sweeps.filter((n) => n > 1).length, 1, JSON.stringify(sweeps));
      assert.ok(Math.max(...sweeps) >= 5, JSON.stringify(sweeps));
      const holder = sweeps.findIndex((n) => n > 1);
      await instances[holder].stop();
      const before = counted.map((c) => c.sweeps);
      await sleep(SWEEP_EVERY_MS * 10);
      const after = counted.map((c, i) => c.sweeps - before[i]);
      assert.equal(after[holder], 0);
      assert.equal(after.filter((n) => n > 0).length, 1, `one took over: ${JSON.stringify(after)}`);
    } finally {
      await Promise.all(instances.map((n) => n.stop()));
    }
  });

  it('the lease names the job', async () => {
    const leases = new MemoryJobLeases();
    assert.equal(await leases.take(SWEEP_JOB, 'x', { now: new Date(), forMs: 1000 }), true);
    const held = instance(new CountingClaims({ funds: new MemoryFundRepository() }), leases);
    const claims = new CountingClaims({ funds: new MemoryFundRepository() });
    const other = instance(claims, leases);
    other.start(SWEEP_EVERY_MS);
    await sleep(SWEEP_EVERY_MS * 5);
    await Promise.all([held.stop(), other.stop()]);
    assert.equal(claims.sweeps, 1, 'the start-up sweep only: another instance holds the lease');
  });
});
