import assert from 'node:assert/strict';
import { GroupedChanges } from '../../src/store/groupedChanges';

/** A document store of numbers lists, one write at a time per key, counting its writes. */
function store() {
  const docs = new Map<string, number[]>();
  const tails = new Map<string, Promise<void>>();
  let writes = 0;
  const grouped = new GroupedChanges<number[]>(
    async (key, apply) => {
      await new Promise((r) => setTimeout(r, 5));
      const next = apply(docs.get(key) ?? []);
      if (next) {
        docs.set(key, next);
        writes += 1;
      }
      return docs.get(key) ?? [];
    },
    (key, work) => {
      const tail = (tails.get(key) ?? Promise.resolve()).then(work);
      tails.set(key, tail);
    },
  );
  return { grouped, docs, writes: () => writes };
}

describe('store: changes of one document written together (group commit)', () => {
  it('twenty changes at once cost two writes, applied in the order they came', async () => {
    const s = store();
    const first = s.grouped.change('t', (doc) => [...doc, 0]);
    await new Promise((r) => setImmediate(r)); // its write is under way
    const saved = await Promise.all([
      first,
      ...Array.from({ length: 19 }, (_, i) => s.grouped.change('t', (doc) => [...doc, i + 1])),
    ]);
    assert.deepEqual(
      s.docs.get('t'),
      Array.from({ length: 20 }, (_, i) => i),
    );
    assert.equal(s.writes(), 2, 'the first alone, the other nineteen together');
    assert.deepEqual(saved.at(-1), s.docs.get('t'));
  });

  it('a refused change is answered with its error; the others of its group are written', async () => {
    const s = store();
    const results = await Promise.allSettled([
      s.grouped.change('t', (doc) => [...doc, 1]),
      s.grouped.change('t', (doc) => [...doc, 2]),
      s.grouped.change('t', () => {
        throw new Error('does not fit');
      }),
      s.grouped.change('t', (doc) => [...doc, 4]),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((results[2] as PromiseRejectedResult).reason), /does not fit/);
    assert.deepEqual(s.docs.get('t'), [1, 2, 4]);
  });

  it('keys do not wait for each other, and a change that changes nothing writes nothing', async () => {
    const s = store();
    await Promise.all([
      s.grouped.change('a', (doc) => [...doc, 1]),
      s.grouped.change('b', (doc) => [...doc, 2]),
      s.grouped.change('b', () => undefined),
    ]);
    assert.deepEqual([s.docs.get('a'), s.docs.get('b')], [[1], [2]]);
    assert.equal(s.writes(), 2);
  });
});
