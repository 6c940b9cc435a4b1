import {
  BulkOperationType,
  Container,
  CosmosClient,
  CosmosClientOptions,
  Database,
  ErrorResponse,
  OperationInput,
  PluginConfig,
  RequestOptions,
} from '@azure/cosmos';
import type { TokenCredential } from '@azure/identity';
import { AppError } from '../domain/errors';
import { batchErrorOf, keepBatchErrors, skipSinglePartitionQueryPlans } from './cosmosPlugins';

export const CONTAINERS = [
  'claims',
  'funds',
  'users',
  'conversations',
  'uploads',
  'leases',
] as const;
export type ContainerName = (typeof CONTAINERS)[number];

export interface CosmosSettings {
  readonly endpoint: string;
  /** Account key; without one, Microsoft Entra credentials (managed identity in Azure). */
  readonly key?: string | undefined;
  readonly credential?: TokenCredential;
  readonly database: string;
}

export interface CosmosDb {
  readonly client: CosmosClient;
  readonly database: Database;
  container(name: ContainerName): Container;
  ping(): Promise<void>;
  close(): void;
}

/** Opens the database, creating it and its containers (partitioned by tenant id) when missing. */
export async function openCosmos(settings: CosmosSettings): Promise<CosmosDb> {
  const options: CosmosClientOptions & { plugins: PluginConfig[] } = {
    endpoint: settings.endpoint,
    ...(settings.key ? { key: settings.key } : { aadCredentials: settings.credential }),
    // Throttling is retried briefly, then surfaces as "try again": Teams retries a turn after 15 s.
    connectionPolicy: {
      enableEndpointDiscovery: false,
      retryOptions: {
        maxRetryAttemptCount: 3,
        fixedRetryIntervalInMilliseconds: 0,
        maxWaitTimeInSeconds: 4,
      },
    },
    plugins: [
      { on: 'request', plugin: skipSinglePartitionQueryPlans },
      { on: 'request', plugin: keepBatchErrors },
    ],
  };
  const client = new CosmosClient(options);
  const { database } = await client.databases.createIfNotExists({ id: settings.database });
  const containers = new Map<ContainerName, Container>();
  for (const id of CONTAINERS) {
    const { container } = await database.containers.createIfNotExists({
      id,
      partitionKey: { paths: ['/tenantId'] },
    });
    containers.set(id, container);
  }
  return {
    client,
    database,
    container: (name) => containers.get(name) as Container,
    ping: async () => {
      await database.read();
    },
    close: () => client.dispose(),
  };
}

const SYSTEM_FIELDS = ['_rid', '_self', '_etag', '_attachments', '_ts'];

/** A stored document without Cosmos' system fields, and its ETag. */
export interface Versioned<T> {
  readonly doc: T;
  readonly etag: string;
}

export const statusOf = (e: unknown): number | undefined =>
  (e as ErrorResponse | undefined)?.code !== undefined
    ? Number((e as ErrorResponse).code)
    : undefined;

function strip<T>(raw: Record<string, unknown>): T {
  const copy: Record<string, unknown> = { ...raw };
  for (const f of SYSTEM_FIELDS) delete copy[f];
  return copy as T;
}

