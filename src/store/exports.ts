import type { Readable } from 'node:stream';

/**
 * Port for exports: archives and workbooks the bot makes from stored claims, streamed from the
 * documents into their own container (see blobFileStore.ts for both ends) and handed out as
 * expiring read links. Exports are copies: the lifecycle rules of the Azure template remove them.
 */
export interface ExportStore {
  /** A stored claim document's bytes, as they download. */
  openDocument(blobName: string): Promise<NodeJS.ReadableStream>;
  /** Streams `source` into the export `blobName`, downloaded as `fileName`; its size in bytes. */
  save(
    blobName: string,
    source: Readable,
    file: { readonly contentType: string; readonly fileName: string },
  ): Promise<number>;
  /** A short-lived, read-only URL for an export. */
  readUrl(blobName: string, ttlSeconds: number): Promise<string>;
}

interface Documents {
  openRead(blobName: string): Promise<NodeJS.ReadableStream>;
}
interface Exports {
  write: ExportStore['save'];
  readUrl: ExportStore['readUrl'];
}

/** Exports read from the documents' store and written to a store of their own. */
export const exportStore = (documents: Documents, exports: Exports): ExportStore => ({
  openDocument: (blobName) => documents.openRead(blobName),
  save: (blobName, source, file) => exports.write(blobName, source, file),
  readUrl: (blobName, ttlSeconds) => exports.readUrl(blobName, ttlSeconds),
});

/** The container exports are kept in, beside the documents' own. */
export const exportContainerOf = (documentsContainer: string): string =>
  `${documentsContainer}-exports`.slice(0, 63);
