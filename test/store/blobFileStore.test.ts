import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContainerClient } from '@azure/storage-blob';
import { AzuriteHandle, startAzurite } from '../../src/local/azurite';
import { BlobFileStore } from '../../src/store/blobFileStore';
import {
  FileMissingError,
  FileRejectedError,
  FileRejectionReason,
  sanitizeFileName,
} from '../../src/store/fileStore';

const MB = 1024 * 1024;
const uploader = {
  uploaderId: '00000000-0000-0000-0000-00000000a11c',
  originalName: 'invoice.pdf',
};

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

function pdfBytes(size: number): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
}

/** A PDF of `totalBytes`, produced 64 KB at a time; `pulledBytes` says how much was read. */
function lazyPdf(totalBytes: number): { source: AsyncIterable<Uint8Array>; pulledBytes(): number } {
  const chunkBytes = 64 * 1024;
  let pulled = 0;
  async function* generate(): AsyncGenerator<Uint8Array> {
    const chunk = Buffer.alloc(chunkBytes, 0x20);
    while (pulled < totalBytes) {
      const bytes =
        pulled === 0 ? Buffer.concat([Buffer.from('%PDF-1.7\n'), chunk.subarray(9)]) : chunk;
      pulled += bytes.length;
      yield bytes;
    }
  }
  return { source: generate(), pulledBytes: () => pulled };
}

async function assertRejected(
  promise: Promise<unknown>,
  reason: FileRejectionReason,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof FileRejectedError, `expected FileRejectedError, got ${error}`);
    assert.equal(error.reason, reason);
    return true;
  });
}

describe('BlobFileStore on Azurite', function () {
  this.timeout(20_000);

  let azurite: AzuriteHandle;
  let store: BlobFileStore;
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
    container = new ContainerClient(azurite.connectionString, containerName);
  });

  after(async () => {
    await azurite?.stop();
  });

  const exists = (blobName: string): Promise<boolean> => container.getBlobClient(blobName).exists();

  it('stores a PDF and serves identical bytes through a read URL', async () => {
    const pdf = pdfBytes(300 * 1024);
    const stored = await store.put(
      'claims/CLM-0001/invoice.pdf',
      Readable.from([pdf.subarray(0, 1000), pdf.subarray(1000, 200_000), pdf.subarray(200_000)]),
      { uploaderId: uploader.uploaderId, originalName: 'Factuur café.pdf' },
    );
    assert.deepEqual(stored, {
      blobName: 'claims/CLM-0001/invoice.pdf',
      size: pdf.length,
      sha256: sha256(pdf),
      contentType: 'application/pdf',
    });

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

  it("reads a blob's bytes for the bot's own work, and refuses one over the limit", async () => {
    const pdf = pdfBytes(200 * 1024);
    const stored = await store.put('claims/CLM-0003/read-me.pdf', Readable.from([pdf]), uploader);
    assert.ok((await store.read(stored.blobName, pdf.length)).equals(pdf));
    await assertRejected(store.read(stored.blobName, pdf.length - 1), 'tooLarge');
    await assert.rejects(store.read('claims/CLM-0003/gone.pdf', MB), FileMissingError);
  });

  it('refuses an empty file and leaves no blob', async () => {
    await assertRejected(store.put('claims/empty.pdf', Readable.from([]), uploader), 'empty');
    await assertRejected(
      store.put('claims/empty.pdf', Readable.from([Buffer.alloc(0)]), uploader),
      'empty',
    );
    assert.equal(await exists('claims/empty.pdf'), false);
  });

  it('aborts a file over maxBytes while streaming, leaves no blob and stops reading', async () => {
    const threeMegabytes = lazyPdf(3 * MB);
    await assertRejected(store.put('claims/huge.pdf', threeMegabytes.source, uploader), 'tooLarge');
    assert.equal(await exists('claims/huge.pdf'), false);
    // Reading stops a few chunks after the limit instead of after the whole file.
    const pulled = threeMegabytes.pulledBytes();
    assert.ok(pulled <= 1 * MB + 256 * 1024, `read ${pulled} bytes`);
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

  it('refuses ELF bytes named .pdf and leaves no blob', async () => {
    const elf = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
      randomBytes(5000),
    ]);
    await assertRejected(
      store.put('claims/evil.pdf', Readable.from([elf]), { ...uploader, originalName: 'evil.pdf' }),
      'typeNotAllowed',
    );
    assert.equal(await exists('claims/evil.pdf'), false);
  });

  it('refuses a .csv that turns out not to be text after the sniffed head', async () => {
    const csv = Buffer.concat([Buffer.from('a;b\n'.repeat(5000)), Buffer.from([0, 1, 2])]);
    await assertRejected(
      store.put('claims/data.csv', Readable.from([csv]), { ...uploader, originalName: 'data.csv' }),
      'typeNotAllowed',
    );
    assert.equal(await exists('claims/data.csv'), false);
  });

  it('stores a path-traversal name under its sanitized name only', async () => {
    const originalName = '..\\..\\..\\etc/../../secret report.pdf';
    const blobName = `claims/CLM-0002/${sanitizeFileName(originalName)}`;
    assert.equal(blobName, 'claims/CLM-0002/secret report.pdf');
    await store.put(blobName, Readable.from([pdfBytes(2000)]), { ...uploader, originalName });
    const names: string[] = [];
    for await (const item of store.list('claims/CLM-0002/')) names.push(item.blobName);
    assert.deepEqual(names, ['claims/CLM-0002/secret report.pdf']);
    const response = await fetch(await store.readUrl(blobName, 60));
    assert.match(
      response.headers.get('content-disposition') ?? '',
      /filename="secret report\.pdf"/,
    );
    await response.arrayBuffer();
  });

  it('deletes a blob, and deleting a missing blob is no error', async () => {
    await store.put('claims/delete-me.pdf', Readable.from([pdfBytes(1000)]), uploader);
    assert.equal(await exists('claims/delete-me.pdf'), true);
    await store.delete('claims/delete-me.pdf');
    assert.equal(await exists('claims/delete-me.pdf'), false);
    await store.delete('claims/delete-me.pdf');
  });

  it('lists blobs by prefix with their creation time', async () => {
    const before = Date.now() - 60_000;
    for (const name of ['list/a/1.pdf', 'list/a/2.pdf', 'list/b/1.pdf']) {
      await store.put(name, Readable.from([pdfBytes(1000)]), uploader);
    }
    const listed: { blobName: string; createdOn: Date }[] = [];
    for await (const item of store.list('list/a/')) listed.push(item);
    assert.deepEqual(
      listed.map((item) => item.blobName),
      ['list/a/1.pdf', 'list/a/2.pdf'],
    );
    for (const item of listed) {
      assert.ok(item.createdOn instanceof Date && item.createdOn.getTime() > before);
    }
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