export async function readDoc<T>(
  container: Container,
  tenantId: string,
  id: string,
): Promise<Versioned<T> | undefined> {
  try {
    const { resource, etag } = await container.item(id, tenantId).read<Record<string, unknown>>();
    return resource ? { doc: strip<T>(resource), etag } : undefined;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

export class EtagConflict extends Error {}

/** Creates, or — with an ETag — replaces only if nobody wrote in between (412 → EtagConflict). */
export async function writeDoc<T extends { id: string; tenantId: string }>(
  container: Container,
  doc: T,
  etag: string | undefined,
): Promise<string> {
  try {
    if (etag === undefined) return (await container.items.create(doc)).etag;
    const written = await container
      .item(doc.id, doc.tenantId)
      .replace(doc, { accessCondition: { type: 'IfMatch', condition: etag } });
    return written.etag;
  } catch (e) {
    const status = statusOf(e);
    if (status === 412 || status === 409) throw new EtagConflict(`${doc.id}: ${status}`);
    throw e;
  }
}

/** One batch request in one partition: the results per operation, or the error it really met. */
async function runBatch(
  container: Container,
  tenantId: string,
  operations: OperationInput[],
): Promise<{ statusCode: number; eTag?: string }[]> {
  const options: RequestOptions = {};
  try {
    return (await container.items.batch(operations, tenantId, options)).result ?? [];
  } catch (e) {
    throw batchErrorOf(options) ?? e;
  }
}

/** The write of a batch that met a conflict: its ETag no longer matched (412), or it existed (409). */
export class BatchConflict extends EtagConflict {
  constructor(
    readonly index: number,
    status: number,
    /**
     * Which writes the store says it made all the same: none on Azure, which rolls the batch back
     * and answers 424 for them; the local emulator makes those before the conflict.
     */
    readonly made: readonly boolean[],
  ) {
    super(`write ${index} of the batch: ${status}`);
  }
}

/**
 * One write of a batch: a create (no ETag), a replace only if its ETag still matches, or (`op`) an
 * upsert or the delete of an item known to be there.
 */
export interface BatchWrite {
  readonly doc: { id: string; tenantId: string };
  readonly etag?: string;
  readonly op?: 'upsert' | 'delete';
}

function operationOf(partitionKey: string, { doc, etag, op }: BatchWrite): OperationInput {
  // Each write names the partition too: Azure takes the batch's, the local emulator each write's.
  const { Create, Delete, Replace, Upsert } = BulkOperationType;
  if (op === 'delete') return { operationType: Delete, partitionKey, id: doc.id };
  if (op === 'upsert') return { operationType: Upsert, partitionKey, resourceBody: doc };
  if (etag === undefined) return { operationType: Create, partitionKey, resourceBody: doc };
  return { operationType: Replace, partitionKey, id: doc.id, resourceBody: doc, ifMatch: etag };
}

/**
 * Writes documents of one tenant in one transactional batch — one request, all or nothing (see
 * BatchWrite). Returns their new ETags; a conflict throws BatchConflict naming the write that met it.
 */
export async function writeBatch(
  container: Container,
  tenantId: string,
  writes: readonly BatchWrite[],
): Promise<string[]> {
  const operations = writes.map((w) => operationOf(tenantId, w));
  const results = await runBatch(container, tenantId, operations);
  const failed = results.findIndex((r) => r.statusCode >= 400 && r.statusCode !== 424);
  if (failed >= 0) {
    const status = results[failed].statusCode;
    if (status === 412 || status === 409) {
      throw new BatchConflict(
        failed,
        status,
        results.map((r) => r.statusCode < 400),
      );
    }
    throw Object.assign(new Error(`write ${failed} of the batch failed: ${status}`), {
      code: status,
    });
  }
  if (results.length !== writes.length) throw new Error('the batch answered no result per write');
  return results.map((r) => r.eTag ?? '');
}

/** Cosmos DB takes at most this many operations in one batch. */
const BATCH_MAX = 100;

/**
 * Creates or replaces documents of one tenant, a batch of at most 100 per request: for writes that
 * may be repeated (each document the same every time), so a batch need not be all or nothing.
 */
export async function upsertAll(
  container: Container,
  tenantId: string,
  docs: readonly { id: string; tenantId: string }[],
): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH_MAX) {
    const operations: OperationInput[] = docs.slice(i, i + BATCH_MAX).map((doc) => ({
      operationType: BulkOperationType.Upsert,
      partitionKey: tenantId,
      resourceBody: doc,
    }));
    const results = await runBatch(container, tenantId, operations);
    const failed = results.find((r) => r.statusCode >= 400);
    if (failed || results.length !== operations.length) {
      throw Object.assign(
        new Error(`an upsert batch failed: ${failed?.statusCode ?? 'no results'}`),
        {
          code: failed?.statusCode,
        },
      );
    }
  }
}

/** The write was made before: the item that marks it (created with it, in one batch) exists. */
export class AlreadyWritten extends Error {}

/**
 * Creates `marker` and writes `doc` (ETag-checked) and `alongside` in one transactional batch: its
 * new ETag. `alongside` comes after `doc`, so a stale version fails the batch before them.
 */
async function writeMarked(
  container: Container,
  doc: { id: string; tenantId: string },
  etag: string | undefined,
  marker: { id: string; tenantId: string },
  alongside: readonly BatchWrite[],
): Promise<string> {
  try {
    const [, written] = await writeBatch(container, doc.tenantId, [
      { doc: marker },
      { doc, etag },
      ...alongside,
    ]);
    return written;
  } catch (e) {
    if (e instanceof BatchConflict && e.index === 0) throw new AlreadyWritten(marker.id);
    // A store that does not roll a failed batch back (the local emulator) kept the marker: removed,
    // so that the change is tried again. Azure made nothing, and is not asked.
    if (e instanceof BatchConflict && e.made[0]) await deleteIfThere(container, marker);
    throw e;
  }
}

