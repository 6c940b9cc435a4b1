import type { Readable } from 'node:stream';
import type { ExportStore } from '../src/store/exports';

/**
 * An export store that keeps what is written in memory, by blob name, so a test reads a workbook
 * back without Blob storage; its links lead nowhere.
 */
export function exportCapture(): { store: ExportStore; saved: Map<string, Buffer> } {
  const saved = new Map<string, Buffer>();
  const store: ExportStore = {
    openDocument: () => Promise.reject(new Error('no claim documents in an export capture')),
    save: async (blobName: string, source: Readable) => {
      const chunks: Buffer[] = [];
      for await (const chunk of source) chunks.push(Buffer.from(chunk as Buffer));
      const bytes = Buffer.concat(chunks);
      saved.set(blobName, bytes);
      return bytes.length;
    },
    readUrl: (blobName: string) => Promise.resolve(`https://exports.test/${blobName}?sig=t`),
  };
  return { store, saved };
}
