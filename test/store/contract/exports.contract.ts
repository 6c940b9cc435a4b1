import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { FileMissingError, FileStore } from '../../../src/store/fileStore';
import type { ExportStore } from '../../../src/store/exports';
import { pdfBytes, uploader } from './files.contract';

export interface ExportStoreUnderTest {
  /** Where claim documents are stored. */
  readonly documents: FileStore;
  readonly exports: ExportStore;
}

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** What an export needs of storage (issue 19): documents read as they stream, archives written. */
export function exportStoreContract(make: () => ExportStoreUnderTest): void {
  describe('ExportStore contract', () => {
    it('reads a stored document back byte for byte, as a stream', async () => {
      const { documents, exports } = make();
      const bytes = pdfBytes(40_000);
      await documents.put('t/CLM-0001/d1/a.pdf', Readable.from([bytes]), uploader);
      assert.deepEqual(await bytesOf(await exports.openDocument('t/CLM-0001/d1/a.pdf')), bytes);
    });

    it('says a document gone from storage as FileMissingError', async () => {
      const { exports } = make();
      await assert.rejects(exports.openDocument('t/CLM-0001/gone/b.pdf'), FileMissingError);
    });

    it('saves an archive as it streams, with its size, and gives a link to it', async () => {
      const { exports } = make();
      const parts = [Buffer.alloc(70_000, 1), Buffer.alloc(30_000, 2)];
      const size = await exports.save('t/CLM-0001/x.zip', Readable.from(parts), {
        contentType: 'application/zip',
        fileName: 'CLM-0001.zip',
      });
      assert.equal(size, 100_000);
      const url = await exports.readUrl('t/CLM-0001/x.zip', 60);
      assert.match(url, /CLM-0001\/x\.zip/);
    });
  });
}
