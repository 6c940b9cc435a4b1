import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContainerClient } from '@azure/storage-blob';
import { AzuriteHandle, startAzurite } from '../../src/local/azurite';
import { BlobFileStore } from '../../src/store/blobFileStore';
import { exportStore } from '../../src/store/exports';
import { sanitizeFileName } from '../../src/store/fileNames';
import { exportStoreContract } from './contract/exports.contract';
import {
  MB,
  fileStoreContract,
  lazyPdf,
  pdfBytes,
  sha256,
  uploader,
} from './contract/files.contract';

describe('BlobFileStore on Azurite', function () {
  this.timeout(20_000);

  let azurite: AzuriteHandle;
  let store: BlobFileStore;
  /** Where exports go: a container of their own, as the app keeps them. */
  let exportsStore: BlobFileStore;
  let container: ContainerClient;

  before(async () => {
    azurite = await startAzurite({});
    const containerName = `test-${randomUUID()}`;
    store = new BlobFileStore({
      connection: { connectionString: azurite.connectionString },
      containerName,
      maxBytes: 1 * MB,
    });
    await store.init();
    await store.init(); // idempotent
    exportsStore = new BlobFileStore({
      connection: { connectionString: azurite.connectionString },
      containerName: `${containerName}-exports`,
      maxBytes: 1 * MB,
    });
    await exportsStore.init();
    container = new ContainerClient(azurite.connectionString, containerName);
  });

  after(async () => {
    await azurite?.stop();
  });

  fileStoreContract(() => store);
  exportStoreContract(() => ({ documents: store, exports: exportStore(store, exportsStore) }));

  it('serves a stored PDF through a read URL, with its type, name and metadata', async () => {
    const pdf = pdfBytes(300 * 1024);
    const stored = await store.put(
      'served/CLM-0001/invoice.pdf',
      Readable.from([pdf.subarray(0, 1000), pdf.subarray(1000, 200_000), pdf.subarray(200_000)]),
      { uploaderId: uploader.uploaderId, originalName: 'Factuur café.pdf' },
    );
    const url = await store.readUrl(stored.blobName, 60);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/test-.*\?.*sig=/);
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.match(
      response.headers.get('content-disposition') ?? '',
      /^inline; filename="Factuur caf_\.pdf"/,
    );
    const downloaded = Buffer.from(await response.arrayBuffer());
    assert.ok(downloaded.equals(pdf));
    assert.equal(sha256(downloaded), stored.sha256);

    const { metadata } = await container.getBlobClient(stored.blobName).getProperties();
    assert.equal(metadata?.sha256, stored.sha256);
    assert.equal(decodeURIComponent(metadata?.uploaderid ?? ''), uploader.uploaderId);
    assert.equal(decodeURIComponent(metadata?.originalname ?? ''), 'Factuur café.pdf');
  });

  it('keeps memory flat for a large accepted file', async function () {
    const roomy = new BlobFileStore({
      connection: { connectionString: azurite.connectionString },
      containerName: container.containerName,
      maxBytes: 64 * MB,
    });
    const file = lazyPdf(48 * MB);
    let peakArrayBuffers = 0;
    const sampling = setInterval(() => {
      peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers);
    }, 5);
    const arrayBuffersBefore = process.memoryUsage().arrayBuffers;
    try {
      const stored = await roomy.put('claims/large.pdf', file.source, uploader);
      assert.equal(stored.size, 48 * MB);
    } finally {
      clearInterval(sampling);
    }
    // 4 buffers of 4 MB plus the requests in flight; far below the 48 MB of the file.
    const growth = peakArrayBuffers - arrayBuffersBefore;
    assert.ok(growth < 32 * MB, `array buffers grew ${Math.round(growth / MB)} MB`);
    await roomy.delete('claims/large.pdf');
  });

  it('serves a sanitized name in the download header', async () => {
    const originalName = '..\\..\\..\\etc/../../secret report.pdf';
    const blobName = `served/CLM-0002/${sanitizeFileName(originalName)}`;
    await store.put(blobName, Readable.from([pdfBytes(2000)]), { ...uploader, originalName });
    const response = await fetch(await store.readUrl(blobName, 60));
    assert.match(
      response.headers.get('content-disposition') ?? '',
      /filename="secret report\.pdf"/,
    );
    await response.arrayBuffer();
  });

  it('pings reachable storage and fails fast on unreachable storage', async () => {
    await store.ping();
    const unreachable = new BlobFileStore({
      connection: {
        connectionString: azurite.connectionString.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:9'),
      },
      containerName: container.containerName,
      maxBytes: MB,
    });
    const started = Date.now();
    await assert.rejects(unreachable.ping());
    assert.ok(Date.now() - started < 2000);
  });

  it('hands out a read URL again while two thirds of its lifetime are left, then signs anew', async () => {
    const blobName = 'claims/reused.pdf';
    await store.put(blobName, Readable.from([pdfBytes(1000)]), uploader);
    const first = await store.readUrl(blobName, 3);
    assert.equal(await store.readUrl(blobName, 3), first);
    assert.notEqual(await store.readUrl(blobName, 60), first, 'a longer lifetime is signed apart');
    await sleep(2100);
    const later = await store.readUrl(blobName, 3);
    assert.notEqual(later, first);
    const response = await fetch(later);
    assert.equal(response.status, 200);
    await response.arrayBuffer();
  });

  it('signs read URLs that cannot write and expire after their TTL', async () => {
    const blobName = 'claims/sas.pdf';
    const pdf = pdfBytes(1000);
    await store.put(blobName, Readable.from([pdf]), uploader);
    const shortLived = await store.readUrl(blobName, 1);
    const longLived = await store.readUrl(blobName, 60);

    const overwrite = await fetch(longLived, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'application/pdf' },
      body: 'overwritten',
    });
    assert.equal(overwrite.status, 403);
    await overwrite.arrayBuffer();
    const removal = await fetch(longLived, { method: 'DELETE' });
    assert.equal(removal.status, 403);
    await removal.arrayBuffer();

    await sleep(2100);
    const expired = await fetch(shortLived);
    assert.equal(expired.status, 403);
    await expired.arrayBuffer();
    const stillValid = await fetch(longLived);
    assert.equal(stillValid.status, 200);
    assert.ok(Buffer.from(await stillValid.arrayBuffer()).equals(pdf));
  });
});
