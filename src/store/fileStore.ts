/** Port for stored claim documents. Adapters live next to it (see blobFileStore.ts). */

export interface StoredFile {
  blobName: string;
  size: number;
  sha256: string;
  contentType: string;
}

export interface FileStore {
  /**
   * Streams `source` into storage under blobName; computes size and SHA-256 on the way; enforces
   * maxBytes WHILE streaming (abort, delete any partial blob, throw FileRejectedError code
   * 'tooLarge'); sniffs the leading bytes and refuses types not allowed ('typeNotAllowed'), empty
   * files ('empty'). Metadata: uploader, sha256, originalName.
   *
   * Use a fresh blobName for every upload: an existing blob of that name is replaced, and removed
   * if the upload fails.
   */
  put(
    blobName: string,
    source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
    meta: { uploaderId: string; originalName: string },
  ): Promise<StoredFile>;
  /**
   * The blob's bytes when it holds at most maxBytes (else FileRejectedError 'tooLarge', read no
   * further; FileMissingError when there is no such blob); for the bot's own work on a file, such
   * as reading an invoice's total.
   */
  read(blobName: string, maxBytes: number): Promise<Buffer>;
  /** A short-lived, read-only URL for the blob. */
  readUrl(blobName: string, ttlSeconds: number): Promise<string>;
  /** No error if the blob does not exist. */
  delete(blobName: string): Promise<void>;
  list(prefix: string): AsyncIterable<{ blobName: string; createdOn: Date }>;
  /** Throws if storage is unreachable (for /readyz). */
  ping(): Promise<void>;
}

export type FileRejectionReason =
  | 'tooLarge'
  | 'typeNotAllowed'
  | 'empty'
  | 'downloadFailed'
  | 'hostNotAllowed'
  | 'legacyOffice';

const DEFAULT_REJECTION_MESSAGES: Record<FileRejectionReason, string> = {
  tooLarge: 'The file is larger than allowed.',
  typeNotAllowed: 'This type of file is not allowed.',
  empty: 'The file is empty.',
  downloadFailed: 'The file could not be downloaded.',
  hostNotAllowed: 'The file location is not allowed.',
  legacyOffice: 'Legacy Office files (.doc, .xls, .ppt) are not accepted: they can carry macros.',
};

/** The blob is not (or no longer) in storage: nothing to read, now or later. */
export class FileMissingError extends Error {
  constructor(readonly blobName: string) {
    super(`no blob ${blobName}`);
    this.name = 'FileMissingError';
  }
}

/** A file refused for a reason the user can act on; anything else is an infrastructure error. */
export class FileRejectedError extends Error {
  constructor(
    readonly reason: FileRejectionReason,
    message: string = DEFAULT_REJECTION_MESSAGES[reason],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'FileRejectedError';
  }
}
