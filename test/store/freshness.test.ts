import assert from 'node:assert/strict';
import { ConsistentReads, readingSince } from '../../src/store/freshness';
import { StampKind, StampedCache, Stamps, TenantStamps } from '../../src/store/tenantStamps';

/** A database value read by `load`, with a count of the reads; each read takes a few ms. */
function source(): { load: () => Promise<number>; reads: () => number; set: (v: number) => void } {
  let value = 1;
  let reads = 0;
  return {
    load: async () => {
      reads++;
      const seen = value;
      await new Promise((r) => setTimeout(r, 5));
      return seen;
    },
    reads: () => reads,
    set: (v) => (value = v),
  };
}

describe('store/freshness: reads as fresh as the turn needs (issue 23)', () => {
  it('a turn gets a kept value only if its read started after the turn arrived', async () => {
    const reads = new ConsistentReads<number>();
    const db = source();
    assert.equal(await readingSince(performance.now(), () => reads.read('k', db.load)), 1);
    db.set(2);
    const arrived = performance.now();
    assert.equal(await readingSince(arrived, () => reads.read('k', db.load)), 2, 'read again');
    assert.equal(db.reads(), 2);
    assert.equal(await readingSince(arrived, () => reads.read('k', db.load)), 2);
    assert.equal(db.reads(), 2, 'a later call of the same turn shares the read');
    assert.equal(await readingSince(arrived - 60_000, () => reads.read('k', db.load)), 2);
    assert.equal(db.reads(), 2, 'a turn that allows older values is served the kept one');
  });

  it('calls at once share reads: at most two in flight per key, each started after its caller', async () => {
    const reads = new ConsistentReads<number>();
    const db = source();
    const values = await Promise.all(Array.from({ length: 20 }, () => reads.read('k', db.load)));
    assert.deepEqual(new Set(values), new Set([1]));
    assert.equal(db.reads(), 2, 'the first caller reads; the 19 after it share the next read');
    const first = reads.read('k', db.load);
    db.set(3);
    const later = await Promise.all(Array.from({ length: 10 }, () => reads.read('k', db.load)));
    assert.equal(await first, 1, 'the read under way saw the old value');
    assert.deepEqual(new Set(later), new Set([3]), 'calls after the change wait for the next read');
    assert.equal(db.reads(), 4);
  });

  it('a value this process wrote serves turns that arrived before the write started, not after', async () => {
    const reads = new ConsistentReads<number>();
    const db = source();
    const arrived = performance.now();
    await readingSince(arrived, () => reads.read('k', db.load));
    const writeStarted = performance.now();
    db.set(4);
    reads.offer('k', 4, writeStarted);
    assert.equal(await readingSince(arrived, () => reads.read('k', db.load)), 4);
    assert.equal(db.reads(), 1, 'its own write, without a read');
    db.set(5);
    assert.equal(await readingSince(performance.now(), () => reads.read('k', db.load)), 5);
    assert.equal(db.reads(), 2, 'a turn after the write reads');
  });

  it('a failed read is not kept', async () => {
    const reads = new ConsistentReads<number>();
    await assert.rejects(
      reads.read('k', () => Promise.reject(new Error('503'))),
      /503/,
    );
    assert.equal(await readingSince(0, () => reads.read('k', () => Promise.resolve(7))), 7);
  });
});

describe('store/tenantStamps: copies kept while the tenant stamp stays', () => {
  class Stamped implements TenantStamps {
    readonly counts: Record<StampKind, number> = { roles: 0, funds: 0, invoiceKeys: 0 };
    stamps(): Promise<Stamps> {
      return Promise.resolve({ ...this.counts });
    }
    bump(_tenantId: string, kind: StampKind): Promise<number> {
      return Promise.resolve(++this.counts[kind]);
    }
  }

  it('reads again after a bump of its kind only', async () => {
    const stamps = new Stamped();
    const cache = new StampedCache<number>({ stamps, kind: 'roles' });
    const db = source();
    assert.equal(await cache.get('t', 'u', db.load), 1);
    assert.equal(await cache.get('t', 'u', db.load), 1);
    assert.equal(db.reads(), 1);
    await stamps.bump('t', 'funds');
    await cache.get('t', 'u', db.load);
    assert.equal(db.reads(), 1, 'a funds change keeps roles');
    db.set(2);
    await stamps.bump('t', 'roles');
    assert.equal(await cache.get('t', 'u', db.load), 2);
    assert.equal(db.reads(), 2);
  });
});
