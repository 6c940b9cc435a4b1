import { Readable, Transform } from 'node:stream';
import type { TokenCredential } from '@azure/identity';
import {
  BlobSASPermissions,
  BlobServiceClient,
  ContainerClient,
  SASProtocol,
  StorageSharedKeyCredential,
  StoragePipelineOptions,
  UserDelegationKey,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import { checkUpload } from './fileChecks';
import { FileMissingError, FileRejectedError, FileStore, StoredFile } from './fileStore';
import { sanitizeFileName } from './fileNames';
import { BoundedMap } from '../domain/boundedMap';
import { log } from '../log';

const UPLOAD_BUFFER_BYTES = 4 * 1024 * 1024;
const UPLOAD_MAX_BUFFERS = 4;
const SAS_CLOCK_SKEW_MS = 5 * 60 * 1000;
const PING_TIMEOUT_MS = 5000;

function parseConnectionString(connectionString: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0) {
      settings.set(part.slice(0, separator).trim().toLowerCase(), part.slice(separator + 1));
    }
  }
  return settings;
}

/** How the store reaches Blob storage: a connection string, or an account URL and an Entra credential. */
export type StorageConnection =
  | { readonly connectionString: string }
  | { readonly accountUrl: string; readonly credential: TokenCredential };

const DELEGATION_KEY_LIFETIME_MS = 24 * 60 * 60_000;
const DELEGATION_KEY_MARGIN_MS = 60 * 60_000;
/**
 * A read link is signed once and handed out again while at least this share of its lifetime is
 * left: a card with a dozen documents would otherwise sign a dozen links on every render.
 */
const READ_URL_REUSE_SHARE = 2 / 3;
const MAX_READ_URLS = 10_000;

export class BlobFileStore implements FileStore {
  private readonly container: ContainerClient;
  /**
   * Same container, one try: a readiness probe must answer fast, and so must the clean-up after a
   * failed upload, whose user waits for the answer (the orphan sweep removes what it leaves).
   */
  private readonly oneTryContainer: ContainerClient;
  private readonly maxBytes: number;
  private readonly accountName: string | undefined;
  private readonly accountKey: string | undefined;
  private readonly service: BlobServiceClient;
  private delegationKey: { key: UserDelegationKey; expiresOn: number } | undefined;
  /** Signed read links by lifetime and blob, with when each expires. */
  private readonly readUrls = new BoundedMap<{ url: string; expiresOn: number }>(MAX_READ_URLS);

  /**
   * With a connection string (local Azurite, or an account key) read links are signed with the key;
   * with an account URL and an Entra credential (managed identity in Azure) they are user delegation
   * SAS, so no key exists anywhere.
   */
  constructor(opts: {
    connection: StorageConnection;
    containerName: string;
    maxBytes: number;
    /** Tries of one request; the SDK's default is 4, waiting 0, 4 and 12 s before the next. */
    maxTries?: number;
  }) {
    const c = opts.connection;
    const client = (options: StoragePipelineOptions): BlobServiceClient =>
      'connectionString' in c
        ? BlobServiceClient.fromConnectionString(c.connectionString, options)
        : new BlobServiceClient(c.accountUrl, c.credential, options);
    this.service = client({ retryOptions: { maxTries: opts.maxTries } });
    this.container = this.service.getContainerClient(opts.containerName);
    this.oneTryContainer = client({
      retryOptions: { maxTries: 1, tryTimeoutInMs: PING_TIMEOUT_MS },
    }).getContainerClient(opts.containerName);
    this.maxBytes = opts.maxBytes;
    const settings =
      'connectionString' in c ? parseConnectionString(c.connectionString) : undefined;
    this.accountName = settings?.get('accountname') ?? this.service.accountName;
    this.accountKey = settings?.get('accountkey');
  }

  /** The blob's bytes as they download, for copying it elsewhere without holding it whole. */
  async openRead(blobName: string): Promise<NodeJS.ReadableStream> {
    const download = await this.container
      .getBlobClient(blobName)
      .download()
      .catch((e: unknown) => {
        throw (e as { statusCode?: number }).statusCode === 404
          ? new FileMissingError(blobName)
          : e;
      });
    if (!download.readableStreamBody) throw new FileMissingError(blobName);
    return download.readableStreamBody;
  }

