import assert from 'node:assert/strict';
import type { Container } from '@azure/cosmos';
import { updateDoc } from '../../src/store/cosmos';

/**
 * A change written with its applied-activity marker in one batch, from a version that is no longer
 * stored: Azure rolls the batch back (the marker's create answers 424), the local emulator keeps
 * the marker it created before the conflict. Only a kept marker is deleted before the change is
 * tried again: on Azure a stale version costs the failed batch, a read and the batch, as a plain
 * replace did before the marker.
 */

interface Doc {
  readonly id: string;
  readonly tenantId: string;
  readonly n: number;
}

/** A container that answers the batches as scripted and counts every request. */
function scriptedContainer(batchAnswers: number[][]) {
  const calls = { batch: 0, read: 0, delete: 0 };
  const stored: Doc = { id: 'CLM-0001', tenantId: 't1', n: 2 };
  const container = {
    items: {
      batch: () => {
        calls.batch++;
        const answer = batchAnswers.shift() ?? [201, 200];
        return Promise.resolve({
          result: answer.map((statusCode, i) => ({ statusCode, eTag: `e${calls.batch}-${i}` })),
        });
      },
    },
    item: () => ({
      read: () => {
        calls.read++;
        return Promise.resolve({ resource: { ...stored, _etag: 'e-stored' }, etag: 'e-stored' });
      },
      delete: () => {
        calls.delete++;
        return Promise.resolve({});
      },
    }),
  } as unknown as Container;
  return { container, calls };
}

const staleWrite = (container: Container) =>
  updateDoc<Doc>(container, 't1', 'CLM-0001', (doc) => doc && { ...doc, n: doc.n + 1 }, {
    recent: { doc: { id: 'CLM-0001', tenantId: 't1', n: 1 }, etag: 'e-old' },
    marker: { id: 'CLM-0001.aabc', tenantId: 't1' },
  });

describe('A batched write from a stale version (marker and claim in one batch)', () => {
  it('on a store that rolled the batch back, reads and writes again without deleting the marker', async () => {
    const { container, calls } = scriptedContainer([[424, 412]]);
    const saved = await staleWrite(container);
    assert.equal(saved?.n, 3, 'the change is made on the stored version');
    assert.deepEqual(calls, { batch: 2, read: 1, delete: 0 });
  });

  it('on a store that kept the marker (the local emulator), deletes it before writing again', async () => {
    const { container, calls } = scriptedContainer([[201, 412]]);
    const saved = await staleWrite(container);
    assert.equal(saved?.n, 3);
    assert.deepEqual(calls, { batch: 2, read: 1, delete: 1 });
  });
});
