import { createHash } from 'node:crypto';
import { FileRejectedError } from './fileStore';
import { isLegacyOffice, sniffContentType } from './fileTypes';

/** How many leading bytes judge a file's type. */
const SNIFF_HEAD_BYTES = 4096;

type ByteChunks = AsyncIterator<Uint8Array | string>;

function toBuffer(chunk: Uint8Array | string): Buffer {
  return typeof chunk === 'string'
    ? Buffer.from(chunk, 'utf8')
    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** At least the first `bytes` bytes (less if the source is shorter), as whole chunks. */
async function readHead(chunks: ByteChunks, bytes: number): Promise<Buffer> {
  const headChunks: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const next = await chunks.next();
    if (next.done) break;
    const chunk = toBuffer(next.value);
    headChunks.push(chunk);
    length += chunk.length;
  }
  return Buffer.concat(headChunks);
}

/** Size and SHA-256 of what went through `body`, final once it has ended. */
export interface StreamedTotals {
  size: number;
  sha256: string;
}

/** A file accepted by its leading bytes: its type, and its bytes checked on their way to storage. */
export interface CheckedUpload {
  readonly contentType: string;
  /** Throws FileRejectedError as soon as a chunk breaks a rule: the upload must be aborted. */
  readonly body: AsyncGenerator<Buffer>;
  readonly totals: StreamedTotals;
}

/**
 * The rules every file store applies to an upload: reads the leading bytes and refuses the file
 * before any upload starts, if it can (empty, too large, legacy Office, a type not allowed); the rest
 * is checked while streaming (size limit, text that stops being text), and hashed.
 */
export async function checkUpload(
  source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  originalName: string,
  maxBytes: number,
): Promise<CheckedUpload> {
  const chunks: ByteChunks = (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  try {
    const head = await readHead(chunks, SNIFF_HEAD_BYTES);
    if (head.length === 0) throw new FileRejectedError('empty');
    if (head.length > maxBytes) throw new FileRejectedError('tooLarge');
    if (isLegacyOffice(head, originalName)) throw new FileRejectedError('legacyOffice');
    const contentType = sniffContentType(head, originalName);
    if (contentType === undefined) throw new FileRejectedError('typeNotAllowed');
    const totals: StreamedTotals = { size: 0, sha256: '' };
    return {
      contentType,
      body: checkedChunks({ head, rest: chunks, contentType, totals, maxBytes }),
      totals,
    };
  } catch (error) {
    await chunks.return?.();
    throw error;
  }
}

/** Hashes, counts and checks every byte on its way to storage; throws to abort the upload. */
async function* checkedChunks(o: {
  head: Buffer;
  rest: ByteChunks;
  contentType: string;
  totals: StreamedTotals;
  maxBytes: number;
}): AsyncGenerator<Buffer> {
  const { head, rest, totals } = o;
  const hash = createHash('sha256');
  const textDecoder = o.contentType.startsWith('text/')
    ? new TextDecoder('utf-8', { fatal: true })
    : undefined;
  const check = (chunk: Buffer): void => {
    totals.size += chunk.length;
    if (totals.size > o.maxBytes) throw new FileRejectedError('tooLarge');
    if (textDecoder) {
      if (chunk.includes(0)) throw new FileRejectedError('typeNotAllowed');
      try {
        textDecoder.decode(chunk, { stream: true });
      } catch (error) {
        throw new FileRejectedError('typeNotAllowed', undefined, { cause: error });
      }
    }
    hash.update(chunk);
  };

  try {
    check(head);
    yield head;
    for (let next = await rest.next(); !next.done; next = await rest.next()) {
      const chunk = toBuffer(next.value);
      check(chunk);
      yield chunk;
    }
    try {
      textDecoder?.decode(); // a multi-byte character cut off at the very end
    } catch (error) {
      throw new FileRejectedError('typeNotAllowed', undefined, { cause: error });
    }
    totals.sha256 = hash.digest('hex');
  } finally {
    await rest.return?.();
  }
}
