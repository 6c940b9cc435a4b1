import { BlobServiceClient } from '@azure/storage-blob';
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLocalStack } from '../../src/local/stack';
import { cosmosRepositories } from '../../src/store/cosmosRepositories';
import { openCosmos } from '../../src/store/cosmos';

describe('local stack persistence', function () {
  this.timeout(60_000);
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'coop-local-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps Cosmos documents and blobs across a restart of the local stack', async () => {
    const first = await startLocalStack({ dataDir: dir });
    const db = await openCosmos({ ...first.cosmos, database: 'persist' });
    await cosmosRepositories(db).funds.create({
      id: 'f1',
      tenantId: 't1',
      name: 'Kept fund',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      allocated: { minor: 100, currency: 'EUR' },
      createdBy: { id: 'u', name: 'U' },
      createdAt: '2026-01-01T00:00:00Z',
    });
    const blobs = BlobServiceClient.fromConnectionString(first.storageConnectionString);
    await blobs.getContainerClient('keep').createIfNotExists();
    await blobs.getContainerClient('keep').getBlockBlobClient('a.txt').upload('hello', 5);
    db.close();
    await first.stop();

    const second = await startLocalStack({ dataDir: dir });
    try {
      const db2 = await openCosmos({ ...second.cosmos, database: 'persist' });
      const fund = await cosmosRepositories(db2).funds.get('t1', 'f1');
      assert.equal(fund?.name, 'Kept fund');
      const text = await BlobServiceClient.fromConnectionString(second.storageConnectionString)
        .getContainerClient('keep')
        .getBlockBlobClient('a.txt')
        .downloadToBuffer();
      assert.equal(text.toString(), 'hello');
      db2.close();
    } finally {
      await second.stop();
    }
  });

  it('keeps nothing in memory mode', async () => {
    const first = await startLocalStack({ dataDir: undefined });
    const db = await openCosmos({ ...first.cosmos, database: 'gone' });
    await cosmosRepositories(db).funds.create({
      id: 'f1',
      tenantId: 't1',
      name: 'Gone',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      allocated: { minor: 100, currency: 'EUR' },
      createdBy: { id: 'u', name: 'U' },
      createdAt: '2026-01-01T00:00:00Z',
    });
    db.close();
    await first.stop();
    const second = await startLocalStack({ dataDir: undefined });
    try {
      const db2 = await openCosmos({ ...second.cosmos, database: 'gone' });
      assert.equal(await cosmosRepositories(db2).funds.get('t1', 'f1'), undefined);
      db2.close();
    } finally {
      await second.stop();
    }
  });
});
