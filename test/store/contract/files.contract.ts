import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  FileMissingError,
  FileRejectedError,
  FileRejectionReason,
  FileStore,
} from '../../../src/store/fileStore';
import { sanitizeFileName } from '../../../src/store/fileNames';

export const MB = 1024 * 1024;
export const uploader = {
  uploaderId: '00000000-0000-0000-0000-00000000a11c',
  originalName: 'invoice.pdf',
};

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export function pdfBytes(size: number): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
}

/** A PDF of `totalBytes`, produced 64 KB at a time; `pulledBytes` says how much was read. */
export function lazyPdf(totalBytes: number): {
  source: AsyncIterable<Uint8Array>;
  pulledBytes(): number;
} {
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

export async function assertRejected(
  promise: Promise<unknown>,
  reason: FileRejectionReason,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof FileRejectedError, `expected FileRejectedError, got ${error}`);
    assert.equal(error.reason, reason);
    return true;
  });
}

/**
 * What every FileStore does; `make` gives the implementation under test, refusing files over 1 MB,
 * with the test's own container (every blob name below is used once).
 */
export function fileStoreContract(make: () => FileStore): void {
  describe('FileStore contract', () => {
    let store: FileStore;
    before(() => {
      store = make();
    });

    const exists = async (blobName: string): Promise<boolean> => {
      for await (const item of store.list(blobName)) if (item.blobName === blobName) return true;
      return false;
    };

    it('stores a PDF with its size, hash and type, and reads back identical bytes', async () => {
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
      assert.ok((await store.read(stored.blobName, MB)).equals(pdf));
    });

    it('takes text files by name and content: a CSV is text/csv', async () => {
      const csv = Buffer.from('name;value\nleads;12\n');
      const stored = await store.put('claims/CLM-0001/metrics.csv', Readable.from([csv]), {
        ...uploader,
        originalName: 'metrics.csv',
      });
      assert.equal(stored.contentType, 'text/csv; charset=utf-8');
      assert.equal(stored.size, csv.length);
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

    it('aborts a file over the limit while streaming, leaves no blob and stops reading', async () => {
      const threeMegabytes = lazyPdf(3 * MB);
      await assertRejected(
        store.put('claims/huge.pdf', threeMegabytes.source, uploader),
        'tooLarge',
      );
      assert.equal(await exists('claims/huge.pdf'), false);
      // Reading stops a few chunks after the limit instead of after the whole file.
      const pulled = threeMegabytes.pulledBytes();
      assert.ok(pulled <= 1 * MB + 256 * 1024, `read ${pulled} bytes`);
    });

    it('an upload that fails while streaming removes the blob it was to replace', async () => {
      const blobName = 'claims/CLM-0004/replaced.pdf';
      await store.put(blobName, Readable.from([pdfBytes(1000)]), uploader);
      await assertRejected(store.put(blobName, lazyPdf(2 * MB).source, uploader), 'tooLarge');
      assert.equal(await exists(blobName), false);
    });

    it('refuses ELF bytes named .pdf and leaves no blob', async () => {
      const elf = Buffer.concat([
        Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
        randomBytes(5000),
      ]);
      await assertRejected(
        store.put('claims/evil.pdf', Readable.from([elf]), {
          ...uploader,
          originalName: 'evil.pdf',
        }),
        'typeNotAllowed',
      );
      assert.equal(await exists('claims/evil.pdf'), false);
    });

    it('refuses a legacy Office file', async () => {
      const ole = Buffer.concat([
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
        randomBytes(2000),
      ]);
      await assertRejected(
        store.put('claims/old.doc', Readable.from([ole]), { ...uploader, originalName: 'old.doc' }),
        'legacyOffice',
      );
      assert.equal(await exists('claims/old.doc'), false);
    });

    it('refuses a .csv that turns out not to be text after the sniffed head', async () => {
      const csv = Buffer.concat([Buffer.from('a;b\n'.repeat(5000)), Buffer.from([0, 1, 2])]);
      await assertRejected(
        store.put('claims/data.csv', Readable.from([csv]), {
          ...uploader,
          originalName: 'data.csv',
        }),
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
    });

    it('deletes a blob, and deleting a missing blob is no error', async () => {
      await store.put('claims/delete-me.pdf', Readable.from([pdfBytes(1000)]), uploader);
      assert.equal(await exists('claims/delete-me.pdf'), true);
      await store.delete('claims/delete-me.pdf');
      assert.equal(await exists('claims/delete-me.pdf'), false);
      await assert.rejects(store.read('claims/delete-me.pdf', MB), FileMissingError);
      await store.delete('claims/delete-me.pdf');
    });

    it('lists blobs by prefix, by name, with their creation time', async () => {
      const before = Date.now() - 60_000;
      for (const name of ['list/a/2.pdf', 'list/a/1.pdf', 'list/b/1.pdf']) {
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

    it('hands out a read URL naming the blob', async () => {
      const blobName = 'claims/CLM-0005/proof of execution.pdf';
      await store.put(blobName, Readable.from([pdfBytes(1000)]), uploader);
      const url = new URL(await store.readUrl(blobName, 60));
      assert.ok(
        decodeURIComponent(url.pathname).endsWith(`/${blobName}`),
        `${url.pathname} names ${blobName}`,
      );
    });

    it('signs a read URL and says when it expires (within its lifetime)', async () => {
      const blobName = 'claims/CLM-0005/signed.pdf';
      await store.put(blobName, Readable.from([pdfBytes(1000)]), uploader);
      const url = new URL(await store.readUrl(blobName, 60));
      assert.ok(url.searchParams.get('sig'), `${url.search} is signed`);
      const expires = Date.parse(url.searchParams.get('se') ?? '');
      assert.ok(expires > Date.now() && expires <= Date.now() + 61_000, url.search);
    });

    it('pings reachable storage', async () => {
      await store.ping();
    });
  });
}