export async function deleteIfThere(container: Container, doc: { id: string; tenantId: string }) {
  try {
    await container.item(doc.id, doc.tenantId).delete();
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
}

/** Enough for dozens of writers on one document: each round, one of them wins. */
export const MAX_ATTEMPTS = 40;
const MAX_BACKOFF_MS = 200;

/** A random pause before writing again after a conflict, longer with each attempt. */
export function conflictPause(attempt: number): Promise<void> {
  const ceiling = Math.min(MAX_BACKOFF_MS, 2 * 2 ** Math.min(attempt, 10));
  return new Promise((r) => setTimeout(r, Math.random() * ceiling));
}

/**
 * Read-modify-write of one document with optimistic concurrency: on a conflict the whole cycle runs
 * again from a fresh read, a bounded number of times. `change` returns the new document, or undefined
 * for "nothing to write".
 */
export async function updateDoc<T extends { id: string; tenantId: string }>(
  container: Container,
  tenantId: string,
  id: string,
  change: (current: T | undefined) => T | undefined,
  options: {
    /** A version read moments ago: the first attempt starts from it instead of a read (ETag-safe). */
    recent?: Versioned<T>;
    /**
     * The caller read `recent` itself moments ago, so a refusal from it stands as one from a read now
     * would; otherwise a refusal must come from the stored version and is checked against a read.
     */
    recentIsFresh?: boolean;
    /** Told each version read. */
    read?: (found: Versioned<T>) => void;
    /** Told the stored version after a successful write. */
    written?: (saved: Versioned<T>) => void;
    /**
     * Runs before each write of `next` (may refuse it by throwing); what it returns undoes it and
     * runs when that write fails.
     */
    beforeWrite?: (next: T, current: T | undefined) => Promise<(() => Promise<void>) | undefined>;
    /**
     * An item created in the same transaction as the write, so that a change is made once: if it
     * exists already, nothing is written and AlreadyWritten is thrown (also when `change` refuses).
     */
    marker?: { id: string; tenantId: string };
    /**
     * Writes of other items of the partition that belong to this change (index items), made in the
     * same transactional batch as it (with `marker`, which they need), after `beforeWrite`.
     */
    alongside?: (next: T, current: T | undefined) => Promise<readonly BatchWrite[]>;
  } = {},
): Promise<T | undefined> {
  for (let attempt = 1; ; attempt++) {
    const fromRecent = attempt === 1 && options.recent !== undefined;
    const current = fromRecent ? options.recent : await readDoc<T>(container, tenantId, id);
    if (!fromRecent && current) options.read?.(current);
    let next: T | undefined;
    try {
      next = change(current?.doc);
    } catch (e) {
      if (fromRecent && !options.recentIsFresh) continue;
      // A retry the change refuses (an approval made twice) was made if its marker is there.
      const { marker } = options;
      if (marker && (await readDoc(container, tenantId, marker.id))) {
        throw new AlreadyWritten(marker.id);
      }
      throw e;
    }
    if (next === undefined || next === current?.doc) {
      if (fromRecent) continue;
      return current?.doc;
    }
    const undo = await options.beforeWrite?.(next, current?.doc);
    try {
      const etag = options.marker
        ? await writeMarked(
            container,
            next,
            current?.etag,
            options.marker,
            (await options.alongside?.(next, current?.doc)) ?? [],
          )
        : await writeDoc(container, next, current?.etag);
      options.written?.({ doc: next, etag });
      return next;
    } catch (e) {
      await undo?.();
      if (!(e instanceof EtagConflict) || attempt >= MAX_ATTEMPTS) {
        if (e instanceof EtagConflict) throw new AppError('CONFLICT');
        throw e;
      }
      await conflictPause(attempt);
    }
  }
}

export async function queryAll<T>(
  container: Container,
  query: string,
  parameters: { name: string; value: string | number | boolean }[],
): Promise<T[]> {
  // A query within one tenant names its partition, so Azure runs it in that partition only (every
  // query also filters on it, since the local emulator ignores this option). @azure/cosmos 4.9 still
  // sends a query-plan request alongside, off the critical path (see BENCHMARKS.md).
  const tenant = parameters.find((p) => p.name === '@t')?.value;
  const { resources } = await container.items
    .query<T>(
      { query, parameters },
      { maxItemCount: 1000, ...(typeof tenant === 'string' ? { partitionKey: tenant } : {}) },
    )
    .fetchAll();
  return resources.map((r) =>
    r && typeof r === 'object' ? strip<T>(r as Record<string, unknown>) : r,
  );
}
