import { CosmosClient } from '@azure/cosmos';
import { createHttpServer } from '@vercel/cosmosdb-server';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { log } from '../log';

export interface CosmosEmulator {
  readonly endpoint: string;
  readonly key: string;
  stop(): Promise<void>;
}

interface Snapshot {
  databases: {
    id: string;
    containers: { id: string; partitionKeyPaths: string[]; items: Record<string, unknown>[] }[];
  }[];
}

const SNAPSHOT_DELAY_MS = 300;
const SYSTEM_FIELDS = ['_rid', '_self', '_etag', '_attachments', '_ts'];

const KEEP_ALIVE_MS = 10 * 60_000;

/**
 * Runs @vercel/cosmosdb-server in this process on loopback. The emulator keeps data in memory only,
 * so with `dataFile` its documents are written to that file shortly after every change and loaded
 * again on the next start: local data survives a restart.
 */
export async function startCosmosEmulator(opts: {
  dataFile?: string;
  port?: number;
}): Promise<CosmosEmulator> {
  const server = createHttpServer({ keepAlive: true });
  // Clients keep idle sockets open without a limit: a server closing them after Node's default 5 s
  // races a request sent on one at that moment (ECONNRESET). Idle sockets are kept far longer here.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const key = 'local-emulator-accepts-any-key';
  const client = new CosmosClient({
    endpoint,
    key,
    connectionPolicy: { enableEndpointDiscovery: false },
  });

  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const dataFile = opts.dataFile;
  const snapshotNow = (): Promise<void> => {
    if (!dataFile) return Promise.resolve();
    writing = writing
      .then(() => saveSnapshot(client, dataFile))
      .catch((e: unknown) => {
        log.error({ err: e, dataFile }, 'could not save the local Cosmos data');
      });
    return writing;
  };
  if (dataFile) {
    await loadSnapshot(client, dataFile);
    server.on('request', (req) => {
      // Queries (and query-plan requests) are POSTs too, but change nothing.
      const isQuery = String(req.headers['content-type']).startsWith('application/query+json');
      if (req.method === 'GET' || isQuery) return;
      clearTimeout(timer);
      timer = setTimeout(() => void snapshotNow(), SNAPSHOT_DELAY_MS);
    });
  }

  return {
    endpoint,
    key,
    stop: async () => {
      if (timer) {
        clearTimeout(timer);
        await snapshotNow();
      }
      await writing;
      client.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function saveSnapshot(client: CosmosClient, file: string): Promise<void> {
  const snapshot: Snapshot = { databases: [] };
  const { resources: dbs } = await client.databases.readAll().fetchAll();
  for (const dbDef of dbs) {
    const db = client.database(dbDef.id);
    const { resources: defs } = await db.containers.readAll().fetchAll();
    const containers: Snapshot['databases'][number]['containers'] = [];
    for (const def of defs) {
      const { resources } = await db.container(def.id).items.readAll().fetchAll();
      const items = resources.map((r) => {
        const copy: Record<string, unknown> = { ...r };
        for (const f of SYSTEM_FIELDS) delete copy[f];
        return copy;
      });
      containers.push({ id: def.id, partitionKeyPaths: def.partitionKey?.paths ?? [], items });
    }
    snapshot.databases.push({ id: dbDef.id, containers });
  }
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  await writeFile(tmp, JSON.stringify(snapshot));
  await rename(tmp, file);
}

async function loadSnapshot(client: CosmosClient, file: string): Promise<void> {
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(await readFile(file, 'utf8')) as Snapshot;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new Error(
      `the local Cosmos data in ${file} cannot be read (delete it to start empty): ${String(e)}`,
    );
  }
  for (const dbDef of snapshot.databases) {
    const { database } = await client.databases.createIfNotExists({ id: dbDef.id });
    for (const c of dbDef.containers) {
      const { container } = await database.containers.createIfNotExists({
        id: c.id,
        partitionKey: { paths: c.partitionKeyPaths },
      });
      for (const item of c.items) await container.items.upsert(item);
    }
  }
}