  /**
   * Streams a file the bot made itself (an export) into storage as it is produced, unchecked, to be
   * downloaded as `fileName`; its size in bytes.
   */
  async write(
    blobName: string,
    source: Readable,
    file: { readonly contentType: string; readonly fileName: string },
  ): Promise<number> {
    let size = 0;
    const counted = source.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, chunk);
        },
      }),
    );
    source.once('error', (e) => counted.destroy(e));
    await this.container
      .getBlockBlobClient(blobName)
      .uploadStream(counted, UPLOAD_BUFFER_BYTES, UPLOAD_MAX_BUFFERS, {
        blobHTTPHeaders: {
          blobContentType: file.contentType,
          blobContentDisposition: contentDisposition(file.fileName, file.contentType),
        },
      });
    return size;
  }

  /** Creates the container (private, no public access) if it does not exist yet. */
  async init(): Promise<void> {
    await this.container.createIfNotExists();
  }

  async put(
    blobName: string,
    source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
    meta: { uploaderId: string; originalName: string },
  ): Promise<StoredFile> {
    const {
      contentType,
      body: checked,
      totals,
    } = await checkUpload(source, meta.originalName, this.maxBytes);
    const blob = this.container.getBlockBlobClient(blobName);
    const body = Readable.from(checked);
    const abortUpload = new AbortController();
    try {
      const uploaded = await blob.uploadStream(body, UPLOAD_BUFFER_BYTES, UPLOAD_MAX_BUFFERS, {
        abortSignal: abortUpload.signal,
        blobHTTPHeaders: {
          blobContentType: contentType,
          blobContentDisposition: contentDisposition(meta.originalName, contentType),
        },
      });
      // The hash is known only once the stream has ended, after the upload options were fixed.
      // Values are URI-encoded: metadata travels in HTTP headers, which allow ASCII only.
      await blob.setMetadata(
        {
          uploaderid: encodeURIComponent(meta.uploaderId),
          originalname: encodeURIComponent(meta.originalName),
          sha256: totals.sha256,
        },
        { conditions: { ifMatch: uploaded.etag }, abortSignal: abortUpload.signal },
      );
      return { blobName, size: totals.size, sha256: totals.sha256, contentType };
    } catch (error) {
      abortUpload.abort();
      body.destroy();
      const cleanup = this.oneTryContainer.getBlockBlobClient(blobName);
      await cleanup.deleteIfExists().catch((cleanupError: unknown) => {
        log.warn({ err: cleanupError, blobName }, 'could not delete a blob after a failed upload');
      });
      throw error;
    }
  }

  async read(blobName: string, maxBytes: number): Promise<Buffer> {
    const download = await this.container
      .getBlobClient(blobName)
      .download(0, maxBytes + 1)
      .catch((e: unknown) => {
        throw (e as { statusCode?: number }).statusCode === 404
          ? new FileMissingError(blobName)
          : e;
      });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of download.readableStreamBody ?? []) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        download.readableStreamBody?.destroy();
        throw new FileRejectedError('tooLarge');
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  async readUrl(blobName: string, ttlSeconds: number): Promise<string> {
    if (!this.accountName)
      throw new Error('Cannot sign a read URL: the storage account is unknown.');
    const now = Date.now();
    const key = `${ttlSeconds} ${blobName}`;
    const signed = this.readUrls.get(key);
    if (signed && signed.expiresOn - now >= ttlSeconds * 1000 * READ_URL_REUSE_SHARE) {
      return signed.url;
    }
    const blob = this.container.getBlobClient(blobName);
    const values = {
      containerName: this.container.containerName,
      blobName,
      permissions: BlobSASPermissions.parse('r'),
      startsOn: new Date(now - SAS_CLOCK_SKEW_MS),
      // SAS times have whole seconds: round up so that the URL lives at least ttlSeconds.
      expiresOn: new Date(Math.ceil((now + ttlSeconds * 1000) / 1000) * 1000),
      protocol: blob.url.startsWith('https:') ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
    };
    const sas = this.accountKey
      ? generateBlobSASQueryParameters(
          values,
          new StorageSharedKeyCredential(this.accountName, this.accountKey),
        )
      : generateBlobSASQueryParameters(values, await this.userDelegationKey(now), this.accountName);
    const url = `${blob.url}?${sas.toString()}`;
    this.readUrls.set(key, { url, expiresOn: values.expiresOn.getTime() });
    return url;
  }

  /** One delegation key serves many links; a fresh one is fetched well before it expires. */
  private async userDelegationKey(now: number): Promise<UserDelegationKey> {
    if (this.delegationKey && this.delegationKey.expiresOn - now > DELEGATION_KEY_MARGIN_MS) {
      return this.delegationKey.key;
    }
    const expiresOn = now + DELEGATION_KEY_LIFETIME_MS;
    const key = await this.service.getUserDelegationKey(
      new Date(now - SAS_CLOCK_SKEW_MS),
      new Date(expiresOn),
    );
    this.delegationKey = { key, expiresOn };
    return key;
  }

  async delete(blobName: string): Promise<void> {
    await this.container.getBlobClient(blobName).deleteIfExists({ deleteSnapshots: 'include' });
  }

  async *list(prefix: string): AsyncIterable<{ blobName: string; createdOn: Date }> {
    for await (const item of this.container.listBlobsFlat({ prefix })) {
      yield {
        blobName: item.name,
        createdOn: item.properties.createdOn ?? item.properties.lastModified,
      };
    }
  }

  async ping(): Promise<void> {
    await this.oneTryContainer.getProperties({ abortSignal: AbortSignal.timeout(PING_TIMEOUT_MS) });
  }
}

/** Images and PDFs open in the browser; anything else is downloaded under its original name. */
function contentDisposition(originalName: string, contentType: string): string {
  const disposition =
    contentType === 'application/pdf' || contentType.startsWith('image/') ? 'inline' : 'attachment';
  const fileName = sanitizeFileName(originalName);
  const asciiFallback = fileName.replace(/[^\x20-\x7e]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /[()]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${asciiFallback}"; filename*=UTF-8''${encoded}`;
}
